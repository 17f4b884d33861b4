// What the HTML report embeds: the documents the other commands print (plan, check, rebuild sheets), the
// graph in a compact form with its layout, and one summary row per guest and template joined from them.
import { eachProblemOnce } from "../../diagnostics.js";
import type { CheckResult } from "../../schema/check.js";
import type { Diagnostic, Gap } from "../../schema/diagnostic.js";
import type { SerializedGraph } from "../../schema/graph.js";
import type { PlanResult } from "../../schema/plan.js";
import type { RebuildSheet } from "../../schema/rebuild.js";
import type { Role, ScanResult } from "../../schema/scan.js";
import { layoutGraph } from "./layout.js";

/** The documents a report is built from, as the commands build them from one scan. */
export interface ReportDocuments {
  /** The scan: its repositories, the names and kinds of its guests and templates, its diagnostics. */
  scan: ScanResult;
  /** The backup sets of the guests and templates the report shows, one summary row each (`plan --guest`). */
  plan: PlanResult;
  /** The check findings, with the rules that explain them. */
  check: CheckResult;
  /** The dependency graph (`graph --format json`). */
  graph: SerializedGraph;
  /** The rebuild sheet of each guest and template (`rebuild --format json`), in any order. */
  rebuild: RebuildSheet[];
}

/** One row of the estate summary: a guest or template, joined from the scan, the plan and the check. */
export interface ReportRow {
  /** Its owner reference. */
  ref: string;
  /** Its simple name, else `name`, else its folder. */
  name: string;
  type: "guest" | "template";
  repository: string;
  running: boolean | null;
  /** Disk entries of its vm.cfg (CD-ROMs and base images included). */
  disks: number;
  /** Sums over its backup set's files; null when a size is unknown. */
  bytes: number | null;
  allocatedBytes: number | null;
  coverage: PlanResult["guests"][number]["coverage"];
  /** The other owners it shares a disk, LUN or external file with (owner references). */
  sharedWith: string[];
  /** Indexes into the check document's findings about its vm.cfg or its files. */
  findings: number[];
  /** Index of its node in the compact graph, null when the graph has none. */
  node: number | null;
}

/**
 * The graph as the page draws it: per node `[key, kind, label, repository, flags, x, y]` (flags: 1 shared,
 * 2 missing) and per edge `[source, target, kind]` by node index. Every attribute is in the graph document;
 * only what the drawing uses is kept (a 10,000-guest graph document is tens of megabytes).
 */
export interface CompactGraph {
  nodes: Array<[string, string, string, string | null, number, number, number]>;
  edges: Array<[number, number, string]>;
}

/** A repository as the report names it. */
export interface ReportRepository {
  id: string;
  alias: string | null;
  role: Role;
  root: string;
}

/** Everything the page reads (`<script type="application/json">` blocks, one per part). */
export interface ReportData {
  meta: {
    title: string;
    generatedAt: string;
    roots: string[];
    complete: boolean;
    incomplete: Gap[];
    repositories: ReportRepository[];
  };
  rows: ReportRow[];
  plan: PlanResult;
  check: CheckResult;
  rebuild: RebuildSheet[];
  graph: CompactGraph;
  diagnostics: Diagnostic[];
}

/** Options of the report: its title and the time it says it was made (defaults: `ovm-deps report`, now). */
export interface ReportOptions {
  title?: string;
  generatedAt?: string;
}

const sum = (values: Array<number | null>): number | null =>
  values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);

/** `REPOSITORY/FILE`: how findings and plan files name a file. */
const placeOf = (repository: string | null, file: string | null): string =>
  `${repository ?? ""}\0${file ?? ""}`;

