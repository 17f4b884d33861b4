// Building the dependency graph from a scan: one node per repository, vm.cfg, file (one per inode), LUN and
// export. The graph is the model: plan, restore and check ask it who uses what (queries.ts).

import { MultiDirectedGraph } from "graphology";
import { completenessOf } from "../scan/completeness.js";
import type { NodeKind } from "../schema/graph.js";
import type { Owner, Reference, Repository, RepositoryFile, ScanResult } from "../schema/scan.js";
import {
  assemblyKey,
  type EdgeAttributes,
  type Estate,
  type EstateGraph,
  fileKey,
  type NodeAttributes,
  nfsKey,
  normaliseExport,
  ownerKey,
  referenceKey,
  refOfKey,
  repositoryKey,
} from "./model.js";
import { sharedBy } from "./queries.js";

/** Repository areas whose files are nodes even when nothing uses them, so orphans show. */
const AREAS_SHOWN: ReadonlySet<RepositoryFile["area"]> = new Set(["VirtualDisks", "ISOs"]);

/** The aliases of a file with one name: one frozen empty list for every such node (there are tens of thousands). */
const NO_ALIASES: readonly string[] = Object.freeze([]);

/** Attributes with every kind-specific field null: each node states only what applies to it. */
function nodeAttributes(
  key: string,
  kind: NodeKind,
  label: string,
  fields: Partial<NodeAttributes>,
): NodeAttributes {
  return {
    kind,
    label,
    ref: refOfKey(key),
    repository: null,
    file: null,
    path: null,
    present: null,
    bytes: null,
    allocatedBytes: null,
    linkTarget: null,
    simpleName: null,
    uuid: null,
    name: null,
    running: null,
    ok: null,
    alias: null,
    role: null,
    root: null,
    fileType: null,
    state: null,
    aliases: NO_ALIASES,
    shared: false,
    ...fields,
  };
}

/** Attributes of an edge with every kind-specific field null. */
function edgeAttributes(kind: EdgeAttributes["kind"], fields: Partial<EdgeAttributes>): EdgeAttributes {
  return {
    kind,
    index: null,
    vdev: null,
    access: null,
    devtype: null,
    readonly: null,
    shareable: null,
    format: null,
    line: null,
    column: null,
    mountPoint: null,
    fstype: null,
    ...fields,
  };
}

/** What the builder keeps while it works: the graph, repository roots, every repository file by its node key. */
interface Builder {
  /**
   * The graph, filled in one pass: every node is added before the edges that reach it, and whether a node
   * is there already is asked of the builder's own maps, never of the graph (no lookups or merges in it).
   */
  graph: EstateGraph;
  /** Every node's attributes, by key (the same objects the graph holds). */
  nodes: Map<string, NodeAttributes>;
  /** For each node used by an owner: how many distinct owners use it, and the last one counted. */
  users: Map<string, { count: number; last: string }>;
  roots: Map<string, string>;
  /** Every listed file, by repository id, then by path. */
  files: Map<string, Map<string, RepositoryFile>>;
  /** For each hard-linked file that is not its inode's first name: that first name (by repository, then path). */
  firstName: Map<string, Map<string, { repository: string; entry: RepositoryFile }>>;
  /** The node key of every file node, by repository and path: looked up with the scan's own strings. */
  fileNodes: Map<string, Map<string, string>>;
  /** The node key of every hard-linked name that is not its inode's node: fileKey → the inode's fileKey. */
  sameInode: Map<string, string>;
}

/** Absolute path of a repository file in the scanned tree. */
function scannedPath(builder: Builder, repository: string, file: string): string {
  const root = builder.roots.get(repository);
  // The scanner only resolves references into repositories it scanned: anything else is a bug.
  if (root === undefined) throw new Error(`buildGraph: repository ${repository} is not in the scan`);
  return `${root}/${file}`;
}

/** Add a node to the graph and to the builder's index of nodes. */
function addNodeTo(builder: Builder, key: string, attributes: NodeAttributes): void {
  builder.nodes.set(key, attributes);
  builder.graph.addNode(key, attributes);
}

