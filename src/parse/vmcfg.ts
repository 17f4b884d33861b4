// vm.cfg → readable assignments and the typed guest configuration, never executing anything.
import type { IToken, TokenType } from "chevrotain";
import { type Diagnostic, diagnostic, hasErrors, type Position } from "../diagnostics.js";
import type { GuestConfig, PyJson } from "../schema/parse.js";
import { isLiteralName, nonDeclarative, vmCfgParser } from "./grammar.js";
import { type GuestSettings, readGuestConfig } from "./guest-config.js";
import {
  Dot,
  Equals,
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
  vmCfgLexer,
} from "./lexer.js";
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
  /** False when an error diagnostic was raised (syntax error, indentation, non-declarative Python, unreadable). */
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
const isOpener = (type: TokenType): boolean => type === LBracket || type === LParen || type === LBrace;
const isCloser = (type: TokenType): boolean => type === RBracket || type === RParen || type === RBrace;

/** The reader's state for one file: where diagnostics go, and the statements read so far. */
class Reader {
  readonly diagnostics: Diagnostic[] = [];
  readonly statements = new Map<string, Statement>();
  private dropped = 0;
  /** After a `def`/`if`… line: its indented body is skipped. */
  private inBlock = false;

  /** The text being read (to look at a statement's indentation). */
  private text = "";

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

  /**
   * Split the tokens into statements — Python's logical lines, ended by a newline or `;` outside
   * brackets — and read each one as it ends, without copying the tokens of those that are not read.
   */
  readAll(text: string, tokens: IToken[]): void {
    this.text = text;
    let start = 0;
    let depth = 0;
    /** The outermost bracket still open. */
    let opener: IToken | undefined;
    /** A problem found while splitting (too deep, never closed): the statement is not parsed. */
    let problem: Diagnostic | null = null;
    /** Line breaks inside brackets: they are left out of the tokens the grammar sees. */
    let innerNewlines = false;
    /** False after a `;`: only a statement that starts a physical line can be indented. */
    let startsLine = true;
    const unclosed = (t: IToken) =>
      diagnostic("error", "unclosed-bracket", `"${t.image}" is never closed`, this.at(t));
    const end = (k: number, next: "line" | "statement") => {
      if (k > start || problem) this.statement(tokens, start, k, problem, innerNewlines, startsLine);
      start = k + 1;
      depth = 0;
      problem = null;
      innerNewlines = false;
      startsLine = next === "line";
    };
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      const type = t.tokenType;
      if (type === Newline) {
        if (depth === 0) {
          end(k, "line");
          continue;
        }
        // An unclosed bracket must not swallow the rest of the file: a `key =` at column 1 is
        // never inside a literal, so it starts the next statement.
        const next = tokens[k + 1];
        if (next?.tokenType === Name && next.startColumn === 1 && tokens[k + 2]?.tokenType === Equals) {
          problem ??= unclosed(opener!);
          end(k, "line");
        } else {
          innerNewlines = true;
        }
        continue;
      }
      if (type === Semicolon && depth === 0) {
        end(k, "statement");
        continue;
      }
      if (isOpener(type)) {
        if (++depth === 1) opener = t;
        if (depth > MAX_NESTING && !problem) {
          problem = diagnostic(
            "error",
            "nesting-too-deep",
            `brackets nested more than ${MAX_NESTING} deep are not read`,
            this.at(t),
          );
        }
      } else if (isCloser(type) && depth > 0) {
        depth--;
      }
    }
    if (depth > 0 && !problem) problem = unclosed(opener!);
    end(tokens.length, "line");
  }

  /** Read the statement of tokens[start, end): a key's assignment, or a diagnostic saying why not. */
  private statement(
    tokens: IToken[],
    start: number,
    end: number,
    problem: Diagnostic | null,
    innerNewlines: boolean,
    startsLine: boolean,
  ): void {
    if (problem) {
      this.report(problem);
      this.inBlock = false;
      return;
    }
    const first = tokens[start]!;
    const indented = startsLine && isIndented(this.text, first);
    if (this.inBlock && indented) return;
    this.inBlock = false;
    const isName = first.tokenType === Name;
    if (isName && blockKeywords.has(first.image)) {
      this.report(
        diagnostic(
          "error",
          "non-declarative",
          `"${first.image}" block: non-declarative Python is never executed; assignments inside it are not read`,
          this.at(first),
        ),
      );
      this.inBlock = true;
      return;
    }
    if (
      !isName ||
      start + 1 >= end ||
      tokens[start + 1]!.tokenType !== Equals ||
      statementKeywords.has(first.image)
    ) {
      this.report(
        isName
          ? diagnostic(
              "error",
              "non-declarative",
              `a statement that is not "key = value": non-declarative Python is never executed`,
              this.at(first),
            )
          : diagnostic(
              "error",
              "syntax-error",
              `unexpected "${first.image}": expected "key = value"`,
              this.at(first),
            ),
      );
      return;
    }
    if (indented) {
      this.report(
        diagnostic(
          "error",
          "unexpected-indent",
          "an indented statement: Python refuses the whole file (IndentationError), so xm never loaded it; read anyway",
          this.at(first),
        ),
      );
    }
    const line = innerNewlines
      ? tokens.slice(start, end).filter((t) => t.tokenType !== Newline)
      : tokens.slice(start, end);
    const value = vmCfgParser.read(line, this.file);
    if (vmCfgParser.errors.length > 0) {
      this.syntaxError(line);
      return;
    }
    for (const p of vmCfgParser.problems) this.report(p);
    if (value === null) return;
    const previous = this.statements.get(first.image);
    if (previous) {
      this.report(
        diagnostic(
          "info",
          "duplicate-key",
          `"${first.image}" is assigned again: this value wins over line ${previous.key.startLine} (the last assignment wins, as in Python)`,
          this.at(first),
        ),
      );
      // Deleted and set again: a repeated key stands where it was last assigned.
      this.statements.delete(first.image);
    }
    this.statements.set(first.image, { key: first, value });
  }

  /** A statement that does not parse: Python code in it, or else the first unexpected token. */
  private syntaxError(line: IToken[]): void {
    for (let k = 2; k < line.length; k++) {
      if (isNonDeclarative(line[k]!)) {
        this.report(nonDeclarative(line[k]!, this.file));
        return;
      }
    }
    const error = vmCfgParser.errors[0]!;
    const atEnd = Number.isNaN(error.token.startOffset);
    const token = atEnd ? line.at(-1)! : error.token;
    const what = atEnd ? "the statement ends too early" : `unexpected "${token.image}"`;
    this.report(diagnostic("error", "syntax-error", `${what}: not a Python literal`, this.at(token)));
  }
}

