// The typed guest configuration: identity, sizes, disks and vifs out of the readable assignments.
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import type { GuestConfig, LocatedDisk, Vif } from "../schema/parse.js";
import { parseDiskSpec } from "./disk-spec.js";
import type { PyNode } from "./values.js";

/**
 * Memory and CPU counts: numbers even when written as quoted strings (`memory = '65536'`); null for
 * anything else. A hand check, not a schema: it runs for every file of a scan.
 */
function countOf(value: PyNode["value"]): number | null {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && QUOTED_COUNT.test(value)) return Number(value.trim());
  return null;
}

const QUOTED_COUNT = /^\s*\d+\s*$/;

const identityKeys = { uuid: "uuid", name: "name", simpleName: "OVM_simple_name" } as const;
const countKeys = ["memory", "maxmem", "vcpus", "maxvcpus"] as const;

/** A guest's uuid as identity: with or without dashes, any case, it is its lower-case hex digits. */
export function uuidKey(uuid: string): string {
  return uuid.replaceAll("-", "").toLowerCase();
}

/** The typed guest configuration without `values` (the JSON of every assignment, which only `parse` shows). */
export type GuestSettings = Omit<GuestConfig, "values">;

/** The typed guest configuration of a vm.cfg from the last assignment of each key. */
export function readGuestConfig(
  statements: ReadonlyMap<string, { value: PyNode }>,
  file: string | null,
): { settings: GuestSettings; diagnostics: Diagnostic[] } {
  const values = { get: (key: string) => statements.get(key)?.value };
  const diagnostics: Diagnostic[] = [];
  const at = (node: PyNode) => ({ file, line: node.line, column: node.column });
  const text = (key: string): string | null => {
    const node = values.get(key);
    if (!node) return null;
    if (node.kind === "str") return node.value as string;
    diagnostics.push(diagnostic("warning", "invalid-value", `"${key}" should be a string`, at(node)));
    return null;
  };
  const count = (key: string): number | null => {
    const node = values.get(key);
    if (!node) return null;
    const parsed = countOf(node.value);
    if (parsed !== null) return parsed;
    diagnostics.push(diagnostic("warning", "invalid-value", `"${key}" should be a whole number`, at(node)));
    return null;
  };
  const builder = text("builder");
  const domainType = text("OVM_domain_type") ?? (builder === null ? null : builder === "hvm" ? "hvm" : "pv");
  const settings: GuestSettings = {
    uuid: text(identityKeys.uuid),
    name: text(identityKeys.name),
    simpleName: text(identityKeys.simpleName),
    domainType,
    memory: count(countKeys[0]),
    maxmem: count(countKeys[1]),
    vcpus: count(countKeys[2]),
    maxvcpus: count(countKeys[3]),
    disks: readDisks(values.get("disk"), file, diagnostics),
    vifs: stringItems(values.get("vif"), "vif", file, diagnostics).map(({ value }) => readVif(value)),
  };
  return { settings, diagnostics };
}

/** The string items of a list setting; a lone string is taken as a one-item list, with a warning. */
function stringItems(
  node: PyNode | undefined,
  key: string,
  file: string | null,
  diagnostics: Diagnostic[],
): Array<{ value: string; node: PyNode }> {
  if (!node) return [];
  const at = (n: PyNode) => ({ file, line: n.line, column: n.column });
  if (node.kind === "str") {
    diagnostics.push(
      diagnostic(
        "warning",
        "not-a-list",
        `"${key}" should be a list; its one string is read as one entry`,
        at(node),
      ),
    );
    return [{ value: node.value as string, node }];
  }
  if (node.kind !== "list" && node.kind !== "tuple") {
    diagnostics.push(diagnostic("warning", "not-a-list", `"${key}" should be a list of strings`, at(node)));
    return [];
  }
  const items: Array<{ value: string; node: PyNode }> = [];
  for (const item of node.items ?? []) {
    if (item.kind === "str") items.push({ value: item.value as string, node: item });
    else
      diagnostics.push(
        diagnostic("warning", "not-a-string", `a "${key}" entry should be a string`, at(item)),
      );
  }
  return items;
}

function readDisks(node: PyNode | undefined, file: string | null, diagnostics: Diagnostic[]): LocatedDisk[] {
  const disks: LocatedDisk[] = [];
  for (const { value, node: item } of stringItems(node, "disk", file, diagnostics)) {
    const parsed = parseDiskSpec(value, { file, line: item.line, column: item.column });
    for (const d of parsed.diagnostics) diagnostics.push(d);
    // The disk is parseDiskSpec's own new object: it takes its position in place (cheaper than a copy).
    if (parsed.disk) disks.push(Object.assign(parsed.disk, { line: item.line, column: item.column }));
  }
  return disks;
}

/** A vif entry: `key=value` items separated by commas; bare words are kept as flags (value ""). */
function readVif(spec: string): Vif {
  const pairs = spec
    .split(",")
    .map((part) => part.trim())
    .filter((item) => item !== "")
    .map((item): [string, string] => {
      const eq = item.indexOf("=");
      return eq === -1 ? [item, ""] : [item.slice(0, eq).trim(), item.slice(eq + 1).trim()];
    });
  const items = Object.fromEntries(pairs);
  return { spec, mac: items.mac ?? null, bridge: items.bridge ?? null, items };
}
