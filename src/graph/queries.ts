// Questions asked of the dependency graph, as plain functions over graphology's public API.
import { type EstateGraph, repositoryKey } from "./model.js";

/** An owner's node key, given its key or its owner reference (`REPOSITORY/VirtualMachines/FOLDER`). */
function ownerNode(graph: EstateGraph, owner: string): string | null {
  for (const key of [owner, `guest:${owner}`, `template:${owner}`]) {
    if (!graph.hasNode(key)) continue;
    const kind = graph.getNodeAttribute(key, "kind");
    if (kind === "guest" || kind === "template") return key;
  }
  return null;
}

/**
 * Node keys an owner uses (virtual disks, ISOs, LUNs, external files), in vm.cfg order, each once.
 * `owner` is its node key or its owner reference; an unknown owner uses nothing.
 */
export function disksOf(graph: EstateGraph, owner: string): string[] {
  const key = ownerNode(graph, owner);
  if (key === null) return [];
  const uses = graph
    .mapOutEdges(key, (_edge, attributes, _source, target) => ({
      index: attributes.index,
      kind: attributes.kind,
      target,
    }))
    .filter((edge) => edge.kind === "uses")
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return [...new Set(uses.map((edge) => edge.target))];
}

/** Owner references of every guest and template that uses a node (a disk, ISO, LUN, file or export), sorted. */
export function usersOf(graph: EstateGraph, node: string): string[] {
  if (!graph.hasNode(node)) return [];
  const users = new Set<string>();
  graph.forEachInEdge(node, (_edge, attributes, source) => {
    if (attributes.kind === "uses" || attributes.kind === "mounts")
      users.add(graph.getNodeAttribute(source, "ref"));
  });
  return [...users].sort();
}

/** Owner references of the guests and templates whose vm.cfg is in a repository (by id), sorted. */
export function guestsOf(graph: EstateGraph, repository: string): string[] {
  const key = repositoryKey(repository);
  if (!graph.hasNode(key)) return [];
  const owners: string[] = [];
  graph.forEachOutNeighbor(key, (_neighbor, attributes) => {
    if (attributes.kind === "guest" || attributes.kind === "template") owners.push(attributes.ref);
  });
  return owners.sort();
}

/** A guest or template using a virtual disk that sits in another repository than its vm.cfg. */
export interface CrossRepositoryReference {
  /** The owner reference. */
  owner: string;
  /** The virtual disk's node key. */
  node: string;
  ownerRepository: string;
  diskRepository: string;
}

/**
 * Every owner/virtual-disk pair where the disk lives in another repository than the vm.cfg, once per
 * pair, sorted by owner then node. ISOs are left out: using them from a resources repository is the design.
 */
export function crossRepositoryReferences(graph: EstateGraph): CrossRepositoryReference[] {
  const found = new Map<string, CrossRepositoryReference>();
  graph.forEachEdge((_edge, attributes, source, target, sourceAttributes, targetAttributes) => {
    if (attributes.kind !== "uses" || targetAttributes.kind !== "virtual-disk") return;
    const ownerRepository = sourceAttributes.repository;
    const diskRepository = targetAttributes.repository;
    if (ownerRepository === null || diskRepository === null || ownerRepository === diskRepository) return;
    found.set(`${source}\n${target}`, {
      owner: sourceAttributes.ref,
      node: target,
      ownerRepository,
      diskRepository,
    });
  });
  return [...found.values()].sort((a, b) => compare(a.owner, b.owner) || compare(a.node, b.node));
}

/** Code-unit order, the same on every machine (no locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