/**
 * Whether the first token of a physical line is indented, as Python counts it: the white space
 * before it, after its last form feed (a form feed resets Python's count: `\fkey = 1` is not indented).
 */
function isIndented(text: string, token: IToken): boolean {
  const lineStart = token.startOffset - (token.startColumn ?? 1) + 1;
  let k = token.startOffset - 1;
  // Only white space stands before the first token of a line (a comment runs to the line's end).
  while (k >= lineStart && text.charCodeAt(k) !== FORM_FEED) k--;
  return k < token.startOffset - 1;
}

const FORM_FEED = 0x0c;

/** Tokens that mean the value is computed by Python rather than written down. */
function isNonDeclarative(token: IToken): boolean {
  const type = token.tokenType;
  return type === Operator || type === Dot || (type === Name && !isLiteralName(token.image));
}

/** How Object.fromEntries defines a property. */
const ownValue = { enumerable: true, writable: true, configurable: true } as const;

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
    reader.readAll(decoded.text, lexed.tokens);
  }
  const { statements } = reader;
  const guest = readGuestConfig(statements, file);
  for (const d of guest.diagnostics) reader.report(d);
  const diagnostics = reader.finish();
  return { ok: !hasErrors(diagnostics), settings: guest.settings, statements, diagnostics };
}

/** Read a vm.cfg (text or raw bytes) without executing anything: settings, assignments and their JSON. */
export function parseVmCfg(source: string | Uint8Array, options: { file?: string | null } = {}): VmCfgResult {
  const { ok, settings, statements, diagnostics } = readVmCfg(source, options);
  // In statement order: a repeated key was deleted and set again, so it stands where it last was.
  const assignments: Assignment[] = [];
  const values: Record<string, PyJson> = {};
  for (const { key, value } of statements.values()) {
    const json = toJson(value);
    assignments.push({ key: key.image, value: json, line: key.startLine!, column: key.startColumn! });
    // Defined, not assigned: a key such as "__proto__" stays a plain key.
    if (key.image === "__proto__") Object.defineProperty(values, key.image, { ...ownValue, value: json });
    else values[key.image] = json;
  }
  return { ok, config: { ...settings, values }, assignments, diagnostics };
}
