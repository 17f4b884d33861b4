// The vm.cfg lexer: the tokens of the Python literal subset, built once at module level.
import { type CustomPatternMatcherReturn, createToken, type IToken, Lexer, type TokenType } from "chevrotain";

/** What the string matcher learned about a string literal, carried on its token. */
export interface StringPayload {
  /** The prefix letters, lower-cased (`u`, `r`, `b`, `ur`, `br`, `rb`…). */
  prefix: string;
  /** The quote: `'`, `"`, `'''` or `"""`. */
  quote: string;
  /** The text between the quotes, escapes not yet processed. */
  body: string;
  /** False when the input ended (or the line, for a single-quoted string) before the closing quote. */
  terminated: boolean;
}

const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

const isPrefixLetter = (c: string | undefined): boolean =>
  c === "u" || c === "U" || c === "r" || c === "R" || c === "b" || c === "B";

/**
 * Match a Python string literal at `offset` by scanning characters (no regex backtracking, so a
 * 30 MB string costs one linear pass). An unterminated string still matches — to the end of its
 * line, or of the input for a triple-quoted one — so the lexer never falls into per-character
 * error recovery; the reader reports it.
 */
function matchString(text: string, offset: number): CustomPatternMatcherReturn | null {
  let i = offset;
  let prefix = "";
  while (prefix.length < 2 && isPrefixLetter(text[i])) prefix += text[i++]!.toLowerCase();
  if (prefix.length === 2 && !/^(ur|br|rb|ru)$/.test(prefix)) return null;
  // Character codes, not one-character strings: this loop runs over every character of every string.
  const q = text.charCodeAt(i);
  if (q !== QUOTE && q !== DOUBLE_QUOTE) return null;
  const triple = text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q;
  const quote = triple ? text[i]!.repeat(3) : text[i]!;
  i += quote.length;
  const bodyStart = i;
  const end = text.length;
  let terminated = false;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === q && (!triple || (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q))) {
      terminated = true;
      break;
    }
    if (!triple && (c === LINE_FEED || c === CARRIAGE_RETURN)) break;
    i += 1;
  }
  const bodyEnd = Math.min(i, end);
  const matchEnd = terminated ? bodyEnd + quote.length : bodyEnd;
  const result = [text.slice(offset, matchEnd)] as CustomPatternMatcherReturn;
  const payload: StringPayload = { prefix, quote, body: text.slice(bodyStart, bodyEnd), terminated };
  result.payload = payload;
  return result;
}

/** A line break (outside brackets it ends a statement). */
export const Newline = createToken({ name: "Newline", pattern: /\r\n|\r|\n/, line_breaks: true });
const Whitespace = createToken({ name: "Whitespace", pattern: /[ \t\f\v]+/, group: Lexer.SKIPPED });
const Continuation = createToken({
  name: "Continuation",
  pattern: /\\(?:\r\n|\r|\n)/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });
/** A string literal in any quote style, with prefixes. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: { exec: matchString },
  line_breaks: true,
  start_chars_hint: ["'", '"', "u", "U", "r", "R", "b", "B"],
});
/** An int (decimal, Python 2 octal, hex, binary, `L` suffix) or a float. */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)[lL]?/,
});
/** A name: `True`, `False`, `None`, a key — or, in a value, non-declarative Python. */
export const Name = createToken({ name: "Name", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
/** `=` */
export const Equals = createToken({ name: "Equals", pattern: /=/ });
/** `,` */
export const Comma = createToken({ name: "Comma", pattern: /,/ });
/** `:` */
export const Colon = createToken({ name: "Colon", pattern: /:/ });
/** `;` */
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/ });
/** `-` */
export const Minus = createToken({ name: "Minus", pattern: /-/ });
/** `+` */
export const Plus = createToken({ name: "Plus", pattern: /\+/ });
/** `[` */
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
/** `]` */
export const RBracket = createToken({ name: "RBracket", pattern: /]/ });
/** `(` */
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
/** `)` */
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
/** `{` */
export const LBrace = createToken({ name: "LBrace", pattern: /\{/ });
/** `}` */
export const RBrace = createToken({ name: "RBrace", pattern: /}/ });
/** `.` (attribute access: non-declarative) */
export const Dot = createToken({ name: "Dot", pattern: /\./ });
/** Any other Python operator (`%`, `==`, `+=`, `*`…): non-declarative. */
export const Operator = createToken({
  name: "Operator",
  pattern: /\*\*=?|\/\/=?|<<=?|>>=?|==|!=|<>|[-+*/%&|^<>]=|[*/%&|^~<>@!`]/,
});
/** A run of characters that mean nothing in Python source (stray bytes, non-ASCII letters). */
export const Unknown = createToken({
  name: "Unknown",
  pattern: /[\x00-\x08\x0e-\x1f\x7f-\uffff$?]+|\\/,
});

/** Every token type, in matching order. */
export const allTokens: TokenType[] = [
  Newline,
  Whitespace,
  Continuation,
  Comment,
  StringLiteral,
  NumberLiteral,
  Name,
  Operator,
  Equals,
  Comma,
  Colon,
  Semicolon,
  Minus,
  Plus,
  LBracket,
  RBracket,
  LParen,
  RParen,
  LBrace,
  RBrace,
  Dot,
  Unknown,
];

/** The lexer, built once. */
export const vmCfgLexer = new Lexer(allTokens, { positionTracking: "onlyStart", ensureOptimizations: true });

/** True for a token of type `type`. */
export const isToken = (token: IToken | undefined, type: TokenType): boolean => token?.tokenType === type;
