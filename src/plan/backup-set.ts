// The one definition of a guest's backup set: which of its files a repository copy takes, and what it cannot.
import type { Outside, PlanFile, Resource } from "../schema/plan.js";
import type { Owner, Reference, Repository, RepositoryFile } from "../schema/scan.js";

/** What no repository copy covers needs this instead, by kind. */
export const NEEDS: Readonly<Record<Outside["kind"], string>> = {
  "physical-disk": "LUN/array-level backup",
  "nfs-mount": "NFS-server-level backup",
  "external-file": "a backup of the file system holding it",
};

/** Repositories of a scan by id, with their files by path, for size look-ups. */
export interface RepositoryIndex {
  byId: ReadonlyMap<string, Repository>;
  files: ReadonlyMap<string, ReadonlyMap<string, RepositoryFile>>;
}

/** Index the repositories of a scan. */
export function indexRepositories(repositories: readonly Repository[]): RepositoryIndex {
  return {
    byId: new Map(repositories.map((r) => [r.id, r])),
    files: new Map(repositories.map((r) => [r.id, new Map(r.files.map((f) => [f.file, f]))])),
  };
}

/** The scanned folder of repository `repository`. */
export function repositoryRoot(index: RepositoryIndex, repository: string): string {
  const root = index.byId.get(repository)?.root;
  // A Reference names a scanned repository by id, so a miss is a bug in the scan, not an input problem.
  if (root === undefined) throw new Error(`repository ${repository} is not in the scan`);
  return root;
}

/** Absolute path of `file` in the scanned tree of repository `repository`. */
export function repositoryPath(index: RepositoryIndex, repository: string, file: string): string {
  // Both are normalised already (a scanned root, a file the walker resolved): no path.join needed.
  return `${repositoryRoot(index, repository)}/${file}`;
}

/** The backup set of one owner, before sharing and coverage are judged. */
export interface BackupSet {
  /** Its vm.cfg (unless that is a link leaving the repository) and each present virtual disk not leaving it, once each. */
  files: PlanFile[];
  /** ISOs in scanned repositories. */
  resources: Resource[];
  outside: Outside[];
  /** Virtual disks that should be in a scanned repository and are not (missing, a dangling link or a loop). */
  missing: Array<{ repository: string; file: string; path: string }>;
  /** Virtual disks that are there but cannot be copied: not a regular file, or not examinable. */
  unusable: Array<{ repository: string; file: string; path: string; state: "not-a-file" | "unreadable" }>;
}

/** How a reference shows in `outside`, or null when a repository copy covers it (or there is nothing to cover). */
function outsideOf(reference: Reference): Outside | null {
  const ref = reference.linkTarget ?? reference.path ?? reference.spec;
  switch (reference.kind) {
    case "virtual-disk":
      // A link leaving its repository: the copy would hold the link, not the data.
      return reference.linkTarget === null
        ? null
        : { kind: "external-file", ref, needs: NEEDS["external-file"] };
    case "iso":
      if (reference.repository !== null && reference.linkTarget === null) return null;
      return reference.linkTarget === null && reference.backing === "device"
        ? { kind: "physical-disk", ref, needs: "the media in that device" }
        : { kind: "external-file", ref, needs: NEEDS["external-file"] };
    case "physical-disk":
      return { kind: "physical-disk", ref, needs: NEEDS["physical-disk"] };
    case "external-file":
      return { kind: "external-file", ref, needs: NEEDS["external-file"] };
    case "empty-cdrom":
      return null;
  }
}

/** The backup set of `owner` (docs/json.md `plan`: files, resources, outside), each entry once. */
export function backupSet(owner: Owner, index: RepositoryIndex): BackupSet {
  const set: BackupSet = { files: [], resources: [], outside: [], missing: [], unusable: [] };
  const seen = new Set<string>();
  const once = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };

  if (owner.configLinkTarget === null) {
    set.files.push({
      repository: owner.repository,
      file: owner.config,
      role: "config",
      path: owner.path,
      bytes: owner.configBytes,
      allocatedBytes: owner.configAllocatedBytes,
    });
  } else if (once(`outside:${owner.configLinkTarget}`)) {
    set.outside.push({ kind: "external-file", ref: owner.configLinkTarget, needs: NEEDS["external-file"] });
  }

  for (const reference of owner.disks) {
    const outside = outsideOf(reference);
    if (outside !== null) {
      if (once(`outside:${outside.kind}:${outside.ref}`)) set.outside.push(outside);
      continue;
    }
    if (reference.repository === null || reference.file === null) continue;
    const at = repositoryPath(index, reference.repository, reference.file);
    if (!once(`${reference.kind}:${at}`)) continue;
    if (reference.kind === "iso") {
      set.resources.push({ repository: reference.repository, file: reference.file, path: at });
    } else if (reference.state === "not-a-file" || reference.state === "unreadable") {
      set.unusable.push({
        repository: reference.repository,
        file: reference.file,
        path: at,
        state: reference.state,
      });
    } else if (reference.state === "file") {
      set.files.push({
        repository: reference.repository,
        file: reference.file,
        role: "disk",
        path: at,
        bytes: reference.bytes,
        allocatedBytes: reference.allocatedBytes,
      });
    } else {
      set.missing.push({ repository: reference.repository, file: reference.file, path: at });
    }
  }

  for (const mount of owner.nfsMounts) {
    if (once(`outside:nfs-mount:${mount.source}`)) {
      set.outside.push({ kind: "nfs-mount", ref: mount.source, needs: NEEDS["nfs-mount"] });
    }
  }
  return set;
}
