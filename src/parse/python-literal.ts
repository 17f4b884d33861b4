// Python 2 literal meaning: string escapes and number forms, as `xm` (Python 2 `exec`) read them.

/** A literal's meaning, or why it has none. */
export type LiteralResult<T> = { ok: true; value: T } | { ok: false; problem: string };

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
 * Decode the body of a string literal. Raw strings keep backslashes; `\u`/`\U` escapes apply only
 * to unicode (`u`) strings, as in Python 2; unknown escapes are kept as written.
 */
export function decodeStringBody(body: string, prefix: string): LiteralResult<string> {
  if (prefix.includes("r")) return { ok: true, value: body };
  if (!body.includes("\\")) return { ok: true, value: body };
  const unicode = prefix.includes("u");
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
    if (e === undefined) return { ok: false, problem: "a string ends in a lone backslash" };
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
      if (hex.length !== width || !isHex(hex)) return { ok: false, problem: `invalid \\${e} escape` };
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) return { ok: false, problem: `\\${e}${hex} is beyond Unicode` };
      out += String.fromCodePoint(code);
      i += 2 + width;
      continue;
    }
    out += c + e;
    i += 2;
  }
  return { ok: true, value: out };
}

/**
 * The value of a number literal: ints (decimal, Python 2 leading-zero octal, `0o`, `0x`, `0b`,
 * `L` suffix) as bigint, floats as number.
 */
export function decodeNumber(image: string): LiteralResult<bigint | number> {
  const text = image.replace(/[lL]$/, "");
  if (/^0[xX]/.test(text)) return { ok: true, value: BigInt(text) };
  if (/^0[oO]/.test(text)) return { ok: true, value: BigInt(`0o${text.slice(2)}`) };
  if (/^0[bB]/.test(text)) return { ok: true, value: BigInt(text) };
  if (/^\d+$/.test(text)) {
    if (text.length > 1 && text.startsWith("0")) {
      if (/[89]/.test(text)) return { ok: false, problem: `invalid octal number ${image}` };
      return { ok: true, value: BigInt(`0o${text.slice(1)}`) };
    }
    return { ok: true, value: BigInt(text) };
  }
  if (text !== image) return { ok: false, problem: `a float cannot have an L suffix: ${image}` };
  return { ok: true, value: Number(text) };
}
