// Positions in JSON text: where the first syntax error is (Node's JSON.parse does not always say), and where
// the value at a path starts, so that a schema problem can point at its line.

/** The first syntax error of a JSON text: a message and its 0-based character offset. */
export interface JsonSyntaxError {
  message: string;
  offset: number;
}

/** A path into a JSON document: object keys and array indexes, as zod reports them. */
export type JsonPath = readonly PropertyKey[];

type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "comma-or-close" | "end";

const WHITESPACE = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;

/** Length of the match of a sticky `pattern` at `offset`, or -1 when it does not match there. */
function matchAt(pattern: RegExp, text: string, offset: number): number {
  pattern.lastIndex = offset;
  const match = pattern.exec(text);
  return match ? match[0].length : -1;
}

/**
 * Walk `text` as JSON (RFC 8259), calling `onValue` with the path and offset of each value as it starts,
 * and return the first syntax error, or null when the text is valid. The path array is reused: read it during
 * the call, never keep it. Iterative, with an explicit stack, so that deep nesting cannot overflow the stack.
 */
export function findJsonSyntaxError(
  text: string,
  onValue: (path: JsonPath, offset: number) => void = () => {},
): JsonSyntaxError | null {
  // The open objects and arrays, and beside them the key or index being read in each: one path, kept in place.
  const stack: ("object" | "array")[] = [];
  const path: PropertyKey[] = [];
  let expect: Expect = "value";
  let offset = 0;
  const fail = (message: string): JsonSyntaxError => ({ message, offset });
  const afterValue = (): Expect => (stack.length === 0 ? "end" : "comma-or-close");
  for (;;) {
    offset += matchAt(WHITESPACE, text, offset);
    const c = text[offset];
    if (c === undefined) {
      return expect === "end" ? null : fail("unexpected end of the file");
    }
    const top = stack[stack.length - 1];
    switch (expect) {
      case "end":
        return fail(`unexpected ${JSON.stringify(c)} after the end of the document`);
      case "colon":
        if (c !== ":") return fail(`expected ":" after a property name, found ${JSON.stringify(c)}`);
        offset += 1;
        expect = "value";
        break;
      case "key":
      case "key-or-close": {
        if (c === "}" && expect === "key-or-close") {
          stack.pop();
          path.pop();
          offset += 1;
          expect = afterValue();
          break;
        }
        const length = c === '"' ? matchAt(STRING, text, offset) : -1;
        if (length < 0) return fail(`expected a property name in double quotes, found ${JSON.stringify(c)}`);
        path[path.length - 1] = JSON.parse(text.slice(offset, offset + length)) as string;
        offset += length;
        expect = "colon";
        break;
      }
      case "comma-or-close": {
        const close = top === "object" ? "}" : "]";
        if (c === ",") {
          if (top === "array") path[path.length - 1] = (path[path.length - 1] as number) + 1;
          expect = top === "object" ? "key" : "value";
        } else if (c === close) {
          stack.pop();
          path.pop();
          expect = afterValue();
        } else {
          return fail(`expected "," or "${close}", found ${JSON.stringify(c)}`);
        }
        offset += 1;
        break;
      }
      case "value":
      case "value-or-close": {
        if (c === "]" && expect === "value-or-close") {
          stack.pop();
          path.pop();
          offset += 1;
          expect = afterValue();
          break;
        }
        onValue(path, offset);
        if (c === "{" || c === "[") {
          stack.push(c === "{" ? "object" : "array");
          path.push(c === "{" ? "" : 0);
          offset += 1;
          expect = c === "{" ? "key-or-close" : "value-or-close";
          break;
        }
        const pattern = c === '"' ? STRING : c === "-" || (c >= "0" && c <= "9") ? NUMBER : LITERAL;
        const length = matchAt(pattern, text, offset);
        if (length < 0) return fail(`expected a value, found ${JSON.stringify(c)}`);
        offset += length;
        expect = afterValue();
        break;
      }
    }
  }
}

/**
 * Offset of the value at `target` in a valid JSON text — or, when there is none (a missing key), of its
 * deepest ancestor that is there. With a repeated key, the last one wins, as in JSON.parse.
 */
export function locateJsonPath(text: string, target: JsonPath): number {
  let best = { depth: -1, offset: 0 };
  findJsonSyntaxError(text, (path, offset) => {
    const depth = path.length;
    // Checking the depth first keeps a deeply nested document linear.
    const onTheWay = depth <= target.length && path.every((part, i) => String(part) === String(target[i]));
    if (onTheWay && depth >= best.depth) best = { depth, offset };
  });
  return best.offset;
}

/** 1-based line and column of a 0-based character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
