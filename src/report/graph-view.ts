// What the graph renderers need to know about a serialised graph: clusters, outside nodes, shared disks.
import type { SerializedGraph } from "../schema/graph.js";

/** A node of a serialised graph. */
export type GraphNode = SerializedGraph["nodes"][number];

/** What a renderer needs to know about a serialised graph, worked out once for DOT and Mermaid. */
export interface GraphView {
  /** Repository nodes, each with the nodes that sit in it (their `repository` attribute names it). */
  clusters: Array<{ repository: GraphNode; members: GraphNode[] }>;
  /** Nodes outside every repository: LUNs, external files, NFS exports, outside ISOs. */
  outside: GraphNode[];
  /** Keys of the nodes the graph marks shared (disks, LUNs and external files with several users). */
  shared: ReadonlySet<string>;
  /** Edges to draw: `uses` and `mounts` between nodes of the graph (a repository's `contains` edges are its cluster). */
  edges: SerializedGraph["edges"];
}

/** A string attribute of a node, null when absent or not a string. */
export function textAttribute(node: GraphNode, name: string): string | null {
  const value = node.attributes[name];
  return typeof value === "string" ? value : null;
}

/** True when a node is a file known to be missing from its repository. */
export function isMissing(node: GraphNode): boolean {
  return node.attributes.present === false;
}

/** Group a serialised graph's nodes by repository and find its shared disks. */
export function graphView(graph: SerializedGraph): GraphView {
  const repositories = graph.nodes.filter((node) => node.attributes.kind === "repository");
  const members = new Map<string, GraphNode[]>(
    repositories.map((node) => [textAttribute(node, "repository") ?? node.key, []]),
  );
  const outside: GraphNode[] = [];
  const keys = new Set<string>();
  for (const node of graph.nodes) {
    keys.add(node.key);
    if (node.attributes.kind === "repository") continue;
    const group = members.get(textAttribute(node, "repository") ?? "");
    if (group) group.push(node);
    else outside.push(node);
  }
  // The graph says which nodes are shared (its one definition, `isShared`): a renderer never decides again.
  const shared = new Set(
    graph.nodes.filter((node) => node.attributes.shared === true).map((node) => node.key),
  );
  return {
    clusters: repositories.map((repository) => ({
      repository,
      members: members.get(textAttribute(repository, "repository") ?? repository.key) ?? [],
    })),
    outside,
    shared,
    // A document read back from a file may name a node it does not have: such an edge is not drawn.
    edges: graph.edges.filter(
      (edge) => edge.attributes.kind !== "contains" && keys.has(edge.source) && keys.has(edge.target),
    ),
  };
}
