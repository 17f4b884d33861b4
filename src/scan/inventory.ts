// Listing one repository with fast-glob (links never followed): its files, and the vm.cfg files of its owners.
import path from "node:path";
import fg from "fast-glob";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import type { Area, RepositoryFile } from "../schema/scan.js";
import { codeOf, type FsCache, type ReaddirCallback } from "./fs-cache.js";
import type { RepositoryIdentity, RepositoryIndex } from "./identity.js";
import { type Resolution, resolveInRepository } from "./resolve.js";

/** Where guests and templates keep their vm.cfg, and which kind of owner each holds. */
export const OWNER_AREAS = { VirtualMachines: "guest", Templates: "template" } as const;

/** A folder under `VirtualMachines/` or `Templates/` that holds a vm.cfg. */
export interface OwnerFolder {
  area: keyof typeof OWNER_AREAS;
  folder: string;
  /** The walk saw the vm.cfg as a symbolic link (it is then resolved inside the repository, or not read). */
  configIsLink: boolean;
}

/** The repository areas walked; everything else at the top (tool folders, snapshots, stamps) is not content. */
const AREA_NAMES = ["VirtualDisks", "ISOs", "Assemblies", "VirtualMachines", "Templates"] as const;

/** Snapshot folders (`.snapshot`), other dot folders and `lost+found` inside the areas are not content either. */
const IGNORE = ["**/.*/**", "**/lost+found/**"];

const AREAS: ReadonlySet<string> = new Set(AREA_NAMES);

const areaOf = (file: string): Area => {
  const slash = file.indexOf("/");
  const first = slash === -1 ? file : file.slice(0, slash);
  return AREAS.has(first) ? (first as Area) : "other";
};

/** Counts work for progress reports. */
export interface Progress {
  found(count: number): void;
  done(count: number): void;
}

/** The diagnostic a link problem on the way to `file` gives (null when there is none). */
export function linkProblem(
  resolution: Resolution,
  root: string,
  at: Diagnostic["file"] = null,
): Diagnostic | null {
  const where = (link: string) => ({ file: at ?? `${root}/${link}`, line: null, column: null });
  switch (resolution.state) {
    case "leaves":
      return diagnostic(
        "warning",
        "unsafe-symlink",
        `${resolution.link} is a symbolic link leaving its repository, to ${resolution.linkTarget}: not followed`,
        where(resolution.link),
      );
    case "dangling":
      return diagnostic(
        "warning",
        "dangling-symlink",
        `${resolution.link} is a symbolic link to ${resolution.linkTarget}, which does not exist`,
        where(resolution.link),
      );
    case "loop":
      return diagnostic(
        "warning",
        "symlink-loop",
        `too many symbolic links at ${resolution.link}`,
        where(resolution.link),
      );
    case "unreadable":
      return diagnostic(
        "warning",
        "unreadable",
        `cannot examine ${resolution.file} (${resolution.error})`,
        where(resolution.file),
      );
    default:
      return null;
  }
}

/** A link in the repository: its sizes when it resolves to a file inside, its target when it leaves. */
async function linkEntry(
  repository: RepositoryIdentity,
  file: string,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
  diagnostics: Diagnostic[],
): Promise<Pick<RepositoryFile, "bytes" | "allocatedBytes" | "linkTarget">> {
  const resolution = await resolveInRepository(repository, file, index, fs);
  const problem = linkProblem(resolution, repository.root);
  if (problem) diagnostics.push(problem);
  if (resolution.state === "leaves")
    return { bytes: null, allocatedBytes: null, linkTarget: resolution.linkTarget };
  if (resolution.state === "found" && resolution.stats.isFile()) {
    return { bytes: resolution.stats.size, allocatedBytes: resolution.stats.blocks * 512, linkTarget: null };
  }
  return { bytes: null, allocatedBytes: null, linkTarget: null };
}

/**
 * List a repository's areas: every file and link (with sizes; links resolved only inside the repository),
 * sorted by path, except the vm.cfg files: each is handed to `onOwner` as soon as it is found, so that it
 * can be read while the walk goes on. Names that are not valid UTF-8 are reported and left out.
 * `simpleNames` are `.ovsmeta`'s, by file name or by path.
 */
