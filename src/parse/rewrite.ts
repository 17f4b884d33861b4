// Rewriting string values of a vm.cfg in place: only the literals changed are rewritten, comments and layout stay.
import type { IToken } from "chevrotain";
import { Newline, StringLiteral, vmCfgLexer } from "./lexer.js";
import { decodeSource } from "./source.js";
import type { PyNode } from "./values.js";
import { readVmCfg } from "./vmcfg.js";

/**
 * One change of a vm.cfg: the string value of `key` (or its `item`-th string, for a list such as `disk` or
 * `vif`) becomes `value`. A key the file does not assign is added at its end (only without `item`).
 */
export interface VmCfgEdit {
  key: string;
  item?: number;
  value: string;
}

/** The rewritten text, or why an edit cannot be made (the key's value is not a string there). */
export type VmCfgRewrite = { ok: true; text: string } | { ok: false; error: string };

/** A Python string literal for `value`, in the quote style of `like` (its `u` prefix kept; `r`/`b` dropped). */
function literal(value: string, like: string | null): string {
  const prefix = like === null ? "" : /^[uU]?/.exec(like)![0];
  const rest = like === null ? "'" : like.replace(/^[uUrRbB]*/, "");
  const quote = rest.startsWith('"') ? '"' : "'";
  let body = "";
  for (const c of value) {
    const code = c.codePointAt(0)!;
    if (c === "\\" || c === quote) body += `\\${c}`;
    else if (c === "\n") body += "\\n";
    else if (c === "\r") body += "\\r";
    else if (c === "\t") body += "\\t";
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, "0")}`;
    else body += c;
  }
  return `${prefix}${quote}${body}${quote}`;
}

/** The string node an edit changes, or why there is none. */
function target(value: PyNode, edit: VmCfgEdit): PyNode | string {
  let node = value;
  if (edit.item !== undefined) {
    // A single string where a list should be is read as a list of one (`not-a-list`): item 0 is it.
    if (node.kind === "str" && edit.item === 0) return node;
    if (node.kind !== "list" && node.kind !== "tuple") return `${edit.key} is not a list`;
    const item = node.items?.[edit.item];
    if (item === undefined) return `${edit.key} has no item ${edit.item}`;
    node = item;
  }
  return node.kind === "str"
    ? node
    : `${edit.key}${edit.item === undefined ? "" : `[${edit.item}]`} is not a string`;
}

/**
 * Rewrite string values of a vm.cfg: each edited value's literal (adjacent literals that Python joins
 * count as one) is replaced by one literal of the new value, everything else — comments, layout, other
 * values, line endings — stays byte for byte. The last assignment of a repeated key is the one changed (it
 * is the one that counts). Never executes anything.
 */
export function rewriteVmCfg(source: string | Uint8Array, edits: readonly VmCfgEdit[]): VmCfgRewrite {
  const decoded = decodeSource(source, null);
  if (decoded.text === null) return { ok: false, error: "the file cannot be read as a vm.cfg" };
  const text = decoded.text;
  const { statements } = readVmCfg(text);
  const tokens = vmCfgLexer.tokenize(text).tokens;
  const byPosition = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (t.tokenType === StringLiteral) byPosition.set(`${t.startLine}:${t.startColumn}`, i);
  });
  const replacements: Array<{ start: number; end: number; text: string }> = [];
  const added: string[] = [];
  for (const edit of edits) {
    const statement = statements.get(edit.key);
    if (statement === undefined) {
      if (edit.item !== undefined) return { ok: false, error: `${edit.key} is not assigned` };
      added.push(`${edit.key} = ${literal(edit.value, null)}`);
      continue;
    }
    const node = target(statement.value, edit);
    if (typeof node === "string") return { ok: false, error: node };
    const first = byPosition.get(`${node.line}:${node.column}`);
    if (first === undefined) return { ok: false, error: `${edit.key}: no string literal where it was read` };
    // Adjacent literals (across line breaks inside brackets) are one value.
    let last: IToken = tokens[first]!;
    for (let k = first + 1; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.tokenType === StringLiteral) last = t;
      else if (t.tokenType !== Newline) break;
    }
    const start = tokens[first]!.startOffset;
    replacements.push({
      start,
      end: last.startOffset + last.image.length,
      text: literal(edit.value, tokens[first]!.image),
    });
  }
  let result = text;
  for (const r of replacements.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, r.start) + r.text + result.slice(r.end);
  }
  if (added.length > 0) {
    const eol = /\r\n/.test(text) ? "\r\n" : "\n";
    const ends = result === "" || result.endsWith("\n") || result.endsWith("\r");
    result += `${ends ? "" : eol}${added.join(eol)}${eol}`;
  }
  return { ok: true, text: result };
}
