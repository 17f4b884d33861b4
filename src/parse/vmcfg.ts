// vm.cfg → readable assignments and the typed guest configuration, never executing anything.
import type { CstNode, IToken } from "chevrotain";
import { type Diagnostic, diagnostic, hasErrors, type Position } from "../diagnostics.js";
import type { GuestConfig, PyJson } from "../schema/parse.js";
import { vmCfgParser } from "./grammar.js";
import { type GuestSettings, readGuestConfig } from "./guest-config.js";
import {
  Dot,
  Equals,
  isToken,
  LBrace,
  LBracket,
  LParen,
  Name,
  Newline,
  Operator,
  RBrace,
  RBracket,
  RParen,
  Semicolon,
  type StringPayload,
  vmCfgLexer,
} from "./lexer.js";
import { decodeNumber, decodeStringBody } from "./python-literal.js";
import { decodeSource } from "./source.js";
import { type PyNode, toJson } from "./values.js";

/** One readable top-level assignment, with where it stands. */
export interface Assignment {
  key: string;
  value: PyJson;
  line: number;
  column: number;
}

/** What reading one vm.cfg gives. */
export interface VmCfgResult {
  /** False when an error diagnostic was raised (syntax error, non-declarative Python, unreadable). */
  ok: boolean;
  config: GuestConfig;
  assignments: Assignment[];
  diagnostics: Diagnostic[];
}

/** Brackets nested deeper than this are refused (Python's own parser stops near 100 too). */
export const MAX_NESTING = 100;
/** Beyond this many diagnostics in one file, the rest are summarised in one. */
const MAX_DIAGNOSTICS = 200;

/** Statements that open an indented block: the block is one non-declarative statement. */
const blockKeywords = new Set([
  "def",
  "if",
  "elif",
  "else",
  "for",
  "while",
  "class",
  "try",
  "except",
  "finally",
  "with",
]);
/** Simple statements that are not assignments. */
const statementKeywords = new Set([
  "import",
  "from",
  "print",
  "del",
  "pass",
  "return",
  "raise",
  "global",
  "exec",
  "assert",
  "break",
  "continue",
  "yield",
  "lambda",
]);
const literalNames: Record<string, PyNode["kind"]> = { True: "bool", False: "bool", None: "none" };

/** A statement's tokens: Python's logical line (newlines inside brackets do not end it). */
interface LogicalLine {
  tokens: IToken[];
  /** A problem found while splitting (too deep, never closed): the line is not parsed. */
  problem: Diagnostic | null;
  /** False after a `;`: only a statement that starts a physical line can be indented. */
  startsLine: boolean;
}

const openers = new Set([LBracket, LParen, LBrace]);
const closers = new Set([RBracket, RParen, RBrace]);

/** The reader's state for one file: where diagnostics go. */
class Reader {
  readonly diagnostics: Diagnostic[] = [];
  private dropped = 0;

  constructor(readonly file: string | null) {}

  at(token: IToken): Position {
    return { file: this.file, line: token.startLine ?? null, column: token.startColumn ?? null };
  }

