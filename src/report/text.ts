// Text for people: control characters made visible, and the one-line form of a diagnostic.
import type { Diagnostic, Gap } from "../schema/diagnostic.js";

const CONTROL = /[\u0000-\u001f\u007f-\u009f\\]/g;

/** Escape control characters (and backslashes) so that a name can never move the cursor or break a line. */
export function escapeText(text: string): string {
  return text.replace(CONTROL, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    }
  });
}

const JSON_RAW = /[\u007f-\u009f]/g;

/**
 * JSON text, two-space indented, with DEL and the C1 controls written as `\u00XX` too: JSON.stringify escapes
 * only C0, and a raw C1 CSI (U+009B) can still drive a terminal. The value parses back the same.
 */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    JSON_RAW,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** One diagnostic as a line: `file:line:column: severity code: message` (missing parts left out). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file ?? "ovm-deps", d.line, d.line === null ? null : d.column]
    .filter((part) => part !== null)
    .join(":");
  return escapeText(`${where}: ${d.severity} ${d.code}: ${d.message}`);
}

/**
 * The lines a document that could not see everything starts with, for people: `INCOMPLETE:` and what
 * could not be read, each with why. None for a complete document.
 */
export function incompleteLines(document: { complete?: boolean; incomplete?: Gap[] }): string[] {
  const gaps = document.incomplete ?? [];
  if (document.complete !== false && gaps.length === 0) return [];
  return [
    `INCOMPLETE: ${gaps.length} thing(s) could not be read; nothing below is complete, clean or safe about them:`,
    ...gaps.map((g) => `  ${escapeText(`${g.code}: ${g.message}${g.file === null ? "" : ` (${g.file})`}`)}`),
    "",
  ];
}
