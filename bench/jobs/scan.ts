// Job `scan`: scan an estate's ROOTs with the built library, as `ovm-deps scan` does.
import { scanRepositories } from "../../dist/index.js";

/** Scan `roots`; reports guests, templates, files in the repository inventories and diagnostics. */
export async function scanJob(args: { roots: string[] }): Promise<Record<string, number>> {
  const result = await scanRepositories(args.roots);
  return {
    guests: result.guests.length,
    templates: result.templates.length,
    files: result.repositories.reduce((n, r) => n + r.files.length, 0),
    disks: [...result.guests, ...result.templates].reduce((n, o) => n + o.disks.length, 0),
    diagnostics: result.diagnostics.length,
  };
}