  report(d: Diagnostic): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(d);
    else this.dropped++;
  }

  finish(): Diagnostic[] {
    if (this.dropped > 0) {
      this.diagnostics.push(
        diagnostic("info", "too-many-diagnostics", `${this.dropped} more diagnostics were not listed`, {
          file: this.file,
          line: null,
          column: null,
        }),
      );
    }
    return this.diagnostics;
  }

  /** Split tokens into logical lines at depth-0 newlines and `;`. */
  logicalLines(tokens: IToken[]): LogicalLine[] {
    const lines: LogicalLine[] = [];
    let current: IToken[] = [];
    let problem: Diagnostic | null = null;
    let startsLine = true;
    const open: IToken[] = [];
    const flush = (next: "line" | "statement") => {
      if (current.length > 0 || problem) lines.push({ tokens: current, problem, startsLine });
      current = [];
      problem = null;
      open.length = 0;
      startsLine = next === "line";
    };
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      const type = t.tokenType;
      if (type === Newline) {
        if (open.length === 0) {
          flush("line");
          continue;
        }
        // An unclosed bracket must not swallow the rest of the file: a `key =` at column 1 is
        // never inside a literal, so it starts the next statement.
        const next = tokens[k + 1];
        if (next && isToken(next, Name) && next.startColumn === 1 && isToken(tokens[k + 2], Equals)) {
          const opener = open[0]!;
          problem ??= diagnostic(
            "error",
            "unclosed-bracket",
            `"${opener.image}" is never closed`,
            this.at(opener),
          );
          flush("line");
        }
        continue;
      }
      if (type === Semicolon && open.length === 0) {
        flush("statement");
        continue;
      }
      if (openers.has(type)) {
        open.push(t);
        if (open.length > MAX_NESTING && !problem) {
          problem = diagnostic(
            "error",
            "nesting-too-deep",
            `brackets nested more than ${MAX_NESTING} deep are not read`,
            this.at(t),
          );
        }
      } else if (closers.has(type)) {
        open.pop();
      }
      current.push(t);
    }
    if (open.length > 0 && !problem) {
      const opener = open[0]!;
      problem = diagnostic("error", "unclosed-bracket", `"${opener.image}" is never closed`, this.at(opener));
    }
    flush("line");
    return lines;
  }

  /** Parse one logical line that should be `key = literal`; null when it cannot be read. */
  statement(tokens: IToken[]): { key: IToken; value: PyNode } | null {
    vmCfgParser.input = tokens;
    const cst = vmCfgParser.statement();
    if (vmCfgParser.errors.length > 0) {
      const offending = tokens.slice(2).find((t) => isNonDeclarative(t));
      if (offending) {
        this.nonDeclarative(offending);
      } else {
        const error = vmCfgParser.errors[0]!;
        const token = Number.isNaN(error.token.startOffset) ? tokens.at(-1)! : error.token;
        const what = Number.isNaN(error.token.startOffset)
          ? "the statement ends too early"
          : `unexpected "${token.image}"`;
        this.report(diagnostic("error", "syntax-error", `${what}: not a Python literal`, this.at(token)));
      }
      return null;
    }
    const key = (cst.children.Name as IToken[])[0]!;
    const value = this.expressionList(child(cst, "expressionList"), tokens[2]!, true);
    return value ? { key, value } : null;
  }

  nonDeclarative(token: IToken): void {
    const what = isToken(token, Name)
      ? `"${token.image}" is a Python name, not a literal`
      : isToken(token, Operator)
        ? `"${token.image}" is a Python operator${token.image === "%" ? " (string formatting)" : ""}`
        : `"${token.image}" is Python code`;
    this.report(
      diagnostic(
        "error",
        "non-declarative",
        `${what}: non-declarative Python is never executed`,
        this.at(token),
      ),
    );
  }

  /** `a, b, c` — a tuple when there is a comma (always inside parentheses' callers decide). */
  expressionList(node: CstNode, first: IToken, topLevel: boolean): PyNode | null {
    const items = children(node, "expression").map((e) => this.expression(e));
    if (items.some((i) => i === null)) return null;
    const hasComma = children(node, "Comma").length > 0;
    if (topLevel && !hasComma) return items[0]!;
    return { kind: "tuple", line: first.startLine!, column: first.startColumn!, items: items as PyNode[] };
  }

  expression(node: CstNode): PyNode | null {
    const signs = [...tokensOf(node, "Minus"), ...tokensOf(node, "Plus")];
    const atom = this.atom(child(node, "atom"));
    if (!atom || signs.length === 0) return atom;
    if (atom.kind !== "int" && atom.kind !== "float" && atom.kind !== "bool") {
      this.report(diagnostic("error", "syntax-error", "a sign applies to numbers only", this.at(signs[0]!)));
      return null;
    }
    const negative = tokensOf(node, "Minus").length % 2 === 1;
    const first = signs.reduce((a, b) => (a.startOffset < b.startOffset ? a : b));
    const at = { line: first.startLine!, column: first.startColumn! };
    if (atom.kind === "float")
      return { kind: "float", ...at, value: negative ? -(atom.value as number) : atom.value };
    const int = atom.kind === "bool" ? BigInt(atom.value ? 1 : 0) : (atom.value as bigint);
    return { kind: "int", ...at, value: negative ? -int : int };
  }

  atom(node: CstNode): PyNode | null {
    const strings = tokensOf(node, "StringLiteral");
    if (strings.length > 0) return this.strings(strings);
    const number = tokensOf(node, "NumberLiteral")[0];
    if (number) {
      const decoded = decodeNumber(number.image);
      if (!decoded.ok) {
        this.report(diagnostic("error", "syntax-error", decoded.problem, this.at(number)));
        return null;
      }
      const kind = typeof decoded.value === "bigint" ? "int" : "float";
      return { kind, line: number.startLine!, column: number.startColumn!, value: decoded.value };
    }
    const name = tokensOf(node, "Name")[0];
    if (name) {
      const kind = literalNames[name.image];
      if (!kind) {
        this.nonDeclarative(name);
        return null;
      }
      const value = kind === "none" ? null : name.image === "True";
      return { kind, line: name.startLine!, column: name.startColumn!, value };
    }
    const list = children(node, "list")[0];
    if (list) return this.sequence(list, "list", LBracket);
    const parens = children(node, "parens")[0];
    if (parens) return this.sequence(parens, "tuple", LParen);
    return this.dict(child(node, "dict"));
  }

  /** Adjacent string literals concatenate, as in Python. */
  strings(tokens: IToken[]): PyNode | null {
    let value = "";
    for (const token of tokens) {
      const payload = token.payload as StringPayload;
      if (!payload.terminated) {
        this.report(diagnostic("error", "unterminated-string", "the string is never closed", this.at(token)));
        return null;
      }
      const decoded = decodeStringBody(payload.body, payload.prefix);
      if (!decoded.ok) {
        this.report(diagnostic("error", "syntax-error", decoded.problem, this.at(token)));
        return null;
      }
      value += decoded.value;
    }
    const first = tokens[0]!;
    return { kind: "str", line: first.startLine!, column: first.startColumn!, value };
  }

  sequence(node: CstNode, kind: "list" | "tuple", open: typeof LBracket): PyNode | null {
    const opener = tokensOf(node, open.name)[0]!;
    const inner = children(node, "expressionList")[0];
    if (!inner) return { kind, line: opener.startLine!, column: opener.startColumn!, items: [] };
    const items = children(inner, "expression").map((e) => this.expression(e));
    if (items.some((i) => i === null)) return null;
    // `(x)` is x; `(x,)` is a tuple.
    if (kind === "tuple" && items.length === 1 && children(inner, "Comma").length === 0) return items[0]!;
    return { kind, line: opener.startLine!, column: opener.startColumn!, items: items as PyNode[] };
  }

  dict(node: CstNode): PyNode | null {
    const opener = tokensOf(node, "LBrace")[0]!;
    const entries: Array<[PyNode, PyNode]> = [];
    for (const entry of children(node, "entry")) {
      const [k, v] = children(entry, "expression").map((e) => this.expression(e));
      if (!k || !v) return null;
      if (k.kind === "list" || k.kind === "dict") {
        this.report(
          diagnostic("error", "syntax-error", `a ${k.kind} cannot be a dict key`, {
            ...this.at(opener),
            line: k.line,
            column: k.column,
          }),
        );
        return null;
      }
      entries.push([k, v]);
    }
    return { kind: "dict", line: opener.startLine!, column: opener.startColumn!, entries };
  }
}

