// Mermaid flowchart of the dependency graph: a subgraph per repository, safe ids, escaped labels, within
// Mermaid's limits (a larger graph is cut at an owner and says so).
import type { NodeKind, SerializedGraph } from "../schema/graph.js";
import { type GraphNode, type GraphView, graphView, isMissing } from "./graph-view.js";
import { escapeText } from "./text.js";

/** Characters Mermaid reads as markup inside a label, as its entity codes. */
const ENTITIES: Record<string, string> = {
  '"': "#quot;",
  "#": "#35;",
  "<": "#lt;",
  ">": "#gt;",
  "&": "#amp;",
  "`": "#96;",
};

/** A Mermaid quoted label: control characters made visible, markup characters as entity codes. */
function quote(text: string): string {
  return `"${escapeText(text).replace(/["#<>&`]/g, (c) => ENTITIES[c] ?? c)}"`;
}

/** Mermaid node shapes per kind, as the brackets around a quoted label. */
const SHAPES: Record<NodeKind, [string, string]> = {
  repository: ["[", "]"],
  guest: ["(", ")"],
  template: ["[[", "]]"],
  "virtual-disk": ["[(", ")]"],
  iso: ["((", "))"],
  "physical-disk": ["[(", ")]"],
  "external-file": [">", "]"],
  "nfs-export": ["{{", "}}"],
  assembly: ["[/", "/]"],
};

/**
 * What Mermaid draws at most, by default (its `maxTextSize` and `maxEdges` settings): beyond either, it
 * draws an error instead of the chart.
 */
export interface MermaidLimits {
  /** Characters of the whole text (Mermaid's default: 50,000). */
  maxTextSize: number;
  /** Edges (Mermaid's default: 500). */
  maxEdges: number;
}

/** Mermaid's own defaults. */
export const MERMAID_LIMITS: MermaidLimits = { maxTextSize: 50_000, maxEdges: 500 };

/** Room kept for the lines every chart ends with (class definitions, the note of a cut chart). */
const RESERVE = 1_000;

type Edge = SerializedGraph["edges"][number];

/** A chart's content: the nodes and edges drawn, and how many owners and other nodes were left out. */
interface Chart {
  nodes: Set<string>;
  edges: Edge[];
  ownersLeftOut: number;
  owners: number;
  nodesLeftOut: number;
}

const isOwner = (node: GraphNode): boolean =>
  node.attributes.kind === "guest" || node.attributes.kind === "template";

/**
 * Choose what a chart within `limits` holds: owners in graph order, each whole (with what it uses and its
 * edges), then the nodes no owner uses, until the next would not fit; the rest is left out.
 */
function chartOf(
  graph: SerializedGraph,
  view: GraphView,
  limits: MermaidLimits,
  ids: Map<string, string>,
): Chart {
  const byKey = new Map(graph.nodes.map((node) => [node.key, node]));
  const edgesOf = new Map<string, Edge[]>();
  for (const edge of view.edges) {
    const list = edgesOf.get(edge.source);
    if (list === undefined) edgesOf.set(edge.source, [edge]);
    else list.push(edge);
  }
  // Each node's cluster, and the size of the lines that open and close a cluster (counted with its first node).
  const clusterOf = new Map<string, string>();
  const clusterLines = new Map<string, number>();
  view.clusters.forEach(({ repository, members }, index) => {
    clusterLines.set(repository.key, clusterOpen(repository, index).length + "  end\n".length);
    for (const member of members) clusterOf.set(member.key, repository.key);
  });
  const nodes = new Set<string>();
  const edges: Edge[] = [];
  const opened = new Set<string>();
  let size = 0;
  const sizeOfNode = (key: string): number => {
    const node = byKey.get(key)!;
    const cluster = clusterOf.get(key);
    // A cluster two new nodes open is counted twice: the estimate errs on the safe side.
    const open = cluster !== undefined && !opened.has(cluster) ? clusterLines.get(cluster)! : 0;
    const classed = view.shared.has(key) || isMissing(node) ? ids.get(key)!.length + 1 : 0;
    return open + statement(node, ids).length + "    \n".length + classed;
  };
  // Units: each owner with what it uses, then each node nobody uses on its own; repositories are clusters.
  const owners = graph.nodes.filter(isOwner);
  const units: string[][] = owners.map((owner) => [
    owner.key,
    ...(edgesOf.get(owner.key) ?? []).map((e) => e.target),
  ]);
  for (const node of graph.nodes)
    if (node.attributes.kind !== "repository" && !isOwner(node)) units.push([node.key]);
  let taken = 0;
  for (const unit of units) {
    const unitEdges = edgesOf.get(unit[0]!) ?? [];
    const fresh = unit.filter((key, i) => !nodes.has(key) && unit.indexOf(key) === i);
    if (fresh.length === 0 && unitEdges.length === 0) {
      taken++;
      continue;
    }
    let extra = 0;
    for (const key of fresh) extra += sizeOfNode(key);
    for (const edge of unitEdges) extra += edgeLine(edge, ids).length + 1;
    if (size + extra > limits.maxTextSize - RESERVE || edges.length + unitEdges.length > limits.maxEdges)
      break;
    size += extra;
    for (const key of fresh) {
      nodes.add(key);
      const cluster = clusterOf.get(key);
      if (cluster !== undefined) opened.add(cluster);
    }
    for (const edge of unitEdges) edges.push(edge);
    taken++;
  }
  const cut = taken < units.length;
  const ownersTaken = Math.min(taken, owners.length);
  let nodesLeftOut = 0;
  for (const node of graph.nodes)
    if (!isOwner(node) && node.attributes.kind !== "repository" && !nodes.has(node.key)) nodesLeftOut++;
  // A whole chart shows every repository, empty ones too; a cut one those it draws something in.
  if (!cut) for (const { repository } of view.clusters) opened.add(repository.key);
  for (const key of opened) nodes.add(key);
  return {
    nodes,
    edges,
    ownersLeftOut: owners.length - ownersTaken,
    owners: owners.length,
    nodesLeftOut: cut ? nodesLeftOut : 0,
  };
}