/** The findings of each owner: about its vm.cfg, about a file of its backup set, or caused by its vm.cfg. */
function findingsByOwner(documents: ReportDocuments): Map<string, number[]> {
  const owners = new Map<string, Set<string>>();
  const claim = (place: string, ref: string): void => {
    const set = owners.get(place) ?? new Set<string>();
    set.add(ref);
    owners.set(place, set);
  };
  for (const owner of [...documents.scan.guests, ...documents.scan.templates]) {
    claim(placeOf(owner.repository, owner.config), owner.ref);
  }
  for (const plan of documents.plan.guests) {
    for (const file of plan.files) claim(placeOf(file.repository, file.file), plan.owner);
    for (const outside of plan.outside) claim(placeOf(null, outside.ref), plan.owner);
  }
  const result = new Map<string, number[]>();
  documents.check.findings.forEach((finding, index) => {
    const places = [placeOf(finding.repository, finding.file)];
    if (finding.source) places.push(placeOf(finding.source.repository, finding.source.file));
    const refs = new Set(places.flatMap((place) => [...(owners.get(place) ?? [])]));
    for (const ref of refs) {
      const list = result.get(ref);
      if (list === undefined) result.set(ref, [index]);
      else list.push(index);
    }
  });
  return result;
}

/** The graph's nodes and edges with what the drawing needs, and each node's position. */
function compactGraph(graph: SerializedGraph): CompactGraph {
  const positions = layoutGraph(graph);
  const index = new Map(graph.nodes.map((node, i) => [node.key, i]));
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    nodes: graph.nodes.map((node, i) => {
      const a = node.attributes;
      const flags = (a.shared === true ? 1 : 0) | (a.present === false ? 2 : 0);
      const repository = typeof a.repository === "string" ? a.repository : null;
      return [
        node.key,
        a.kind,
        a.label,
        repository,
        flags,
        round(positions[2 * i]!),
        round(positions[2 * i + 1]!),
      ];
    }),
    edges: graph.edges.flatMap((edge) => {
      const source = index.get(edge.source);
      const target = index.get(edge.target);
      return source === undefined || target === undefined ? [] : [[source, target, edge.attributes.kind]];
    }),
  };
}

/** Build what the page embeds from the documents. */
export function reportData(documents: ReportDocuments, options: ReportOptions = {}): ReportData {
  const { scan, plan, check } = documents;
  const findings = findingsByOwner(documents);
  // An owner's node is the guest or template node with its reference (the graph's own key is not rebuilt here).
  const nodes = new Map<string, number>();
  documents.graph.nodes.forEach((node, i) => {
    const { kind, ref } = node.attributes;
    if ((kind === "guest" || kind === "template") && typeof ref === "string") nodes.set(ref, i);
  });
  // One row per planned owner: the plan holds the guests and templates the report shows (`--guest`).
  const owners = new Map([...scan.guests, ...scan.templates].map((o) => [o.ref, o]));
  const rows: ReportRow[] = plan.guests.flatMap((p) => {
    const owner = owners.get(p.owner);
    if (owner === undefined) return [];
    const files = p.files.filter((f) => f.role !== "link");
    const sharedWith = new Set(p.shared.flatMap((s) => s.users).filter((u) => u !== owner.ref));
    return [
      {
        ref: owner.ref,
        name: owner.simpleName ?? owner.name ?? owner.id,
        type: owner.type,
        repository: owner.repository,
        running: owner.running,
        disks: owner.disks.length,
        bytes: sum(files.map((f) => f.bytes)),
        allocatedBytes: sum(files.map((f) => f.allocatedBytes)),
        coverage: p.coverage,
        sharedWith: [...sharedWith].sort(),
        findings: findings.get(owner.ref) ?? [],
        node: nodes.get(owner.ref) ?? null,
      },
    ];
  });
  const ownerDiagnostics = [...scan.guests, ...scan.templates].flatMap((o) => o.diagnostics);
  return {
    meta: {
      title: options.title ?? "ovm-deps report",
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      roots: scan.roots,
      complete: scan.complete !== false && (scan.incomplete ?? []).length === 0,
      incomplete: scan.incomplete ?? [],
      repositories: scan.repositories.map((r) => ({ id: r.id, alias: r.alias, role: r.role, root: r.root })),
    },
    rows,
    plan,
    check,
    rebuild: documents.rebuild,
    graph: compactGraph(documents.graph),
    diagnostics: eachProblemOnce(scan.diagnostics, ownerDiagnostics),
  };
}
