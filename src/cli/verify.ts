// `ovm-deps verify MANIFEST ROOT… [--guest SEL]…`: a backup copy (or a restored tree) against a saved plan.
import path from "node:path";
import {
  fileSha256,
  formatsOf,
  isSelectionError,
  PlanResultSchema,
  readInputFile,
  verifyManifest,
} from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf, repeatable } from "./args.js";
import { readError, UsageError } from "./io.js";
import { selectionUsageError } from "./plan.js";
import { writeDocument } from "./render.js";
import { type ScanOptionValues, scanFromCommandLine, scanOptions } from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

/** A manifest is a plan document: a few hundred bytes per file; anything this big is not one. */
const MAX_MANIFEST_BYTES = 512 * 1024 * 1024;

interface VerifyValues extends ScanOptionValues {
  format?: string;
  guest?: string[];
}

/** `verify`: exit 0 when every selected guest is ok, 1 otherwise, 2 when the manifest is no plan document. */
export const verifyCommand: CommandDefinition<VerifyValues> = {
  name: "verify",
  summary: SUMMARIES.verify,
  description: `Checks the trees under the ROOTs — a backup copy, a snapshot, or the live tree after a restore —
against a manifest: the JSON of 'ovm-deps plan --checksum --format json' saved at backup time. Per
file: ok, missing, size-differs or changed (SHA-256, when the manifest has one; otherwise by size, and
the output says so). Per guest: ok, incomplete (a file missing) or changed. Repositories are matched as
restore matches them (id, folder name, --repository NAME=DIR). Reads only.`,
  argument: {
    name: "<MANIFEST_AND_ROOTS...>",
    description: "the manifest (a saved plan --format json), then the ROOTs of the trees to check",
  },
  options: () => [
    repeatable(
      "--guest <SEL>",
      "a guest of the manifest to verify (repeatable): reference, folder, uuid or simple name",
    ),
    oneOf("--format <F>", "output format (default text)", formatsOf("verify")),
    ...scanOptions(),
  ],
  examples: [
    {
      command: "ovm-deps plan /OVS/Repositories --checksum --format json > manifest.json",
      does: "at backup time, the manifest",
    },
    {
      command: "ovm-deps verify manifest.json /backup/2026-12-03/Repositories",
      does: "after the copy, check the backup against it",
    },
  ],
  exit: `0 every selected guest is ok
1 a guest is incomplete or changed
2 usage error: the manifest is not a plan document, an unknown --guest, a ROOT that holds no repository`,
  run: async (args, values, io) => {
    const [manifestFile, ...roots] = args;
    if (manifestFile === undefined)
      throw new UsageError("expects MANIFEST ROOT… (a saved plan, then the trees)");
    const format = chooseFormat(values.format, formatsOf("verify"));
    const read = await readInputFile(path.resolve(io.cwd, manifestFile), MAX_MANIFEST_BYTES);
    if (read.bytes === null) throw new UsageError(`cannot read ${manifestFile}: ${readError(read.error)}`);
    let json: unknown;
    try {
      json = JSON.parse(read.bytes.toString("utf8"));
    } catch {
      throw new UsageError(`${manifestFile} is not JSON: save the manifest with plan --format json`);
    }
    const manifest = PlanResultSchema.safeParse(json);
    if (!manifest.success)
      throw new UsageError(`${manifestFile} is not a plan document (plan --format json)`);
    const scan = await scanFromCommandLine(roots, values, io);
    const result = await verifyManifest(manifest.data, scan, {
      guests: values.guest ?? [],
      hash: fileSha256,
    });
    if (isSelectionError(result)) throw selectionUsageError(result.problems);
    return writeDocument({ kind: "verify", document: result }, format, {}, io);
  },
};