/** The line that opens the cluster of a repository (the `index`th). */
function clusterOpen(repository: GraphNode, index: number): string {
  return `  subgraph r${index}[${quote(repository.attributes.label)}]\n`;
}

/** A node's Mermaid statement: its id, shape and label. */
function statement(node: GraphNode, ids: Map<string, string>): string {
  const [open, close] = SHAPES[node.attributes.kind];
  const text = `${node.attributes.label}${isMissing(node) ? " (missing)" : ""}`;
  return `${ids.get(node.key)}${open}${quote(text)}${close}`;
}

/** An edge's Mermaid statement: a disk entry labelled with its vdev, an NFS mount (dotted) with its mount point. */
function edgeLine(edge: Edge, ids: Map<string, string>): string {
  const a = edge.attributes;
  const text = a.kind === "mounts" ? a.mountPoint : a.vdev;
  const arrow = a.kind === "mounts" ? "-.->" : "-->";
  const edgeLabel = typeof text === "string" && text !== "" ? `|${quote(text)}|` : "";
  return `  ${ids.get(edge.source)} ${arrow}${edgeLabel} ${ids.get(edge.target)}`;
}

/** What a cut chart left out, as one sentence (null when nothing was). */
function leftOutText(chart: Chart): string | null {
  if (chart.ownersLeftOut === 0 && chart.nodesLeftOut === 0) return null;
  const others = chart.nodesLeftOut === 0 ? "" : ` and ${chart.nodesLeftOut} other nodes`;
  return `${chart.ownersLeftOut} of ${chart.owners} guests and templates${others} left out (Mermaid's limits): scope the graph with --guest SEL or --repository SEL`;
}

/** A Mermaid rendering: its chunks, and the warning for stderr when the chart was cut (null when whole). */
export interface MermaidChart {
  chunks: Iterable<string>;
  warning: string | null;
}

/**
 * A Mermaid `flowchart LR` of a serialised dependency graph, in chunks, within `limits` (Mermaid's defaults):
 * a larger graph is cut after the last owner that fits, and the chart ends with a note saying how many
 * owners were left out and how to scope it; `warning` says the same for stderr.
 */
export function mermaidChart(graph: SerializedGraph, limits: MermaidLimits = MERMAID_LIMITS): MermaidChart {
  // Keys hold any character: Mermaid gets `n0`, `n1`… in node order, clusters `r0`, `r1`….
  const ids = new Map(graph.nodes.map((node, index) => [node.key, `n${index}`]));
  const view = graphView(graph);
  const chart = chartOf(graph, view, limits, ids);
  const note = leftOutText(chart);
  return {
    chunks: mermaidChunks(graph, view, chart, ids, note),
    warning: note === null ? null : `warning: mermaid: ${note}\n`,
  };
}

/** The chart's lines, one chunk each. */
function* mermaidChunks(
  graph: SerializedGraph,
  view: GraphView,
  chart: Chart,
  ids: Map<string, string>,
  note: string | null,
): Generator<string> {
  const drawn = (node: GraphNode): boolean => chart.nodes.has(node.key);
  yield "flowchart LR\n";
  let index = 0;
  for (const { repository, members } of view.clusters) {
    if (!drawn(repository)) {
      index++;
      continue;
    }
    yield clusterOpen(repository, index++);
    for (const node of members) if (drawn(node)) yield `    ${statement(node, ids)}\n`;
    yield "  end\n";
  }
  for (const node of view.outside) if (drawn(node)) yield `  ${statement(node, ids)}\n`;
  for (const edge of chart.edges) yield `${edgeLine(edge, ids)}\n`;
  yield "  classDef shared stroke:#d00,stroke-width:3px,color:#d00\n";
  yield "  classDef missing stroke-dasharray:5 5\n";
  const shared = graph.nodes.filter((node) => drawn(node) && view.shared.has(node.key));
  const missing = graph.nodes.filter((node) => drawn(node) && isMissing(node));
  if (shared.length > 0) yield `  class ${shared.map((node) => ids.get(node.key)).join(",")} shared\n`;
  if (missing.length > 0) yield `  class ${missing.map((node) => ids.get(node.key)).join(",")} missing\n`;
  if (note !== null) {
    yield `  %% ${note}\n`;
    yield `  cut>${quote(note)}]\n`;
  }
}

/** Render a serialised dependency graph as a Mermaid `flowchart LR` within Mermaid's limits (`mermaidChart`). */
export function renderMermaid(graph: SerializedGraph, limits: MermaidLimits = MERMAID_LIMITS): string {
  return Array.from(mermaidChart(graph, limits).chunks).join("");
}
