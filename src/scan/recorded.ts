// The scan's recorded facts as the walker's source: after the scan, every question about the trees is
// answered from what the walk recorded, never by reading the file system again. What the scan did not
// list (a folder it could not read, a place outside the repository areas) is unknown, never "absent".
import type { Repository, RepositoryFile } from "../schema/scan.js";
import type { Facts, LstatOutcome, ReadlinkOutcome, RepositoryLookup, SyncFactSource } from "./walk.js";

/** The error of a path the scan did not list: what is there is unknown. */
export const NOT_SCANNED = "not scanned";

/** What a listing leaves out of the inventory (reported when seen): names with a line break or undecodable bytes. */
const LEFT_OUT = /[\n\r\uFFFD]/;

/**
 * A folder's facts as far as the scan recorded them: only that it is a folder. The numbers it does not know
 * are NaN, equal to nothing: no two such facts ever look like one file, or like an unchanged one.
 */
const FOLDER: Facts = {
  type: "directory",
  size: Number.NaN,
  allocatedBytes: Number.NaN,
  device: Number.NaN,
  inode: Number.NaN,
  links: 1,
  mtimeMs: Number.NaN,
};

/** One repository's recorded tree. */
interface Tree {
  repository: Repository;
  files: Map<string, RepositoryFile>;
  folders: Set<string>;
  unlisted: Map<string, string>;
  examined: Map<string, Repository["examined"][number]>;
}

/** The facts of a recorded file. */
function factsOf(file: RepositoryFile): Facts {
  return {
    type: file.fileType,
    size: file.bytes ?? Number.NaN,
    allocatedBytes: file.allocatedBytes ?? Number.NaN,
    device: file.device,
    inode: file.inode,
    links: file.links,
    mtimeMs: file.mtimeMs,
  };
}

/** The scanned repositories of one side, by name and by folder, and the facts their scan recorded. */
export class RecordedTrees implements SyncFactSource, RepositoryLookup<Repository> {
  private readonly byName = new Map<string, Repository>();
  private readonly byLowerName = new Map<string, string>();
  private readonly trees: Tree[];

  constructor(repositories: readonly Repository[]) {
    for (const repository of repositories) {
      for (const name of repository.names) {
        if (!this.byName.has(name)) this.byName.set(name, repository);
        if (!this.byLowerName.has(name.toLowerCase())) this.byLowerName.set(name.toLowerCase(), name);
      }
    }
    this.trees = repositories
      .map((repository) => ({
        repository,
        files: new Map(repository.files.map((f) => [f.file, f])),
        folders: new Set(repository.folders),
        unlisted: new Map(repository.unlisted.map((u) => [u.file, u.error])),
        examined: new Map(repository.examined.map((e) => [e.file, e])),
      }))
      .sort((a, b) => b.repository.root.length - a.repository.root.length);
  }

  named(name: string): Repository | undefined {
    return this.byName.get(name);
  }

  similarName(name: string): string | null {
    return this.byLowerName.get(name.toLowerCase()) ?? null;
  }

  byFolder(file: string): { repository: Repository; rest: string } | null {
    const tree = this.treeOf(file);
    return tree === null ? null : { repository: tree.tree.repository, rest: tree.rest };
  }

  private treeOf(file: string): { tree: Tree; rest: string } | null {
    for (const tree of this.trees) {
      if (file === tree.repository.root) return { tree, rest: "" };
      if (file.startsWith(`${tree.repository.root}/`))
        return { tree, rest: file.slice(tree.repository.root.length + 1) };
    }
    return null;
  }

  lstatSync(file: string): LstatOutcome {
    const found = this.treeOf(file);
    if (found === null) return { facts: null, error: NOT_SCANNED };
    const { tree, rest } = found;
    // A folder the scan could not list is there all the same (its listing failed, not its lstat).
    if (rest === "" || tree.folders.has(rest) || tree.unlisted.has(rest))
      return { facts: FOLDER, error: null };
    const recorded = tree.files.get(rest);
    if (recorded !== undefined) return { facts: factsOf(recorded), error: null };
    const examined = tree.examined.get(rest);
    if (examined !== undefined) {
      if (examined.fileType === null) return { facts: null, error: examined.error ?? NOT_SCANNED };
      const known = (value: number | null): number => value ?? Number.NaN;
      return {
        facts: {
          type: examined.fileType,
          size: known(examined.bytes),
          allocatedBytes: known(examined.allocatedBytes),
          device: known(examined.device),
          inode: known(examined.inode),
          links: examined.links ?? 1,
          mtimeMs: known(examined.mtimeMs),
        },
        error: null,
      };
    }
    // A name the listing leaves out (a line break, bytes that are not UTF-8) is there or not: unknown.
    if (LEFT_OUT.test(rest)) return { facts: null, error: NOT_SCANNED };
    // Absent only where the scan listed the folder it would be in (`""` is the repository's top); below a
    // folder it could not list, or did not enter, unknown.
    const parentOf = (file: string): string => {
      const slash = file.lastIndexOf("/");
      return slash === -1 ? "" : file.slice(0, slash);
    };
    const parent = parentOf(rest);
    if (tree.folders.has(parent)) return { facts: null, error: "ENOENT" };
    for (let folder = parent; ; folder = parentOf(folder)) {
      const error = tree.unlisted.get(folder);
      if (error !== undefined) return { facts: null, error };
      if (folder === "") break;
    }
    return { facts: null, error: NOT_SCANNED };
  }

  readlinkSync(file: string): ReadlinkOutcome {
    const found = this.treeOf(file);
    const link =
      found === null
        ? undefined
        : (found.tree.files.get(found.rest)?.link ?? found.tree.examined.get(found.rest)?.link);
    return typeof link === "string" ? { target: link, error: null } : { target: null, error: NOT_SCANNED };
  }
}