/** Add `repository → node`; called once, when the node is added, so every node has at most one container. */
function addContains(builder: Builder, repository: string, node: string): void {
  builder.graph.addEdgeWithKey(
    `contains:${node}`,
    repositoryKey(repository),
    node,
    edgeAttributes("contains", {}),
  );
}

/** Add an edge from owner `owner` and count the owner among its target's users. */
function addUse(
  builder: Builder,
  key: string,
  owner: string,
  target: string,
  attributes: EdgeAttributes,
): void {
  builder.graph.addEdgeWithKey(key, owner, target, attributes);
  const users = builder.users.get(target);
  if (users === undefined) builder.users.set(target, { count: 1, last: owner });
  else if (users.last !== owner) {
    users.count++;
    users.last = owner;
  }
}

/**
 * Add the node of a file in a repository (once per inode). Its facts come from the scanned file when it
 * is there, else from the reference that names it (a missing disk: present false).
 */
function addRepositoryFile(
  builder: Builder,
  repository: string,
  file: string,
  reference: Reference | null,
): string {
  let found = builder.files.get(repository)?.get(file);
  let nodeRepository = repository;
  // A hard-linked name is its inode's node, under the inode's first name.
  const first =
    found === undefined || found.links < 2 ? undefined : builder.firstName.get(repository)?.get(file);
  if (first !== undefined) {
    found = first.entry;
    nodeRepository = first.repository;
  }
  const nodeFile = found?.file ?? file;
  let nodes = builder.fileNodes.get(nodeRepository);
  if (nodes === undefined) {
    nodes = new Map();
    builder.fileNodes.set(nodeRepository, nodes);
  }
  const known = nodes.get(nodeFile);
  if (known !== undefined) return known;
  const key = fileKey(nodeRepository, nodeFile);
  nodes.set(nodeFile, key);
  const simpleName = found?.simpleName ?? null;
  // Written out in full (no spread): tens of thousands of these are made per scan.
  addNodeTo(
    builder,
    key,
    nodeAttributes(
      key,
      key.startsWith("iso:") ? "iso" : "virtual-disk",
      simpleName ?? nodeFile.slice(nodeFile.lastIndexOf("/") + 1),
      {
        repository: nodeRepository,
        file: nodeFile,
        path: scannedPath(builder, nodeRepository, nodeFile),
        present: found ? true : (reference?.present ?? null),
        bytes: found ? found.bytes : (reference?.bytes ?? null),
        allocatedBytes: found ? found.allocatedBytes : (reference?.allocatedBytes ?? null),
        linkTarget: found ? found.linkTarget : (reference?.linkTarget ?? null),
        simpleName,
        fileType: found?.fileType ?? null,
        state: reference?.state ?? null,
      },
    ),
  );
  // A missing file does not sit in its repository: its `repository` attribute still says where it belongs.
  if (found || reference?.present === true) addContains(builder, nodeRepository, key);
  return key;
}

/**
 * Group hard-linked files (same device and inode, more than one link) across the scanned repositories:
 * every other name maps to the first name (in key order), and that name's node lists the others as aliases.
 */
