// Generated vm.cfg configurations printed in the styles real writers use (for property tests).
import fc from "fast-check";

/** A Python literal as the generator sees it. */
export type Py =
  | { t: "str"; v: string }
  | { t: "int"; v: bigint }
  | { t: "float"; v: number }
  | { t: "bool"; v: boolean }
  | { t: "none" }
  | { t: "list"; v: Py[] }
  | { t: "tuple"; v: Py[] }
  | { t: "dict"; v: Array<[string, Py]> };

/** How to print: the knobs the writers of domain.md §3 turn. */
export interface Style {
  quote: "'" | '"' | "'''" | '"""';
  unicodePrefix: boolean;
  eq: string;
  trailingSpaces: string;
  newline: "\n" | "\r\n" | "\r";
  multiline: boolean;
  trailingComma: boolean;
  comments: boolean;
  hex: boolean;
  longSuffix: boolean;
}

const pyString = (s: string, style: Style): string => {
  const q = style.quote;
  let body = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") body += "\\\\";
    else if (ch === q[0]) body += `\\${ch}`;
    else if (ch === "\n") body += "\\n";
    else if (ch === "\r") body += "\\r";
    else if (ch === "\t") body += "\\t";
    else if (c < 0x20 || c === 0x7f) body += `\\x${c.toString(16).padStart(2, "0")}`;
    else body += ch;
  }
  return `${style.unicodePrefix ? "u" : ""}${q}${body}${q}`;
};

/** Print a literal in a style; `indent` is the current indentation for multi-line lists. */
export function printPy(value: Py, style: Style, indent = ""): string {
  switch (value.t) {
    case "str":
      return pyString(value.v, style);
    case "int": {
      const negative = value.v < 0n;
      const magnitude = negative ? -value.v : value.v;
      const digits = style.hex ? `0x${magnitude.toString(16)}` : magnitude.toString();
      return `${negative ? "-" : ""}${digits}${style.longSuffix ? "L" : ""}`;
    }
    case "float":
      // Python needs a point or an exponent to make a float; JS prints large ones with "e+".
      if (Object.is(value.v, -0)) return "-0.0";
      return Number.isInteger(value.v) && Math.abs(value.v) < 1e21 ? `${value.v}.0` : String(value.v);
    case "bool":
      return value.v ? "True" : "False";
    case "none":
      return "None";
    case "list":
    case "tuple":
    case "dict": {
      const [open, close] = value.t === "list" ? ["[", "]"] : value.t === "tuple" ? ["(", ")"] : ["{", "}"];
      const inner = `${indent}    `;
      const items =
        value.t === "dict"
          ? value.v.map(([k, v]) => `${pyString(k, style)}: ${printPy(v, style, inner)}`)
          : value.v.map((v) => printPy(v, style, inner));
      if (items.length === 0) return `${open}${close}`;
      const oneTuple = value.t === "tuple" && items.length === 1;
      const trailing = oneTuple || style.trailingComma ? "," : "";
      if (!style.multiline) return `${open}${items.join(", ")}${trailing}${close}`;
      const nl = style.newline;
      const comment = style.comments ? ` # item${nl}${inner}# between items` : "";
      return `${open}${nl}${inner}${items.join(`,${comment}${nl}${inner}`)}${trailing}${nl}${indent}${close}`;
    }
  }
}

/** JSON a reader should give for a literal (tuples as arrays, big ints as strings). */
export function expectedJson(value: Py): unknown {
  switch (value.t) {
    case "int":
      return value.v >= BigInt(Number.MIN_SAFE_INTEGER) && value.v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value.v)
        : value.v.toString();
    case "float":
      return value.v;
    case "none":
      return null;
    case "list":
    case "tuple":
      return value.v.map(expectedJson);
    case "dict":
      return Object.fromEntries(value.v.map(([k, v]) => [k, expectedJson(v)]));
    default:
      return value.v;
  }
}

const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom("'", '"', "\\", "\n", "\t", "\r", ",", ":", "#", "%", " ", "\x7f", "\u0001"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 30,
});

/** Arbitrary literals, nested a few levels. */
export const pyArb: fc.Arbitrary<Py> = fc.letrec<{ py: Py }>((tie) => ({
  py: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text.map((v): Py => ({ t: "str", v })),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((v): Py => ({ t: "int", v })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((v): Py => ({ t: "float", v })),
    fc.boolean().map((v): Py => ({ t: "bool", v })),
    fc.constant<Py>({ t: "none" }),
    fc.array(tie("py"), { maxLength: 4 }).map((v): Py => ({ t: "list", v })),
    fc.array(tie("py"), { maxLength: 4 }).map((v): Py => ({ t: "tuple", v })),
    fc
      .uniqueArray(fc.tuple(text, tie("py")), { maxLength: 4, selector: ([k]) => k })
      .map((v): Py => ({ t: "dict", v })),
  ),
})).py;

/** Arbitrary print styles. */
export const styleArb: fc.Arbitrary<Style> = fc.record({
  quote: fc.constantFrom("'" as const, '"' as const, "'''" as const, '"""' as const),
  unicodePrefix: fc.boolean(),
  eq: fc.constantFrom(" = ", "=", "\t=\t", "   =  "),
  trailingSpaces: fc.constantFrom("", "  ", " \t"),
  newline: fc.constantFrom("\n" as const, "\r\n" as const, "\r" as const),
  multiline: fc.boolean(),
  trailingComma: fc.boolean(),
  comments: fc.boolean(),
  hex: fc.boolean(),
  longSuffix: fc.boolean(),
});

/** Keys: Python names that are not keywords (some repeated: the last assignment must win). */
export const keyArb = fc.constantFrom(
  "name",
  "uuid",
  "memory",
  "disk",
  "vif",
  "OVM_simple_name",
  "x_1",
  "Mixed",
  "_k",
);

/** A whole vm.cfg: assignments printed in one style, with a comment header. */
export function printConfig(assignments: ReadonlyArray<[string, Py]>, style: Style): string {
  const nl = style.newline;
  const header = style.comments ? `# generated${nl}#${nl}` : "";
  return `${header}${assignments.map(([k, v]) => `${k}${style.eq}${printPy(v, style)}${style.trailingSpaces}`).join(nl)}${nl}`;
}

/** The values a reader should give: the last assignment of each key wins. */
export function expectedValues(assignments: ReadonlyArray<[string, Py]>): Record<string, unknown> {
  return Object.fromEntries(assignments.map(([k, v]) => [k, expectedJson(v)]));
}
