// Python 2 literal meaning: string escapes and number forms, as `xm` (Python 2 `exec`) read them.

/** Why a literal has no meaning (a class, so that a literal that has one needs no wrapper object). */
export class LiteralProblem {
  constructor(readonly problem: string) {}
}

const simpleEscapes: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

const isHex = (s: string): boolean => /^[0-9a-fA-F]+$/.test(s);

/**
 * The value of a string literal's token image (prefix, quotes and body; the closing quote present):
 * the body decoded as Python 2 decodes it.
 */
export function decodeStringLiteral(image: string): string | LiteralProblem {
  let raw = false;
  let unicode = false;
  let p = 0;
  for (; p < 2; p++) {
    const letter = image.charCodeAt(p) | 0x20;
    if (letter === LETTER_R) raw = true;
    else if (letter === LETTER_U) unicode = true;
    else if (letter !== LETTER_B) break;
  }
  const q = image.charCodeAt(p);
  const quoteLength = image.charCodeAt(p + 1) === q && image.charCodeAt(p + 2) === q ? 3 : 1;
  const body = image.slice(p + quoteLength, image.length - quoteLength);
  return raw ? body : decodeStringBody(body, unicode);
}

const LETTER_U = 0x75;
const LETTER_R = 0x72;
const LETTER_B = 0x62;

/**
 * Decode the body of a string literal that is not raw (raw strings keep backslashes). `\u`/`\U`
 * escapes apply only to unicode (`u`) strings, as in Python 2; unknown escapes are kept as written.
 */
function decodeStringBody(body: string, unicode: boolean): string | LiteralProblem {
  if (!body.includes("\\")) return body;
  let out = "";
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== "\\") {
      const next = body.indexOf("\\", i);
      const stop = next === -1 ? body.length : next;
      out += body.slice(i, stop);
      i = stop;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return new LiteralProblem("a string ends in a lone backslash");
    if (e === "\n" || e === "\r") {
      i += e === "\r" && body[i + 2] === "\n" ? 3 : 2;
      continue;
    }
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (e >= "0" && e <= "7") {
      let digits = e;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1 + digits.length] ?? ""))
        digits += body[i + 1 + digits.length];
      const code = Number.parseInt(digits, 8);
      out += String.fromCharCode(unicode ? code : code & 0xff);
      i += 1 + digits.length;
      continue;
    }
    const width = e === "x" ? 2 : unicode && e === "u" ? 4 : unicode && e === "U" ? 8 : 0;
    if (width > 0) {
      const hex = body.slice(i + 2, i + 2 + width);
      if (hex.length !== width || !isHex(hex)) return new LiteralProblem(`invalid \\${e} escape`);
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) return new LiteralProblem(`\\${e}${hex} is beyond Unicode`);
      out += String.fromCodePoint(code);
      i += 2 + width;
      continue;
    }
    out += c + e;
    i += 2;
  }
  return out;
}

/**
 * The value of a number literal: ints (decimal, Python 2 leading-zero octal, `0o`, `0x`, `0b`,
 * `L` suffix) as bigint, floats as number.
 */
export function decodeNumber(image: string): bigint | number | LiteralProblem {
  const last = image.charCodeAt(image.length - 1) | 0x20;
  const text = last === LETTER_L ? image.slice(0, -1) : image;
  if (DECIMAL.test(text)) return BigInt(text);
  // BigInt reads 0x, 0o and 0b itself.
  if (RADIX_PREFIXED.test(text)) return BigInt(text);
  if (OCTAL_DIGITS.test(text)) {
    if (/[89]/.test(text)) return new LiteralProblem(`invalid octal number ${image}`);
    return BigInt(`0o${text.slice(1)}`);
  }
  if (text !== image) return new LiteralProblem(`a float cannot have an L suffix: ${image}`);
  return Number(text);
}

const LETTER_L = 0x6c;
/** A decimal int: no leading zero (or zero itself). */
const DECIMAL = /^(?:0|[1-9]\d*)$/;
const RADIX_PREFIXED = /^0[xXoObB]/;
/** A leading zero and digits: Python 2 octal (8 and 9 are an error). */
const OCTAL_DIGITS = /^0\d+$/;
