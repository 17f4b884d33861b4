// Questions asked of the dependency graph, as plain functions over graphology's public API.
import type { Reference } from "../schema/scan.js";
import {
  type Estate,
  type EstateGraph,
  fileKey,
  type NodeAttributes,
  referenceKey,
  repositoryKey,
} from "./model.js";

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

/** Node kinds whose sharing matters: overwriting one user's copy overwrites the others'. */
const SHAREABLE_KINDS: ReadonlySet<NodeAttributes["kind"]> = new Set([
  "virtual-disk",
  "physical-disk",
  "external-file",
]);

/**
 * The one definition of "shared": a virtual disk, LUN or external file is shared when more than one guest
 * or template uses it (ISOs, assemblies and NFS exports are meant to be shared, and never count). The
 * builder applies it once, with the number of distinct users it counted, to every node's `shared`.
 */
export function sharedBy(kind: NodeAttributes["kind"], users: number): boolean {
  return SHAREABLE_KINDS.has(kind) && users > 1;
}

/** True when a node is shared (see `sharedBy`): what the graph was built with. */
export function isShared(graph: EstateGraph, node: string): boolean {
  return graph.hasNode(node) && graph.getNodeAttribute(node, "shared");
}

/**
 * The node of file `file` in repository `repository` (ids and paths as the scan gives them): its own
 * node, or the node of the inode it is a hard link to; null when the graph has none.
 */
export function nodeOfFile(graph: EstateGraph, repository: string, file: string): string | null {
  const key = fileKey(repository, file);
  if (graph.hasNode(key)) return key;
  const sameInode = graph.getAttribute("sameInode") as Record<string, string> | undefined;
  const node = sameInode?.[key];
  return node !== undefined && graph.hasNode(node) ? node : null;
}

/** The node a disk entry points to (null for an empty CD-ROM, which points to nothing). */
export function nodeOfReference(graph: EstateGraph, reference: Reference): string | null {
  if (reference.repository !== null && reference.file !== null) {
    return nodeOfFile(graph, reference.repository, reference.file);
  }
  if (reference.kind === "empty-cdrom" || reference.path === null) return null;
  const key = referenceKey(reference);
  return graph.hasNode(key) ? key : null;
}

/** The owner reference of the guest or template whose vm.cfg is `file` in `repository`, null when none. */
export function ownerOfConfig(graph: EstateGraph, repository: string, file: string): string | null {
  const match = /^(VirtualMachines|Templates)\/([^/]+)\/vm\.cfg$/.exec(file);
  if (match === null) return null;
  const ref = `${repository}/${match[1]}/${match[2]}`;
  const key = `${match[1] === "VirtualMachines" ? "guest" : "template"}:${ref}`;
  return graph.hasNode(key) ? ref : null;
}

/**
 * Who uses file `file` of `repository`, as a copy onto it would affect them: the users of its node (a
 * hard link's too) and, when it is a vm.cfg, the owner it describes. Sorted, each once.
 */
export function usersOfFile(graph: EstateGraph, repository: string, file: string): string[] {
  const node = nodeOfFile(graph, repository, file);
  const users = new Set(node === null ? [] : usersOf(graph, node));
  const owner = ownerOfConfig(graph, repository, file);
  if (owner !== null) users.add(owner);
  return [...users].sort();
}

/**
 * The neighbourhood of owners (node keys or owner references; unknown ones are left out): each owner, what
 * it uses (virtual disks, ISOs, LUNs, external files) and mounts (NFS exports), and every other guest or
 * template that shares one of those with it (`isShared`: a disk, LUN or file with several users; an ISO or
 * an export is meant to be shared and brings in no one). Node keys, each once, in the order found.
 */
export function neighbourhoodOf(graph: EstateGraph, owners: Iterable<string>): Set<string> {
  const found = new Set<string>();
  for (const owner of owners) {
    const key = ownerNode(graph, owner);
    if (key === null) continue;
    found.add(key);
    graph.forEachOutEdge(key, (_edge, attributes, _source, target) => {
      if (attributes.kind !== "uses" && attributes.kind !== "mounts") return;
      found.add(target);
      if (!isShared(graph, target)) return;
      for (const user of usersOf(graph, target)) found.add(ownerNode(graph, user) ?? user);
    });
  }
  return found;
}