const children = (node: CstNode, name: string): CstNode[] =>
  (node.children[name] as CstNode[] | undefined) ?? [];
const child = (node: CstNode, name: string): CstNode => children(node, name)[0]!;
const tokensOf = (node: CstNode, name: string): IToken[] =>
  (node.children[name] as IToken[] | undefined) ?? [];

/** Tokens that mean the value is computed by Python rather than written down. */
function isNonDeclarative(token: IToken): boolean {
  if (isToken(token, Operator) || isToken(token, Dot)) return true;
  return isToken(token, Name) && !(token.image in literalNames);
}

/** A key's last assignment: the key's token (where it stands) and the value read. */
interface Statement {
  key: IToken;
  value: PyNode;
}

/** What the scanner needs of a vm.cfg: the typed settings and the diagnostics, without the JSON rendering. */
export interface VmCfgReading {
  /** False when an error diagnostic was raised (syntax error, non-declarative Python, unreadable). */
  ok: boolean;
  settings: GuestSettings;
  /** The last assignment of each key, in statement order. */
  statements: ReadonlyMap<string, Statement>;
  diagnostics: Diagnostic[];
}

/** Read a vm.cfg (text or raw bytes) into its typed settings without executing anything. */
export function readVmCfg(source: string | Uint8Array, options: { file?: string | null } = {}): VmCfgReading {
  const file = options.file ?? null;
  const reader = new Reader(file);
  const decoded = decodeSource(source, file);
  for (const d of decoded.diagnostics) reader.report(d);
  const statements = new Map<string, Statement>();
  if (decoded.text !== null) {
    const lexed = vmCfgLexer.tokenize(decoded.text);
    for (const e of lexed.errors) {
      reader.report(
        diagnostic(
          "error",
          "syntax-error",
          `unexpected character "${decoded.text.slice(e.offset, e.offset + e.length)}"`,
          {
            file,
            line: e.line ?? null,
            column: e.column ?? null,
          },
        ),
      );
    }
    readStatements(reader, reader.logicalLines(lexed.tokens), statements);
  }
  const guest = readGuestConfig(statements, file);
  for (const d of guest.diagnostics) reader.report(d);
  const diagnostics = reader.finish();
  return { ok: !hasErrors(diagnostics), settings: guest.settings, statements, diagnostics };
}

