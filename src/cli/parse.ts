// `ovm-deps parse FILE… --format json|text`: read vm.cfg files, report guests, disks and problems.

import { resolve } from "node:path";
import { diagnostic } from "../diagnostics.js";
import {
  atLeast,
  type Diagnostic,
  MAX_SOURCE_BYTES,
  type ParsedFile,
  parseVmCfg,
  readInputFile,
  renderJson,
  renderParseText,
} from "../index.js";
import { type CommandDefinition, oneOf } from "./args.js";
import { hiddenLine, minSeverity, type QuietValues, quietOptions } from "./quiet.js";
import { SUMMARIES } from "./summaries.js";

/** Read one file as given on the command line into a parse result (unreadable: a diagnostic). */
async function parseFile(file: string, cwd: string): Promise<{ result: ParsedFile; text: string | null }> {
  // One byte past the reader's own limit: a larger file (or /dev/zero) is its file-too-large, never read whole.
  const read = await readInputFile(resolve(cwd, file), MAX_SOURCE_BYTES + 1);
  if (read.bytes === null) {
    const parsed = parseVmCfg("", { file });
    const tooLarge = read.error.startsWith("larger than");
    const d = tooLarge
      ? diagnostic("error", "file-too-large", `more than ${MAX_SOURCE_BYTES} bytes: not a vm.cfg`, {
          file,
          line: null,
          column: null,
        })
      : diagnostic("error", "unreadable", `cannot read the file (${read.error})`, {
          file,
          line: null,
          column: null,
        });
    return { result: { ...toDocument(file, parsed), ok: false, diagnostics: [d] }, text: null };
  }
  const bytes = read.bytes;
  const parsed = parseVmCfg(bytes, { file });
  return { result: toDocument(file, parsed), text: Buffer.from(bytes).toString("utf8") };
}

function toDocument(file: string, parsed: ReturnType<typeof parseVmCfg>): ParsedFile {
  const { uuid, name, simpleName, disks } = parsed.config;
  return {
    file,
    ok: parsed.ok,
    guest: { uuid, name, simpleName },
    disks,
    diagnostics: parsed.diagnostics,
    config: parsed.config,
  };
}

/** What `parse` prints of its diagnostics by default: every one (it is the command that looks at one file closely). */
const PARSE_MIN_SEVERITY = "info";

/** `parse`: exit 1 when a file has an error diagnostic. */
export const parseCommand: CommandDefinition<{ format?: "text" | "json" } & QuietValues> = {
  name: "parse",
  summary: SUMMARIES.parse,
  description: `Reads each vm.cfg as Oracle VM's toolstack did, without executing it, and reports its guest identity
(uuid, name, simple name), its disks and every problem, with the line and column.`,
  argument: { name: "<FILE...>", description: "vm.cfg files (a pipe or process substitution works too)" },
  options: () => [
    oneOf("--format <F>", "output format (default text)", ["text", "json"]),
    ...quietOptions(PARSE_MIN_SEVERITY),
  ],
  examples: [
    { command: "ovm-deps parse /OVS/Repositories/*/VirtualMachines/*/vm.cfg", does: "every guest's vm.cfg" },
    { command: "ovm-deps parse vm.cfg --format json | jq '.[0].disks'", does: "the disks of one, as JSON" },
  ],
  exit: `0 every file read without an error diagnostic
1 a file has one (a syntax error, non-declarative Python, unreadable, too large)
2 usage error (no FILE)`,
  run: async (files, values, io) => {
    const format = values.format ?? "text";
    const results: ParsedFile[] = [];
    const sources = new Map<string, string>();
    for (const file of files) {
      const { result, text } = await parseFile(file, io.cwd);
      results.push(result);
      if (text !== null) sources.set(file, text);
    }
    if (format === "json") io.stdout.write(renderJson(results));
    else {
      // The text shows the diagnostics at least as severe as --min-severity; JSON keeps every one.
      const min = minSeverity(values, PARSE_MIN_SEVERITY);
      const hidden: Diagnostic[] = [];
      const shown = results.map((r) => {
        for (const d of r.diagnostics) if (!atLeast(d, min)) hidden.push(d);
        return { ...r, diagnostics: r.diagnostics.filter((d) => atLeast(d, min)) };
      });
      io.stdout.write(renderParseText(shown, sources));
      const line = values.quiet ? null : hiddenLine(hidden);
      if (line !== null) io.stderr.write(`${line}\n`);
    }
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
