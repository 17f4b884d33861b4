// Turning the bytes of a vm.cfg into text the lexer can take, with diagnostics for what cannot be.
import { type Diagnostic, diagnostic, type Position } from "../diagnostics.js";

/** Inputs larger than this are not read (real vm.cfg files are a few KB). */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;
/**
 * At most this many characters of code (outside strings and comments, not white space): each can
 * start a token, and a token costs memory, so a bound here bounds the lexer's memory.
 */
export const MAX_CODE_CHARACTERS = 1_000_000;

/** Decoded text, or null with the reason in `diagnostics`. */
export interface DecodedSource {
  text: string | null;
  diagnostics: Diagnostic[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** 1-based line and column of unit `offset` (a byte, or a UTF-16 unit) of a text read by `codeAt`. */
function positionOf(
  codeAt: (i: number) => number | undefined,
  offset: number,
): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = codeAt(i);
    if (c === 0x0a || (c === 0x0d && codeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte that is not valid UTF-8 (only called once decoding has failed). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Decode a vm.cfg: strip a UTF-8 BOM; refuse binary content (a NUL byte, which Python's compile()
 * refuses too) and oversized input; decode invalid UTF-8 with replacement characters and a warning
 * (Python 2 read bytes, so the rest of the file still has its meaning).
 */
export function decodeSource(source: string | Uint8Array, file: string | null): DecodedSource {
  const at = (line: number | null, column: number | null): Position => ({ file, line, column });
  const size = typeof source === "string" ? source.length : source.byteLength;
  if (size > MAX_SOURCE_BYTES) {
    return {
      text: null,
      diagnostics: [
        diagnostic(
          "error",
          "file-too-large",
          `${size} bytes is more than a vm.cfg can be (limit ${MAX_SOURCE_BYTES})`,
          at(null, null),
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  let text: string;
  if (typeof source === "string") {
    text = source;
  } else {
    try {
      text = utf8.decode(source);
    } catch {
      const p = positionOf((i) => source[i], firstInvalidUtf8(source));
      diagnostics.push(
        diagnostic(
          "warning",
          "invalid-utf8",
          "bytes that are not UTF-8 were read as U+FFFD",
          at(p.line, p.column),
        ),
      );
      text = utf8Lenient.decode(source);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Python's compile() refuses a NUL too: this is binary data, not a vm.cfg.
  const nul = text.indexOf("\0");
  if (nul !== -1) {
    const p = positionOf((i) => text.charCodeAt(i), nul);
    const d = diagnostic(
      "error",
      "binary-file",
      "the file holds a NUL byte: binary data, not a vm.cfg",
      at(p.line, p.column),
    );
    return { text: null, diagnostics: [d] };
  }
  const code = countCodeCharacters(text);
  if (code > MAX_CODE_CHARACTERS) {
    diagnostics.push(
      diagnostic(
        "error",
        "file-too-large",
        `${code} characters of code outside strings and comments: not a vm.cfg (limit ${MAX_CODE_CHARACTERS})`,
        at(null, null),
      ),
    );
    return { text: null, diagnostics };
  }
  return { text, diagnostics };
}

/**
 * Count the characters that are neither white space nor inside a string or comment: an upper
 * bound of the number of tokens, found in one linear pass without building any.
 */
function countCodeCharacters(text: string): number {
  let count = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
      continue;
    }
    if (c === QUOTE || c === DOUBLE_QUOTE) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      i += triple ? 3 : 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === c && (!triple || (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c))) {
          i += triple ? 3 : 1;
          break;
        } else if (!triple && isLineBreak(d)) break;
        else i++;
      }
      count++;
      continue;
    }
    if (c > 0x20) count++;
    i++;
  }
  return count;
}

const HASH = 0x23;
const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isLineBreak = (c: number): boolean => c === 0x0a || c === 0x0d;
