// The vm.cfg lexer: the tokens of the Python literal subset, built once at module level.
import { type CustomPatternMatcherReturn, createToken, Lexer, type TokenType } from "chevrotain";

/**
 * The payload of a string token whose closing quote never came (the input, or the line for a
 * single-quoted string, ended first). A terminated string has no payload: its image says it all,
 * and most tokens then keep one shape.
 */
export const UNTERMINATED = Object.freeze({ terminated: false });

const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

const LETTER_U = 0x75;
const LETTER_R = 0x72;
const LETTER_B = 0x62;

/** `u`, `r` or `b` in either case (`| 0x20` lower-cases an ASCII letter). */
const isPrefixLetter = (c: number): boolean => {
  const lower = c | 0x20;
  return lower === LETTER_U || lower === LETTER_R || lower === LETTER_B;
};
/** The two-letter prefixes: `ur`, `br`, `rb`, `ru` (lower-cased). */
const isPrefixPair = (a: number, b: number): boolean =>
  (b === LETTER_R && (a === LETTER_U || a === LETTER_B)) ||
  (a === LETTER_R && (b === LETTER_B || b === LETTER_U));

/**
 * Match a Python string literal at `offset` by scanning characters (no regex backtracking, so a
 * 30 MB string costs one linear pass). An unterminated string still matches — to the end of its
 * line, or of the input for a triple-quoted one — so the lexer never falls into per-character
 * error recovery; the reader reports it.
 */
function matchString(text: string, offset: number): CustomPatternMatcherReturn | null {
  let i = offset;
  // At most two prefix letters, and only the pairs Python 2 knows (ur, br, and rb/ru for Python 3's spellings).
  if (isPrefixLetter(text.charCodeAt(i))) {
    i++;
    if (isPrefixLetter(text.charCodeAt(i))) {
      if (!isPrefixPair(text.charCodeAt(offset) | 0x20, text.charCodeAt(i) | 0x20)) return null;
      i++;
    }
  }
  // Character codes, not one-character strings: this loop runs over every character of every string.
  const q = text.charCodeAt(i);
  if (q !== QUOTE && q !== DOUBLE_QUOTE) return null;
  const triple = text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q;
  i += triple ? 3 : 1;
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
  const matchEnd = terminated ? bodyEnd + (triple ? 3 : 1) : bodyEnd;
  const result = [text.slice(offset, matchEnd)] as CustomPatternMatcherReturn;
  if (!terminated) result.payload = UNTERMINATED;
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
/** A unary sign, `-` or `+`: a category, so that the grammar takes either without a choice. */
export const Sign = createToken({ name: "Sign", pattern: Lexer.NA });
/** `-` */
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: [Sign] });
/** `+` */
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: [Sign] });
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
  Sign,
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
