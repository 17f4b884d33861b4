// Mermaid flowchart of the dependency graph: a subgraph per repository, safe ids, escaped labels.
import type { NodeKind, SerializedGraph } from "../schema/graph.js";
import { graphView, isMissing } from "./graph-view.js";
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

/** Render a serialised dependency graph as a Mermaid `flowchart LR`. */
export function renderMermaid(graph: SerializedGraph): string {
  const view = graphView(graph);
  // Keys hold any character: Mermaid gets `n0`, `n1`… in node order, clusters `r0`, `r1`….
  const ids = new Map(graph.nodes.map((node, index) => [node.key, `n${index}`]));
  const statement = (node: SerializedGraph["nodes"][number]): string => {
    const [open, close] = SHAPES[node.attributes.kind];
    const text = `${node.attributes.label}${isMissing(node) ? " (missing)" : ""}`;
    return `${ids.get(node.key)}${open}${quote(text)}${close}`;
  };
  const lines = ["flowchart LR"];
  view.clusters.forEach(({ repository, members }, index) => {
    lines.push(
      `  subgraph r${index}[${quote(repository.attributes.label)}]`,
      ...members.map((node) => `    ${statement(node)}`),
      "  end",
    );
  });
  lines.push(...view.outside.map((node) => `  ${statement(node)}`));
  for (const edge of view.edges) {
    const a = edge.attributes;
    const text = a.kind === "mounts" ? a.mountPoint : a.vdev;
    const arrow = a.kind === "mounts" ? "-.->" : "-->";
    const edgeLabel = typeof text === "string" && text !== "" ? `|${quote(text)}|` : "";
    lines.push(`  ${ids.get(edge.source)} ${arrow}${edgeLabel} ${ids.get(edge.target)}`);
  }
  lines.push(
    "  classDef shared stroke:#d00,stroke-width:3px,color:#d00",
    "  classDef missing stroke-dasharray:5 5",
  );
  const shared = graph.nodes.filter((node) => view.shared.has(node.key));
  const missing = graph.nodes.filter(isMissing);
  if (shared.length > 0) lines.push(`  class ${shared.map((node) => ids.get(node.key)).join(",")} shared`);
  if (missing.length > 0) lines.push(`  class ${missing.map((node) => ids.get(node.key)).join(",")} missing`);
  return `${lines.join("\n")}\n`;
}