/** Owner references of the guests and templates whose vm.cfg could not be read or has errors: their disks are unknown. */
export function unreadableOwners(graph: EstateGraph): string[] {
  const owners: string[] = [];
  graph.forEachNode((_node, attributes) => {
    if ((attributes.kind === "guest" || attributes.kind === "template") && attributes.ok === false)
      owners.push(attributes.ref);
  });
  return owners.sort();
}

/** A folder where guests' or templates' vm.cfg files are (the repository top, an area, a guest folder). */
const OWNER_FOLDER = /^(?:|VirtualMachines|Templates|(?:VirtualMachines|Templates)\/[^/]+)$/;

/** What an estate does not know about who uses what: vm.cfg files not read fully, folders of vm.cfg files not listed. */
interface Unknowns {
  /** Owners that may use any file: a vm.cfg that could not be read at all, or a backing chain unknown. */
  anything: string[];
  /** Owners that may use a file, by the file's node (its own, or its inode's: hard links are one file). */
  byNode: Map<string, string[]>;
  /** Absolute paths of folders where vm.cfg files may be that the scan could not list. */
  folders: string[];
}
const unknownsOf = new WeakMap<Estate, Unknowns>();

/** A file's identity in the graph: the node of its inode, else its own key. */
const identityOf = (graph: EstateGraph, repository: string, file: string): string =>
  nodeOfFile(graph, repository, file) ?? fileKey(repository, file);

/** Build the index of what an estate does not know, once per estate. */
function unknownsFor(estate: Estate): Unknowns {
  const known = unknownsOf.get(estate);
  if (known !== undefined) return known;
  const anything: string[] = [];
  const byNode = new Map<string, string[]>();
  for (const owner of [...estate.scan.guests, ...estate.scan.templates]) {
    // An overlay whose header could not be read may read from any base image.
    const chainUnknown = owner.diagnostics.some((d) => d.code === "backing-file-unknown");
    if (owner.ok && !chainUnknown) continue;
    if (chainUnknown || owner.possibleUses == null) {
      anything.push(owner.ref);
      continue;
    }
    for (const ref of owner.possibleUses) {
      const slash = ref.indexOf("/");
      const node = identityOf(estate.graph, ref.slice(0, slash), ref.slice(slash + 1));
      const list = byNode.get(node);
      if (list === undefined) byNode.set(node, [owner.ref]);
      else if (!list.includes(owner.ref)) list.push(owner.ref);
    }
  }
  const folders = estate.scan.repositories.flatMap((r) =>
    r.unlisted
      .filter((u) => OWNER_FOLDER.test(u.file))
      .map((u) => (u.file === "" ? r.root : `${r.root}/${u.file}`)),
  );
  const unknowns = { anything, byNode, folders };
  unknownsOf.set(estate, unknowns);
  return unknowns;
}

/**
 * Who may use file `file` of `repository` beyond what the graph knows: each guest or template whose vm.cfg
 * could not be read fully and names the file (or a link inside the repository to it, or another name of its
 * inode) anywhere in its text, or could not be read at all, or whose disk's backing chain is unknown (then
 * it may use anything); and each folder of vm.cfg files the scan could not list (whatever it holds is
 * unknown). Owner references and absolute folder paths, sorted. A restore never writes a file with a
 * possible user without being told to; an orphan with one is uncertain.
 */
export function possibleUsersOfFile(estate: Estate, repository: string, file: string): string[] {
  const unknowns = unknownsFor(estate);
  const named = unknowns.byNode.get(identityOf(estate.graph, repository, file)) ?? [];
  return [...new Set([...unknowns.anything, ...named, ...unknowns.folders])].sort();
}

/**
 * Orphans: files in a repository's `VirtualDisks/` that no guest or template uses — regular files, and
 * links that leave the repository (a link inside it points to a file we cannot name without following
 * it: no evidence either way), as node keys in key order. Certain only when `unreadableOwners` is empty.
 */
export function orphanFiles(graph: EstateGraph): string[] {
  const orphans: string[] = [];
  graph.forEachNode((node, attributes) => {
    if (attributes.kind !== "virtual-disk" || attributes.file === null) return;
    if (!attributes.file.startsWith("VirtualDisks/")) return;
    const evidence =
      attributes.fileType === "file" || (attributes.fileType === "symlink" && attributes.linkTarget !== null);
    if (!evidence || attributes.present !== true) return;
    if (usersOf(graph, node).length > 0) return;
    orphans.push(node);
  });
  return orphans.sort();
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
