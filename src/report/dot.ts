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

/** Render a serialised dependency graph as Graphviz DOT (`dot -Tsvg` draws it). */
export function renderDot(graph: SerializedGraph): string {
  const view = graphView(graph);
  const lines = [
    'digraph "ovm-deps" {',
    "  rankdir=LR;",
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  view.clusters.forEach(({ repository, members }, index) => {
    const id = textAttribute(repository, "repository") ?? repository.key;
    const role = textAttribute(repository, "role");
    const title = [repository.attributes.label, ...(id === repository.attributes.label ? [] : [id])];
    lines.push(
      `  subgraph cluster_${index} {`,
      `    label=${label(role === null ? title : [...title, `role: ${role}`])};`,
      `    tooltip=${quote(repository.key)};`,
      '    style=rounded; color="#5b7fa6";',
      ...members.map((node) => `    ${nodeStatement(node, view.shared)}`),
      // Graphviz does not draw an empty cluster: an empty repository still shows.
      ...(members.length === 0 ? [`    ${quote(repository.key)} [label="(empty)", shape=plaintext];`] : []),
      "  }",
    );
  });
  lines.push(...view.outside.map((node) => `  ${nodeStatement(node, view.shared)}`));
  lines.push(...view.edges.map((edge) => `  ${edgeStatement(edge)}`));
  lines.push("}", "");
  return lines.join("\n");
}
