// Running guests from saved `xm list` output: the first column of each row, except the header and Domain-0.
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { readInputFile } from "./io.js";

/** `xm list` output is a few lines per guest; anything this big is not one. */
const MAX_XM_LIST_BYTES = 64 * 1024 * 1024;

/** The header `xm list` prints first (columns may be padded and followed by `Time(s)`). */
const HEADER = /^Name\s+ID\s+Mem\s+VCPUs\s+State\b/;

/**
 * The guest names listed in `xm list` output (the `name` key of their vm.cfg), or why the text is not an
 * `xm list` table: no header, no `Domain-0` row (which every `xm list` has), binary bytes, or S-expressions
 * (`xm list -l`). What ssh leaves when it fails (an empty file, an error message) is never "nothing runs".
 */
export function parseXmList(
  text: string,
): { names: Set<string>; problem: null } | { names: null; problem: string } {
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) return { names: null, problem: "binary bytes" };
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  if (lines[0]?.startsWith("(")) return { names: null, problem: "S-expressions (xm list -l), not the table" };
  const header = lines.findIndex((line) => HEADER.test(line));
  if (header === -1) return { names: null, problem: "no `Name ID Mem VCPUs State` header" };
  const names = new Set<string>();
  let domain0 = false;
  for (const line of lines.slice(header + 1)) {
    const name = line.split(/\s+/, 1)[0] ?? "";
    if (name === "") continue;
    if (name === "Domain-0") domain0 = true;
    else names.add(name);
  }
  if (!domain0) return { names: null, problem: "no Domain-0 row" };
  return { names, problem: null };
}

/** Read `--xm-list FILE`; null (with a diagnostic) when it cannot be read, so running states stay unknown. */
export async function readXmList(file: string, diagnostics: Diagnostic[]): Promise<Set<string> | null> {
  const at = { file, line: null, column: null };
  const read = await readInputFile(file, MAX_XM_LIST_BYTES);
  if (read.bytes === null) {
    // Over the cap (/dev/zero, a log given by mistake): read no further, and say so by its own code.
    const tooLarge = read.error.startsWith("larger than");
    diagnostics.push(
      tooLarge
        ? diagnostic("error", "file-too-large", `--xm-list is ${read.error}: not an xm list, not read`, at)
        : diagnostic("error", "xm-list-unreadable", `cannot read (${read.error})`, at),
    );
    return null;
  }
  const parsed = parseXmList(read.bytes.toString("utf8"));
  if (parsed.names === null) {
    diagnostics.push(
      diagnostic(
        "error",
        "xm-list-invalid",
        `not an xm list table (${parsed.problem}): every guest's running state is unknown`,
        at,
      ),
    );
  }
  return parsed.names;
}
