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

/**
 * `stringifyJson(value)` in chunks, byte for byte, for a document too large for one string: the top-level
 * object's fields, and each element of its arrays, are stringified one at a time.
 */
export function* jsonChunks(value: unknown): Generator<string> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || "toJSON" in value) {
    yield stringifyJson(value);
    return;
  }
  const fields = Object.entries(value).filter(
    ([, field]) => field !== undefined && typeof field !== "function",
  );
  if (fields.length === 0) {
    yield "{}";
    return;
  }
  yield "{\n";
  for (const [index, [key, field]] of fields.entries()) {
    yield `  ${stringifyJson(key)}: `;
    if (Array.isArray(field) && field.length > 0) {
      yield "[\n";
      for (let i = 0; i < field.length; i++) {
        // An element as JSON.stringify writes it (undefined and functions are null in an array), indented.
        const element = field[i] === undefined || typeof field[i] === "function" ? null : field[i];
        yield `    ${stringifyJson(element).replace(/\n/g, "\n    ")}${i < field.length - 1 ? "," : ""}\n`;
      }
      yield "  ]";
    } else yield stringifyJson(field).replace(/\n/g, "\n  ");
    yield index < fields.length - 1 ? ",\n" : "\n";
  }
  yield "}";
}

/** References a diagnostic line names; the rest are counted (every one is in the JSON documents). */
const REFERENCES_SHOWN = 3;

/** `file:line:column` (missing parts left out). */
function positionText(p: { file: string | null; line: number | null; column: number | null }): string {
  return [p.file ?? "ovm-deps", p.line, p.line === null ? null : p.column]
    .filter((part) => part !== null)
    .join(":");
}

/**
 * One diagnostic as a line: `file:line:column: severity code: message` (missing parts left out), then the
 * vm.cfg positions that reach the file it is about: ` (referenced at A:11:9, B:11:9 and 4 more)`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const references = d.references ?? [];
  const shown = references.slice(0, REFERENCES_SHOWN).map(positionText).join(", ");
  const more =
    references.length > REFERENCES_SHOWN ? ` and ${references.length - REFERENCES_SHOWN} more` : "";
  const referenced = references.length === 0 ? "" : ` (referenced at ${shown}${more})`;
  return escapeText(`${positionText(d)}: ${d.severity} ${d.code}: ${d.message}${referenced}`);
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
