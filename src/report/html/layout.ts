// Where the report draws each node: computed once when the report is built, so that the page opens on a
// finished drawing instead of running a force layout on tens of thousands of nodes in the browser.
import { UndirectedGraph } from "graphology";
import { circlepack } from "graphology-layout";
import type { SerializedGraph } from "../../schema/graph.js";

/** A small seeded generator (mulberry32): the same estate is always drawn the same way. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OWNER_KINDS: ReadonlySet<unknown> = new Set(["guest", "template"]);

/**
 * Positions of the graph's nodes, `[x0, y0, x1, y1, …]` in `graph.nodes` order: circles packed in circles,
 * one per repository (the nodes outside every repository in one more), and in each, one per guest or
 * template with the disks only it uses; what several owners use packs on its own. Linear in the graph's size.
 */
export function layoutGraph(graph: SerializedGraph): number[] {
  const users = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.attributes.kind === "contains") continue;
    const list = users.get(edge.target);
    if (list === undefined) users.set(edge.target, [edge.source]);
    else list.push(edge.source);
  }
  const layout = new UndirectedGraph();
  for (const node of graph.nodes) {
    const { kind, repository } = node.attributes;
    const owners = [...new Set(users.get(node.key) ?? [])];
    const group = OWNER_KINDS.has(kind) ? node.key : owners.length === 1 ? owners[0] : `shared:${kind}`;
    layout.addNode(node.key, {
      cluster: typeof repository === "string" ? repository : "",
      group,
      size: OWNER_KINDS.has(kind) ? 2 : kind === "repository" ? 3 : 1,
    });
  }
  const positions = circlepack(layout, {
    hierarchyAttributes: ["cluster", "group"],
    rng: seeded(1),
    scale: 10,
  });
  return graph.nodes.flatMap((node) => {
    const at = positions[node.key];
    return [at?.x ?? 0, at?.y ?? 0];
  });
}