export async function listRepository(
  repository: RepositoryIdentity,
  index: RepositoryIndex<RepositoryIdentity>,
  simpleNames: ReadonlyMap<string, string>,
  fs: FsCache,
  diagnostics: Diagnostic[],
  progress: Progress,
  onOwner: (owner: OwnerFolder) => void,
): Promise<RepositoryFile[]> {
  const root = repository.root;
  const at = (file: string) => ({ file, line: null, column: null });
  // fast-glob drops folders it cannot list (suppressErrors); the wrapped readdir still reports them.
  const readdir: ReaddirCallback = (folder, options, callback) =>
    fs.readdir(folder, options, (error, entries) => {
      if (error && error.code !== "ENOENT") {
        diagnostics.push(
          diagnostic("warning", "unreadable", `cannot list folder (${codeOf(error)})`, at(folder)),
        );
      }
      // fast-glob's patterns never match a name with a line break: say so here, where it is still seen.
      for (const entry of entries) {
        if (/[\n\r]/.test(entry.name)) {
          const where = at(`${folder}/${entry.name}`);
          diagnostics.push(
            diagnostic(
              "warning",
              "line-break-in-name",
              "name holds a line break: left out of the scan",
              where,
            ),
          );
        }
      }
      callback(error, entries);
    });
  // Owner folders seen, and whether their vm.cfg was: a folder without one is reported.
  const owners = new Map<string, { folder: OwnerFolder; hasConfig: boolean }>();
  const pending: Array<Promise<RepositoryFile | null>> = [];
  /** lstat a file or link and make its inventory entry (null for folders and what cannot be examined). */
  const examine = async (file: string, name: string): Promise<RepositoryFile | null> => {
    const outcome = await fs.lstat(`${root}/${file}`);
    progress.done(1);
    if (outcome.stats === null) {
      diagnostics.push(
        diagnostic("warning", "unreadable", `cannot examine (${outcome.error})`, at(`${root}/${file}`)),
      );
      return null;
    }
    const stats = outcome.stats;
    const base = {
      file,
      area: areaOf(file),
      simpleName: simpleNames.get(file) ?? simpleNames.get(name) ?? null,
    };
    if (stats.isSymbolicLink()) {
      return { ...base, type: "symlink", ...(await linkEntry(repository, file, index, fs, diagnostics)) };
    }
    if (stats.isDirectory()) return null;
    if (stats.isFile()) {
      return {
        ...base,
        type: "file",
        bytes: stats.size,
        allocatedBytes: stats.blocks * 512,
        linkTarget: null,
      };
    }
    return { ...base, type: "other", bytes: null, allocatedBytes: null, linkTarget: null };
  };
  // fast-glob reads a pattern's static base folder even when it is a link (followSymbolicLinks only
  // governs links met during the walk), so only area folders that are real folders are globbed; an area
  // that is a link (a VirtualDisks pointing elsewhere) is listed as that link.
  const patterns: string[] = [];
  for (const area of AREA_NAMES) {
    const outcome = await fs.lstat(`${root}/${area}`);
    if (outcome.stats?.isDirectory()) patterns.push(`${area}/**`);
    else if (outcome.stats?.isSymbolicLink()) {
      progress.found(1);
      pending.push(examine(area, area));
    }
  }
  const stream = fg.stream(patterns, {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
    suppressErrors: true,
    ignore: IGNORE,
    // fast-glob always lists with file types, the one form of Node's overloaded readdir given here.
    fs: { readdir: readdir as unknown as NonNullable<fg.Options["fs"]>["readdir"] },
  });
  for await (const item of stream as AsyncIterable<fg.Entry>) {
    progress.found(1);
    const file = item.path;
    const parent = path.posix.dirname(`${root}/${file}`);
    if (await fs.isInvalidName(parent, item.name)) {
      diagnostics.push(
        diagnostic("warning", "non-utf8-name", "name is not valid UTF-8: left out", at(`${root}/${file}`)),
      );
      progress.done(1);
      continue;
    }
    const parts = file.split("/");
    const ownerArea =
      parts[0] === "VirtualMachines" ? "VirtualMachines" : parts[0] === "Templates" ? "Templates" : null;
    if (item.dirent.isDirectory()) {
      if (ownerArea !== null && parts.length === 2) {
        const key = `${ownerArea}/${parts[1]}`;
        if (!owners.has(key))
          owners.set(key, {
            folder: { area: ownerArea, folder: parts[1]!, configIsLink: false },
            hasConfig: false,
          });
      }
      progress.done(1);
      continue;
    }
    if (ownerArea !== null && parts.length === 3 && parts[2] === "vm.cfg") {
      const folder: OwnerFolder = {
        area: ownerArea,
        folder: parts[1]!,
        configIsLink: item.dirent.isSymbolicLink(),
      };
      owners.set(`${ownerArea}/${parts[1]}`, { folder, hasConfig: true });
      progress.done(1);
      onOwner(folder);
      continue;
    }
    pending.push(examine(file, item.name));
  }
  const files = (await Promise.all(pending)).filter((f) => f !== null);
  files.sort((a, b) => compare(a.file, b.file));
  for (const { folder, hasConfig } of owners.values()) {
    if (!hasConfig) {
      const where = at(`${root}/${folder.area}/${folder.folder}`);
      diagnostics.push(diagnostic("warning", "missing-vm-cfg", "folder has no vm.cfg", where));
    }
  }
  return files;
}

/** Code-point order: stable across locales. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
