// Running guests from saved `xm list` output: the first column of each row, except the header and Domain-0.
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { readInputFile } from "./io.js";

/** `xm list` output is a few lines per guest; anything this big is not one. */
const MAX_XM_LIST_BYTES = 64 * 1024 * 1024;

/** The guest names listed in `xm list` output (the `name` key of their vm.cfg). */
export function parseXmList(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    const name = line.trim().split(/\s+/, 1)[0] ?? "";
    if (name === "" || name === "Name" || name === "Domain-0") continue;
    names.add(name);
  }
  return names;
}

/** Read `--xm-list FILE`; null (with a diagnostic) when it cannot be read, so running states stay unknown. */
export async function readXmList(file: string, diagnostics: Diagnostic[]): Promise<Set<string> | null> {
  const at = { file, line: null, column: null };
  const read = await readInputFile(file, MAX_XM_LIST_BYTES);
  if (read.bytes === null) {
    diagnostics.push(diagnostic("error", "xm-list-unreadable", `cannot read (${read.error})`, at));
    return null;
  }
  return parseXmList(read.bytes.toString("utf8"));
}
