// Python literal values with their positions, and their JSON rendering.
import type { PyJson } from "../schema/parse.js";

/** A Python literal as read, with where it starts (1-based). */
export interface PyNode {
  kind: "str" | "int" | "float" | "bool" | "none" | "list" | "tuple" | "dict";
  line: number;
  column: number;
  /** str: string; int: bigint; float: number; bool: boolean; none: null. */
  value?: string | bigint | number | boolean | null;
  /** list and tuple items. */
  items?: PyNode[];
  /** dict entries in order (a repeated key keeps its last value, as in Python). */
  entries?: Array<[PyNode, PyNode]>;
}

/** A node; every node has the same shape (one hidden class), whatever its kind. */
export function pyNode(
  kind: PyNode["kind"],
  line: number,
  column: number,
  value: PyNode["value"],
  items?: PyNode[],
  entries?: Array<[PyNode, PyNode]>,
): PyNode {
  return { kind, line, column, value, items, entries };
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Python's `repr()` of a hashable literal (what `str()` shows inside a tuple). */
function pyRepr(node: PyNode): string {
  switch (node.kind) {
    case "str":
      return `'${(node.value as string).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    case "bool":
      return node.value ? "True" : "False";
    case "none":
      return "None";
    case "tuple": {
      const items = (node.items ?? []).map(pyRepr);
      return `(${items.join(", ")}${items.length === 1 ? "," : ""})`;
    }
    default:
      return String(toJson(node));
  }
}

/** Python's `str()` of a dict key, for a JSON object key. */
const keyString = (node: PyNode): string => (node.kind === "str" ? (node.value as string) : pyRepr(node));

/** Python's key equality: `1`, `1.0` and `True` are the same key. */
function keyIdentity(node: PyNode): string {
  switch (node.kind) {
    case "str":
      return `s${node.value as string}`;
    case "bool":
      return `n${node.value ? 1 : 0}`;
    case "int":
    case "float":
      return `n${Number(node.value)}`;
    case "tuple":
      return `t(${(node.items ?? []).map(keyIdentity).join(",")})`;
    default:
      return pyRepr(node);
  }
}

/** Dict entries as Python keeps them: a repeated key keeps its first spelling and its last value. */
function dictEntries(entries: ReadonlyArray<[PyNode, PyNode]>): Array<[string, PyJson]> {
  const byKey = new Map<string, [string, PyJson]>();
  for (const [k, v] of entries) {
    const id = keyIdentity(k);
    byKey.set(id, [byKey.get(id)?.[0] ?? keyString(k), toJson(v)]);
  }
  return [...byKey.values()];
}

/** JSON rendering: tuples as arrays, dict keys as strings, ints beyond 2^53 as decimal strings. */
export function toJson(node: PyNode): PyJson {
  switch (node.kind) {
    case "int": {
      const n = node.value as bigint;
      return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n.toString();
    }
    case "float":
      return Number.isFinite(node.value as number) ? (node.value as number) : String(node.value);
    case "list":
    case "tuple":
      return (node.items ?? []).map(toJson);
    case "dict":
      // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
      return Object.fromEntries(dictEntries(node.entries ?? []));
    default:
      return node.value as string | boolean | null;
  }
}
