// A graph limited to some owners and repositories: `graph --guest SEL --repository SEL`.
import type { GraphScope } from "../schema/graph.js";
import { type EstateGraph, repositoryKey } from "./model.js";
import { neighbourhoodOf, usersOf } from "./queries.js";

/**
 * The part of the graph a scope names: each repository it picked with everything in it, the neighbourhood
 * (`neighbourhoodOf`) of each owner it picked, of each owner in those repositories and of each owner that
 * uses one of their virtual disks, and the repository
 * of every node kept (its cluster). Edges between kept nodes are kept; the graph's attributes too, with
 * `scope` added. Nodes and edges keep their keys, attributes and order.
 */
export function scopeGraph(graph: EstateGraph, scope: GraphScope): EstateGraph {
  const keep = new Set<string>();
  const owners = new Set(scope.owners);
  for (const id of scope.repositoryIds) {
    const key = repositoryKey(id);
    if (!graph.hasNode(key)) continue;
    keep.add(key);
    graph.forEachOutNeighbor(key, (node, attributes) => {
      keep.add(node);
      if (attributes.kind === "guest" || attributes.kind === "template") owners.add(attributes.ref);
      // Who uses its virtual disks belongs in a repository's picture (an ISO is meant to be shared: not its users).
      else if (attributes.kind === "virtual-disk") for (const user of usersOf(graph, node)) owners.add(user);
    });
  }
  for (const node of neighbourhoodOf(graph, owners)) keep.add(node);
  for (const node of Array.from(keep)) {
    const repository = graph.getNodeAttribute(node, "repository");
    if (repository !== null && graph.hasNode(repositoryKey(repository))) keep.add(repositoryKey(repository));
  }
  const scoped = graph.nullCopy();
  scoped.replaceAttributes({ ...graph.getAttributes(), scope });
  graph.forEachNode((node, attributes) => {
    if (keep.has(node)) scoped.addNode(node, attributes);
  });
  graph.forEachEdge((edge, attributes, source, target) => {
    if (keep.has(source) && keep.has(target)) scoped.addEdgeWithKey(edge, source, target, attributes);
  });
  return scoped;
}
