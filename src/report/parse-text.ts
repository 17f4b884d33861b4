// The `text` format of `parse`: per file its guest and disks, and each problem with a code frame.
import type { Diagnostic } from "../schema/diagnostic.js";
import type { ParsedFile } from "../schema/parse.js";
import { escapeText, formatDiagnostic } from "./text.js";

/** Longest part of a source line a code frame shows. */
const FRAME_WIDTH = 120;

/** The source line of a diagnostic with a caret under its column (long lines cut around it). */
export function codeFrame(source: string, d: Diagnostic): string[] {
  if (d.line === null) return [];
  const line = source.split(/\r\n|\r|\n/, d.line)[d.line - 1];
  if (line === undefined) return [];
  const column = Math.max(1, d.column ?? 1);
  const start = Math.max(0, Math.min(column - 1 - FRAME_WIDTH / 2, line.length - FRAME_WIDTH));
  const shown = line.slice(start, start + FRAME_WIDTH);
  const before = escapeText(shown.slice(0, column - 1 - start));
  const gutter = `${String(d.line).padStart(5)} | `;
  return [
    `${gutter}${start > 0 ? "…" : ""}${escapeText(shown)}${start + FRAME_WIDTH < line.length ? "…" : ""}`,
    `${" ".repeat(gutter.length - 2)}| ${start > 0 ? " " : ""}${" ".repeat(before.length)}^`,
  ];
}

/** Render parse results; `sources` maps each file to its text (for code frames), when it was read. */
export function renderParseText(
  results: readonly ParsedFile[],
  sources: ReadonlyMap<string, string>,
): string {
  const out: string[] = [];
  for (const r of results) {
    const errors = r.diagnostics.filter((d) => d.severity === "error").length;
    out.push(`${escapeText(r.file)}: ${r.ok ? "ok" : `${errors} error${errors === 1 ? "" : "s"}`}`);
    const { uuid, name, simpleName } = r.guest;
    out.push(`  guest   name=${show(name)} uuid=${show(uuid)} simpleName=${show(simpleName)}`);
    for (const disk of r.disks) {
      const flags = [disk.devtype, disk.access, disk.format ?? "", disk.shareable ? "shared" : ""].filter(
        Boolean,
      );
      out.push(`  disk    ${escapeText(disk.vdev).padEnd(6)} ${show(disk.path)}  (${flags.join(", ")})`);
    }
    const source = sources.get(r.file);
    for (const d of r.diagnostics) {
      out.push(`  ${formatDiagnostic(d)}`);
      if (source !== undefined) for (const line of codeFrame(source, d)) out.push(`    ${line}`);
    }
  }
  return `${out.join("\n")}\n`;
}

const show = (value: string | null): string => (value === null ? "-" : escapeText(value));
