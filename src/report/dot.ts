// Graphviz DOT of the dependency graph: a cluster per repository, shared disks in red, missing files dashed.
import type { NodeKind, SerializedGraph } from "../schema/graph.js";
import { type GraphNode, graphView, isMissing, textAttribute } from "./graph-view.js";
import { escapeText } from "./text.js";

/** Text for inside a DOT quoted string: control characters made visible, then backslashes and quotes escaped. */
function escapeDot(text: string): string {
  return escapeText(text).replace(/[\\"]/g, "\\$&");
}

/** A DOT quoted string (an id, a tooltip, a one-line label). */
function quote(text: string): string {
  return `"${escapeDot(text)}"`;
}

/** A DOT label of several lines, each escaped on its own (`\n` between them is DOT's line break). */
function label(lines: string[]): string {
  return `"${lines.map(escapeDot).join("\\n")}"`;
}

/** DOT node attributes per kind. */
const SHAPES: Record<NodeKind, string> = {
  repository: "shape=folder",
  guest: 'shape=box, style="rounded,filled", fillcolor="#dbe9f6"',
  template: 'shape=component, style=filled, fillcolor="#e8e1f5"',
  "virtual-disk": "shape=cylinder",
  iso: "shape=ellipse",
  "physical-disk": 'shape=cylinder, style=filled, fillcolor="#eeeeee"',
  "external-file": "shape=note",
  "nfs-export": "shape=folder",
  assembly: "shape=tab",
};

/** The lines a node shows: its label, then what makes it stand out (missing, a link leaving, not running). */
function nodeLines(node: GraphNode): string[] {
  const lines = [node.attributes.label];
  const file = textAttribute(node, "file");
  if (file !== null && node.attributes.kind !== "guest" && node.attributes.kind !== "template") {
    const name = file.slice(file.lastIndexOf("/") + 1);
    if (name !== node.attributes.label) lines.push(name);
  }
  if (isMissing(node)) lines.push("(missing)");
  const linkTarget = textAttribute(node, "linkTarget");
  if (linkTarget !== null) lines.push(`-> ${linkTarget}`);
  if (node.attributes.running === true) lines.push("(running)");
  return lines;
}

/** One DOT node statement. */
function nodeStatement(node: GraphNode, shared: ReadonlySet<string>): string {
  const style = shared.has(node.key)
    ? `shape=doubleoctagon, color=red, fontcolor=red, penwidth=2, style="bold${isMissing(node) ? ",dashed" : ""}"`
    : `${SHAPES[node.attributes.kind]}${isMissing(node) ? ', style=dashed, color="#888888"' : ""}`;
  return `${quote(node.key)} [label=${label(nodeLines(node))}, tooltip=${quote(node.key)}, ${style}];`;
}

/** One DOT edge statement: a disk entry labelled with its vdev (and `w!`), an NFS mount with its mount point. */
function edgeStatement(edge: SerializedGraph["edges"][number]): string {
  const a = edge.attributes;
  const text =
    a.kind === "mounts"
      ? String(a.mountPoint ?? "")
      : [a.vdev, a.access === "w!" || a.access === "r!" ? a.access : null]
          .filter((x) => typeof x === "string")
          .join(" ");
  const style = a.kind === "mounts" ? ", style=dashed" : a.devtype === "cdrom" ? ", style=dotted" : "";
  return `${quote(edge.source)} -> ${quote(edge.target)} [label=${quote(text)}${style}];`;
}

/**
 * How many ranks the owners of a cluster (and the nodes no edge reaches) are spread over: Graphviz puts every
 * node without an incoming edge in the first rank, one tall column; chained in a few ranks instead, a small
 * estate is drawn a little wider than tall (each rank of the LR layout is some 3.5 times as wide as a node
 * is tall; sqrt(nodes / 6) ranks).
 */
function spreadOf(nodes: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(nodes / 6)));
}

/**
 * Invisible edges that chain `nodes` in runs of `length` (each next one a rank to the right): they move
 * owners and unconnected nodes out of one column, and change nothing else in the picture.
 */
function* chains(nodes: readonly GraphNode[], length: number): Generator<string> {
  for (let i = 1; i < nodes.length; i++) {
    if (i % length !== 0) yield `    ${quote(nodes[i - 1]!.key)} -> ${quote(nodes[i]!.key)} [style=invis];\n`;
  }
}

/** The scope a graph was limited to, as DOT comment lines (none for a graph of the whole estate). */
function* scopeComment(graph: SerializedGraph): Generator<string> {
  const scope = graph.attributes.scope;
  if (scope === undefined) return;
  const flags = [
    ...scope.guests.map((s) => `--guest ${s}`),
    ...scope.repositories.map((s) => `--repository ${s}`),
  ];
  yield `  // scope: ${escapeText(flags.join(" "))}\n`;
}

/**
 * Graphviz DOT of a serialised dependency graph, in chunks (a line each), for an estate of any size:
 * `newrank=true` (Graphviz 2.43 fails on clusters without it, "trouble in init_rank"), a cluster per
 * repository named by its id, left to right with owners spread over a few ranks.
 */
export function* dotChunks(graph: SerializedGraph): Generator<string> {
  const view = graphView(graph);
  yield 'digraph "ovm-deps" {\n';
  yield* scopeComment(graph);
  yield "  newrank=true;\n  rankdir=LR;\n";
  yield '  node [fontname="Helvetica", fontsize=10];\n  edge [fontname="Helvetica", fontsize=9];\n';
  const linked = new Set<string>();
  for (const edge of view.edges) {
    linked.add(edge.source);
    linked.add(edge.target);
  }
  const spread = spreadOf(graph.nodes.length);
  for (const { repository, members } of view.clusters) {
    const id = textAttribute(repository, "repository") ?? repository.key;
    const role = textAttribute(repository, "role");
    const title = [repository.attributes.label, ...(id === repository.attributes.label ? [] : [id])];
    yield `  subgraph ${quote(`cluster_${id}`)} {\n`;
    yield `    label=${label(role === null ? title : [...title, `role: ${role}`])};\n`;
    yield `    tooltip=${quote(repository.key)};\n`;
    yield '    style=rounded; color="#5b7fa6";\n';
    for (const node of members) yield `    ${nodeStatement(node, view.shared)}\n`;
    // Graphviz does not draw an empty cluster: an empty repository still shows.
    if (members.length === 0) yield `    ${quote(repository.key)} [label="(empty)", shape=plaintext];\n`;
    const owners = members.filter((n) => n.attributes.kind === "guest" || n.attributes.kind === "template");
    yield* chains(owners, spread);
    yield* chains(
      members.filter((n) => !linked.has(n.key)),
      spread + 1,
    );
    yield "  }\n";
  }
  for (const node of view.outside) yield `  ${nodeStatement(node, view.shared)}\n`;
  for (const edge of view.edges) yield `  ${edgeStatement(edge)}\n`;
  yield "}\n";
}

/** Render a serialised dependency graph as Graphviz DOT (`dot -Tsvg` draws it): `dotChunks`, joined. */
export function renderDot(graph: SerializedGraph): string {
  return Array.from(dotChunks(graph)).join("");
}