function groupInodes(builder: Builder, repositories: readonly Repository[]): Map<string, string[]> {
  type Name = { repository: string; entry: RepositoryFile };
  const byInode = new Map<number, Map<number, Name[]>>();
  for (const repository of repositories) {
    for (const entry of repository.files) {
      // A vm.cfg is its owner's node, never a file node: a hard link to one is not a disk's other name.
      if (entry.links < 2 || entry.fileType !== "file" || isConfig(entry)) continue;
      let onDevice = byInode.get(entry.device);
      if (onDevice === undefined) {
        onDevice = new Map();
        byInode.set(entry.device, onDevice);
      }
      const names = onDevice.get(entry.inode);
      if (names === undefined) onDevice.set(entry.inode, [{ repository: repository.id, entry }]);
      else names.push({ repository: repository.id, entry });
    }
  }
  const aliases = new Map<string, string[]>();
  for (const onDevice of byInode.values()) {
    for (const names of onDevice.values()) {
      // Most hard links lead outside the scanned trees (a backup made with cp -al): one name here, no group.
      if (names.length < 2) continue;
      const keyed = names
        .map((name) => ({ name, key: fileKey(name.repository, name.entry.file) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const [first, ...others] = keyed as [(typeof keyed)[number], ...typeof keyed];
      for (const other of others) {
        let names = builder.firstName.get(other.name.repository);
        if (names === undefined) {
          names = new Map();
          builder.firstName.set(other.name.repository, names);
        }
        names.set(other.name.entry.file, first.name);
        builder.sameInode.set(other.key, first.key);
      }
      aliases.set(
        first.key,
        others.map((other) => refOfKey(other.key)),
      );
    }
  }
  return aliases;
}

/** True for an owner's vm.cfg (`VirtualMachines/<folder>/vm.cfg`, `Templates/<folder>/vm.cfg`). */
function isConfig(file: RepositoryFile): boolean {
  return (
    file.file.endsWith("/vm.cfg") &&
    (file.area === "VirtualMachines" || file.area === "Templates") &&
    file.file.split("/").length === 3
  );
}

/** Add a repository, the virtual disks and ISOs it holds (used or not) and its assemblies. */
function addRepository(builder: Builder, repository: Repository): void {
  const key = repositoryKey(repository.id);
  addNodeTo(
    builder,
    key,
    nodeAttributes(key, "repository", repository.alias ?? repository.id, {
      repository: repository.id,
      path: repository.root,
      present: true,
      alias: repository.alias,
      role: repository.role,
      root: repository.root,
    }),
  );
  const assemblies = new Map<string, RepositoryFile[]>();
  for (const file of repository.files) {
    if (AREAS_SHOWN.has(file.area)) addRepositoryFile(builder, repository.id, file.file, null);
    if (file.area === "Assemblies") {
      // An assembly is its folder `Assemblies/<id>` (or a package file lying directly in Assemblies/).
      const folder = file.file.split("/").slice(0, 2).join("/");
      const files = assemblies.get(folder);
      if (files) files.push(file);
      else assemblies.set(folder, [file]);
    }
  }
  for (const [folder, files] of assemblies) {
    const assembly = assemblyKey(repository.id, folder);
    addNodeTo(
      builder,
      assembly,
      nodeAttributes(assembly, "assembly", folder.slice(folder.lastIndexOf("/") + 1), {
        repository: repository.id,
        file: folder,
        path: `${repository.root}/${folder}`,
        present: true,
        bytes: sizeOf(files.map((f) => f.bytes)),
        allocatedBytes: sizeOf(files.map((f) => f.allocatedBytes)),
      }),
    );
    addContains(builder, repository.id, assembly);
  }
}

/** The total of sizes, null when any is unknown. */
function sizeOf(sizes: Array<number | null>): number | null {
  let total = 0;
  for (const size of sizes) {
    if (size === null) return null;
    total += size;
  }
  return total;
}

/** Add the node a reference points to when it is outside every repository (idempotent). */
function addOutside(builder: Builder, reference: Reference, path: string): string {
  const key = referenceKey(reference);
  if (builder.nodes.has(key)) return key;
  const kind: NodeKind =
    reference.kind === "iso" ? "iso" : reference.kind === "physical-disk" ? "physical-disk" : "external-file";
  addNodeTo(builder, key, nodeAttributes(key, kind, path, { path }));
  return key;
}

/** Add the node of what a disk entry refers to; null for an empty CD-ROM, which refers to nothing. */
function addReferenced(builder: Builder, reference: Reference): string | null {
  if (reference.repository !== null && reference.file !== null) {
    const key = addRepositoryFile(builder, reference.repository, reference.file, reference);
    // A file listed in the scan (so its node has no state yet) gets the walker's verdict of its first user.
    const attributes = builder.nodes.get(key)!;
    if (attributes.state === null) attributes.state = reference.state;
    return key;
  }
  if (reference.kind === "empty-cdrom" || reference.path === null) return null;
  return addOutside(builder, reference, reference.path);
}

/** Add a guest or template: its node, `contains` from its repository, `uses` and `mounts` edges. */
function addOwner(builder: Builder, owner: Owner): void {
  const key = ownerKey(owner);
  addNodeTo(
    builder,
    key,
    nodeAttributes(key, owner.type, owner.simpleName ?? owner.name ?? owner.id, {
      repository: owner.repository,
      file: owner.config,
      path: owner.path,
      present: true,
      bytes: owner.configBytes,
      allocatedBytes: owner.configAllocatedBytes,
      linkTarget: owner.configLinkTarget,
      simpleName: owner.simpleName,
      uuid: owner.uuid,
      name: owner.name,
      running: owner.running,
      ok: owner.ok,
    }),
  );
  addContains(builder, owner.repository, key);
  owner.disks.forEach((reference, index) => {
    const target = addReferenced(builder, reference);
    if (target === null) return;
    addUse(
      builder,
      `uses:${key}#${index}`,
      key,
      target,
      edgeAttributes("uses", {
        index,
        vdev: reference.vdev,
        access: reference.access,
        devtype: reference.devtype,
        readonly: reference.readonly,
        shareable: reference.shareable,
        format: reference.format,
        line: reference.line,
        column: reference.column,
      }),
    );
  });
  owner.nfsMounts.forEach((mount, index) => {
    const target = nfsKey(mount.source);
    if (!builder.nodes.has(target)) {
      addNodeTo(builder, target, nodeAttributes(target, "nfs-export", normaliseExport(mount.source), {}));
    }
    addUse(
      builder,
      `mounts:${key}#${index}`,
      key,
      target,
      edgeAttributes("mounts", { index, mountPoint: mount.mountPoint, fstype: mount.fstype }),
    );
  });
}

/**
 * Build the dependency graph of a scan. One node per vm.cfg (a copied vm.cfg is a second node, never
 * merged), one node per file — hard links to one inode are one node — LUN or export however many owners
 * use it, one `uses` edge per disk entry. Each node's `shared` attribute is set by `sharedBy`, the one
 * definition of "shared".
 */
export function buildGraph(scan: ScanResult): EstateGraph {
  const builder: Builder = {
    graph: new MultiDirectedGraph<NodeAttributes, EdgeAttributes>(),
    nodes: new Map(),
    users: new Map(),
    roots: new Map(),
    files: new Map(),
    firstName: new Map(),
    fileNodes: new Map(),
    sameInode: new Map(),
  };
  for (const repository of scan.repositories) {
    builder.roots.set(repository.id, repository.root);
    builder.files.set(repository.id, new Map(repository.files.map((entry) => [entry.file, entry])));
  }
  const aliases = groupInodes(builder, scan.repositories);
  for (const repository of scan.repositories) addRepository(builder, repository);
  for (const owner of scan.guests) addOwner(builder, owner);
  for (const owner of scan.templates) addOwner(builder, owner);
  for (const [key, names] of aliases) {
    const attributes = builder.nodes.get(key);
    if (attributes !== undefined) attributes.aliases = names;
  }
  for (const [key, { count }] of builder.users) {
    const attributes = builder.nodes.get(key)!;
    attributes.shared = sharedBy(attributes.kind, count);
  }
  const { graph } = builder;
  // Where each other name of a hard-linked file has its node (nodeOfFile): plain data, so it serialises.
  if (builder.sameInode.size > 0) graph.setAttribute("sameInode", Object.fromEntries(builder.sameInode));
  // What the scan could not see: a graph drawn from an incomplete scan says so (graph --format json).
  const { complete, incomplete } = completenessOf(scan);
  graph.setAttribute("complete", complete);
  graph.setAttribute("incomplete", incomplete);
  return graph;
}

/** The estate model of a scan (its graph built once), or the model given. */
export function estateOf(input: ScanResult | Estate): Estate {
  return "graph" in input ? input : { scan: input, graph: buildGraph(input) };
}