/** Read a vm.cfg (text or raw bytes) without executing anything: settings, assignments and their JSON. */
export function parseVmCfg(source: string | Uint8Array, options: { file?: string | null } = {}): VmCfgResult {
  const { ok, settings, statements, diagnostics } = readVmCfg(source, options);
  // In statement order: a repeated key was deleted and set again, so it stands where it last was.
  const assignments: Assignment[] = [...statements.values()].map(({ key, value }) => ({
    key: key.image,
    value: toJson(value),
    line: key.startLine!,
    column: key.startColumn!,
  }));
  const values = Object.fromEntries(assignments.map((a) => [a.key, a.value]));
  return { ok, config: { ...settings, values }, assignments, diagnostics };
}

/** Read every logical line; the last assignment of a key wins, as in Python. */
function readStatements(reader: Reader, lines: LogicalLine[], assignments: Map<string, Statement>): void {
  let inBlock = false;
  for (const { tokens, problem, startsLine } of lines) {
    const first = tokens[0];
    if (problem) {
      reader.report(problem);
      inBlock = false;
      continue;
    }
    if (!first) continue;
    const indented = startsLine && (first.startColumn ?? 1) > 1;
    if (inBlock && indented) continue;
    inBlock = false;
    if (isToken(first, Name) && blockKeywords.has(first.image)) {
      reader.report(
        diagnostic(
          "error",
          "non-declarative",
          `"${first.image}" block: non-declarative Python is never executed; assignments inside it are not read`,
          reader.at(first),
        ),
      );
      inBlock = true;
      continue;
    }
    if (!isToken(first, Name) || !isToken(tokens[1], Equals) || statementKeywords.has(first.image)) {
      reader.report(
        isToken(first, Name)
          ? diagnostic(
              "error",
              "non-declarative",
              `a statement that is not "key = value": non-declarative Python is never executed`,
              reader.at(first),
            )
          : diagnostic(
              "error",
              "syntax-error",
              `unexpected "${first.image}": expected "key = value"`,
              reader.at(first),
            ),
      );
      continue;
    }
    if (indented) {
      reader.report(
        diagnostic(
          "warning",
          "unexpected-indent",
          "an indented statement (Python would refuse the file); read anyway",
          reader.at(first),
        ),
      );
    }
    const statement = reader.statement(tokens);
    if (!statement) continue;
    const previous = assignments.get(statement.key.image);
    if (previous) {
      reader.report(
        diagnostic(
          "info",
          "duplicate-key",
          `"${statement.key.image}" is assigned again: this value wins over line ${previous.key.startLine} (the last assignment wins, as in Python)`,
          reader.at(statement.key),
        ),
      );
      assignments.delete(statement.key.image);
    }
    assignments.set(statement.key.image, statement);
  }
}
