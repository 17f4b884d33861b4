// The dependency graph's types and node keys: what a node or edge carries, and how a thing is named.
import path from "node:path";
import type { AbstractGraph } from "graphology-types";
import type { EdgeKind, NodeKind } from "../schema/graph.js";
import type { Access } from "../schema/parse.js";
import type { FileState, FileType, Owner, Reference, Role, ScanResult } from "../schema/scan.js";

/**
 * What every node carries (plain JSON only, so the graph serialises as is). Fields that do not
 * apply to a node's kind are null.
 */
export type NodeAttributes = {
  kind: NodeKind;
  /** A short name for people: simple name, alias, file name, device, `host:/export`. */
  label: string;
  /** The key without its `<prefix>:` — an owner reference, `<repo>/<file>`, a device, a path, `host:/export`. */
  ref: string;
  /** The repository it sits in (a repository node: its own id); null for what is outside every repository. */
  repository: string | null;
  /** Path relative to `repository`'s root: an owner's vm.cfg, a disk or ISO file, an assembly folder. */
  file: string | null;
  /**
   * Absolute path: in the scanned tree for what is in a repository (a repository node: its root);
   * the device or target of a LUN; the normalised path of an external file or outside ISO; null for NFS.
   */
  path: string | null;
  /** Whether the file is there: false for a missing virtual disk; null when not knowable (LUN, NFS, external). */
  present: boolean | null;
  /** Apparent size in bytes (an assembly: the sum of its files), null when unknown. */
  bytes: number | null;
  /** Allocated size in bytes (sparse and thin-cloned files), null when unknown. */
  allocatedBytes: number | null;
  /** Where a symbolic link leaving its repository points (a disk, or an owner's vm.cfg); never followed. */
  linkTarget: string | null;
  /** An owner's simple name (`OVM_simple_name`), a disk's `SIMPLE_NAME` from `.ovsmeta`. */
  simpleName: string | null;
  /** An owner's uuid. */
  uuid: string | null;
  /** An owner's `name`. */
  name: string | null;
  /** An owner's running state from `--xm-list` (null: unknown or not an owner). */
  running: boolean | null;
  /** An owner: false when its vm.cfg could not be read or has errors (its disk list cannot be trusted). */
  ok: boolean | null;
  /** A repository's alias (`OVS_REPO_ALIAS`). */
  alias: string | null;
  /** A repository's role. */
  role: Role;
  /** A repository's scanned folder (absolute). */
  root: string | null;
  /** A file in a repository: what lstat says it is (a link: `symlink`), null when it is not there. */
  fileType: FileType | null;
  /** A file a guest uses: the walker's verdict on it (`file`, `missing`, `leaves`, `loop`…), else null. */
  state: FileState | null;
  /** A file in a repository: its other names, `<repository>/<file>`, when it is hard-linked (one inode). */
  aliases: readonly string[];
  /** True when the node is shared (see `isShared`): set once the graph is built. */
  shared: boolean;
};

/** What every edge carries (plain JSON only); fields that do not apply to its kind are null. */
export type EdgeAttributes = {
  kind: EdgeKind;
  /** `uses`/`mounts`: the entry's 0-based position in the vm.cfg's disk list or the guest's NFS mounts. */
  index: number | null;
  /** `uses`: the disk entry's virtual device, access mode and device type as the vm.cfg states them. */
  vdev: string | null;
  access: Access | null;
  devtype: "disk" | "cdrom" | null;
  readonly: boolean | null;
  shareable: boolean | null;
  format: string | null;
  /** `uses`: where the disk entry stands in the vm.cfg (1-based), null when unknown. */
  line: number | null;
  column: number | null;
  /** `mounts`: where the guest OS mounts the export, and as what (`nfs`, `nfs4`). */
  mountPoint: string | null;
  fstype: string | null;
};

/** The estate's dependency graph: a directed multigraph (an owner may use one file at two vdevs). */
export type EstateGraph = AbstractGraph<NodeAttributes, EdgeAttributes>;

/** The estate as the later stages take it: the scan and its dependency graph, built once. */
export interface Estate {
  scan: ScanResult;
  graph: EstateGraph;
}

/** Node key of a repository: `repository:<id>`. */
export function repositoryKey(id: string): string {
  return `repository:${id}`;
}

/** Node key of a guest or template: `guest:<ref>` / `template:<ref>`. */
export function ownerKey(owner: Pick<Owner, "type" | "ref">): string {
  return `${owner.type}:${owner.ref}`;
}

/**
 * Node key of a file in a repository: `iso:<repo>/<file>` under `ISOs/`, else `disk:<repo>/<file>`.
 * The prefix follows where the file sits, never how a vm.cfg uses it, so one file is one node.
 */
export function fileKey(repository: string, file: string): string {
  return `${file.startsWith("ISOs/") ? "iso" : "disk"}:${repository}/${file}`;
}

/** Node key of an assembly folder (`Assemblies/<folder>`): `assembly:<repo>/<folder>`. */
export function assemblyKey(repository: string, folder: string): string {
  return `assembly:${repository}/${folder}`;
}

/** An NFS source `host:/export` with its export path normalised (`host:/a/./b/` is `host:/a/b`). */
export function normaliseExport(source: string): string {
  const at = source.indexOf(":/");
  if (at < 0) return source;
  const exported = path.posix.normalize(source.slice(at + 1)).replace(/(.)\/+$/, "$1");
  return `${source.slice(0, at + 1)}${exported}`;
}

/** Node key of an NFS export `host:/export`: `nfs:<host:/export>`, one per export however it is written. */
export function nfsKey(source: string): string {
  return `nfs:${normaliseExport(source)}`;
}

/**
 * The node a Reference points to: a repository file (fileKey), `iso:<path>` for a CD-ROM outside
 * every repository, `lun:<device or target>`, `file:<path>` for an external file. An empty CD-ROM
 * refers to nothing: asking for its key is a bug.
 */
export function referenceKey(reference: Reference): string {
  if (reference.repository !== null && reference.file !== null) {
    return fileKey(reference.repository, reference.file);
  }
  if (reference.kind === "empty-cdrom" || reference.path === null) {
    throw new Error(`referenceKey: ${JSON.stringify(reference.spec)} refers to nothing (empty CD-ROM)`);
  }
  switch (reference.kind) {
    case "iso":
      return `iso:${reference.path}`;
    case "physical-disk":
      return `lun:${reference.path}`;
    default:
      // A virtual disk always has a repository; without one it can only be a file outside them all.
      return `file:${reference.path}`;
  }
}

/** The key without its `<prefix>:` (what NodeAttributes.ref holds). */
export function refOfKey(key: string): string {
  return key.slice(key.indexOf(":") + 1);
}
