// The one definition of a guest's backup set: which of its files a repository copy takes, and what it cannot.
import { RecordedTrees } from "../scan/recorded.js";
import { walkNow } from "../scan/walk.js";
import type { Outside, PlanFile, Resource } from "../schema/plan.js";
import type { FileType, Owner, Reference, Repository, RepositoryFile } from "../schema/scan.js";

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
  /** The scan's recorded trees, for the walker: built on first use (few sets go through a link). */
  trees(): RecordedTrees;
}

/** Index the repositories of a scan. */
export function indexRepositories(repositories: readonly Repository[]): RepositoryIndex {
  let trees: RecordedTrees | null = null;
  return {
    byId: new Map(repositories.map((r) => [r.id, r])),
    files: new Map(repositories.map((r) => [r.id, new Map(r.files.map((f) => [f.file, f]))])),
    trees: () => {
      trees ??= new RecordedTrees(repositories);
      return trees;
    },
  };
}

/**
 * The symbolic links inside repository `repository` on the way from `named` (as a vm.cfg names a file) to
 * the file itself, as set entries carried as links, and where the file really is. Null when the walk does
 * not end on something (the file's own state says what is wrong).
 */
export function linksOnTheWay(
  index: RepositoryIndex,
  repository: string,
  named: string,
): { file: string; links: PlanFile[] } | null {
  const scanned = index.byId.get(repository);
  if (scanned === undefined) return null;
  const trees = index.trees();
  const walk = walkNow(scanned, named, trees, trees);
  if (walk.state !== "found") return null;
  const links: PlanFile[] = [];
  for (const link of walk.links) {
    const at = `${scanned.root}/${link}`;
    const text = trees.readlinkSync(at).target;
    const facts = trees.lstatSync(at).facts;
    if (text === null) return null;
    links.push({
      repository,
      file: link,
      role: "link",
      path: at,
      bytes: facts === null || Number.isNaN(facts.size) ? null : facts.size,
      allocatedBytes: facts === null || Number.isNaN(facts.allocatedBytes) ? null : facts.allocatedBytes,
      linkTo: text,
    });
  }
  return { file: walk.file, links };
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
  /** Links inside a repository on the way to those files (`a.img -> a-real.img`): copied as links. */
  links: PlanFile[];
  /** ISOs in scanned repositories. */
  resources: Resource[];
  outside: Outside[];
  /** Virtual disks that should be in a scanned repository and are not (missing, a dangling link or a loop). */
  missing: Array<{ repository: string; file: string; path: string }>;
  /** Virtual disks that are there but cannot be copied: not a regular file, or not examinable. */
  unusable: Array<{
    repository: string;
    file: string;
    path: string;
    state: "not-a-file" | "unreadable";
    /** What the scan saw there (a block device is a LUN presented as a file), null when unknown. */
    fileType: FileType | null;
  }>;
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
  const set: BackupSet = { files: [], links: [], resources: [], outside: [], missing: [], unusable: [] };
  const seen = new Set<string>();
  const once = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };

  if (owner.configLinkTarget === null) {
    // A vm.cfg the listing did not see as a regular file may be reached through links in its repository:
    // the set carries the links and the file they lead to (a copy of the link alone would dangle).
    const listed = index.files.get(owner.repository)?.get(owner.config);
    const reached = listed?.fileType === "file" ? null : linksOnTheWay(index, owner.repository, owner.config);
    const file = reached?.file ?? owner.config;
    set.files.push({
      repository: owner.repository,
      file,
      role: "config",
      path: reached === null ? owner.path : repositoryPath(index, owner.repository, file),
      bytes: owner.configBytes,
      allocatedBytes: owner.configAllocatedBytes,
    });
    for (const link of reached?.links ?? []) set.links.push(link);
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
        fileType: index.files.get(reference.repository)?.get(reference.file)?.fileType ?? null,
      });
    } else if (reference.state === "file") {
      if (reference.named !== null && reference.named !== reference.file) {
        const reached = linksOnTheWay(index, reference.repository, reference.named);
        for (const link of reached?.links ?? []) set.links.push(link);
      }
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

  // Each link once, after the files it leads to (a restore creates a link once its target is there).
  const linked = new Set(set.files.map((f) => `${f.repository}/${f.file}`));
  set.links = set.links.filter((l) => !linked.has(`${l.repository}/${l.file}`) && once(`link:${l.path}`));

  for (const mount of owner.nfsMounts) {
    if (once(`outside:nfs-mount:${mount.source}`)) {
      set.outside.push({ kind: "nfs-mount", ref: mount.source, needs: NEEDS["nfs-mount"] });
    }
  }
  return set;
}
