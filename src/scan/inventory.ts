// Listing one repository (links never followed): its files, and the vm.cfg files of its owners.
import path from "node:path";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import type { Area, RepositoryFile } from "../schema/scan.js";
import type { RepositoryIdentity, RepositoryIndex } from "./identity.js";
import { codeOf, type FsCache, type ListedFolder, listFolder, type TreeEntry } from "./io.js";
import { type LstatOutcome, linkProblem, type Walk, walkInRepository, walkNow } from "./walk.js";

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

/** Snapshot folders (`.snapshot`), other dot folders and `lost+found` inside the areas are listed, not entered. */
const NOT_ENTERED = (name: string): boolean => name.startsWith(".") || name === "lost+found";

/** A line break in a name: such an entry is reported and left out. */
const LINE_BREAK = /[\n\r]/;

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

/** A link in the repository, walked: its sizes when it resolves to a file inside, its target when it leaves. */
function linkFields(
  walk: Walk,
  link: string | null,
  root: string,
  diagnostics: Diagnostic[],
): Pick<RepositoryFile, "bytes" | "allocatedBytes" | "linkTarget" | "link"> {
  const problem = linkProblem(walk, root);
  if (problem) diagnostics.push(problem);
  if (walk.state === "leaves")
    return { bytes: null, allocatedBytes: null, linkTarget: walk.linkTarget, link };
  if (walk.state === "found" && walk.facts.type === "file") {
    return { bytes: walk.facts.size, allocatedBytes: walk.facts.allocatedBytes, linkTarget: null, link };
  }
  return { bytes: null, allocatedBytes: null, linkTarget: null, link };
}

/** A listed repository: its files, the folders listed, and those that could not be. */
export interface Listing {
  files: RepositoryFile[];
  /** Every folder inside the repository's areas that was listed (relative to its root; dot folders are not). */
  folders: string[];
  /** Folders that could not be listed, with why. */
  unlisted: Array<{ file: string; error: string }>;
  /** Folders seen and deliberately not entered (snapshot and other dot folders, `lost+found`). */
  notEntered: string[];
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
): Promise<Listing> {
  const root = repository.root;
  const folders: string[] = [];
  const notEntered: string[] = [];
  const unlisted: Listing["unlisted"] = [];
  const at = (file: string) => ({ file, line: null, column: null });
  // Every listing goes through here: a folder that cannot be listed is reported and recorded as unlisted.
  const listed: ListedFolder = (folder, error, entries) => {
    if (error && error.code !== "ENOENT") {
      unlisted.push({ file: path.posix.relative(root, folder), error: codeOf(error) });
      diagnostics.push(
        diagnostic("warning", "unreadable", `cannot list folder (${codeOf(error)})`, at(folder)),
      );
    }
    // An entry whose name holds a line break is left out of the inventory: say so where it is seen.
    for (const entry of entries) {
      if (LINE_BREAK.test(entry.name)) {
        const where = at(`${folder}/${entry.name}`);
        diagnostics.push(
          diagnostic("warning", "line-break-in-name", "name holds a line break: left out of the scan", where),
        );
      }
    }
  };
  // Owner folders seen, and whether their vm.cfg was: a folder without one is reported.
  const owners = new Map<string, { folder: OwnerFolder; hasConfig: boolean }>();
  /** lstat a file or link and make its inventory entry (null for folders and what cannot be examined). */
  /** The inventory entry of a file or link from its lstat (null for folders and what cannot be examined). */
  const entryOf = (
    file: string,
    name: string,
    outcome: LstatOutcome,
    link: Pick<RepositoryFile, "bytes" | "allocatedBytes" | "linkTarget" | "link"> | null,
  ): RepositoryFile | null => {
    progress.done(1);
    if (outcome.facts === null) {
      diagnostics.push(
        diagnostic("warning", "unreadable", `cannot examine (${outcome.error})`, at(`${root}/${file}`)),
      );
      return null;
    }
    const facts = outcome.facts;
    if (facts.type === "directory") return null;
    const type = facts.type === "symlink" ? "symlink" : facts.type === "file" ? "file" : "other";
    return {
      file,
      area: areaOf(file),
      simpleName: simpleNames.get(file) ?? simpleNames.get(name) ?? null,
      fileType: facts.type,
      device: facts.device,
      inode: facts.inode,
      links: facts.links,
      mtimeMs: facts.mtimeMs,
      type,
      bytes: link !== null ? link.bytes : type === "file" ? facts.size : null,
      allocatedBytes: link !== null ? link.allocatedBytes : type === "file" ? facts.allocatedBytes : null,
      linkTarget: link?.linkTarget ?? null,
      link: link?.link ?? null,
    };
  };
  // Entries made at once (direct calls: nothing to wait for), or once their calls are done (concurrent).
  const entries: Array<RepositoryFile | null> = [];
  const pending: Array<Promise<RepositoryFile | null>> = [];
  /** lstat a file or link and make its inventory entry. */
  const examine = (file: string, name: string): void => {
    const absolute = `${root}/${file}`;
    if (fs.mode === "direct") {
      const outcome = fs.lstatSync(absolute);
      const link =
        outcome.facts?.type === "symlink"
          ? linkFields(
              walkNow(repository, file, index, fs),
              fs.readlinkSync(absolute).target,
              root,
              diagnostics,
            )
          : null;
      entries.push(entryOf(file, name, outcome, link));
      return;
    }
    pending.push(
      (async () => {
        const outcome = await fs.lstat(absolute);
        const link =
          outcome.facts?.type === "symlink"
            ? linkFields(
                await walkInRepository(repository, file, index, fs),
                (await fs.readlink(absolute)).target,
                root,
                diagnostics,
              )
            : null;
        return entryOf(file, name, outcome, link);
      })(),
    );
  };
  // Only area folders that are real folders are walked (a listing would follow a link given as its
  // folder); an area that is a link (a VirtualDisks pointing elsewhere) is listed as that link.
  const starts: string[] = [];
  // The top of the repository is listed too (one folder, not descended into): what stands there beside the
  // areas is recorded, so that a path there is known to be absent rather than unknown.
  const top = await listFolder(root);
  if (top.entries === null) {
    unlisted.push({ file: "", error: top.error });
    diagnostics.push(
      diagnostic("warning", "unreadable", `cannot list the repository folder (${top.error})`, at(root)),
    );
  } else {
    folders.push("");
    for (const entry of top.entries) if (!AREAS.has(entry.name)) await fs.lstat(`${root}/${entry.name}`);
  }
  for (const area of AREA_NAMES) {
    const outcome = await fs.lstat(`${root}/${area}`);
    if (outcome.facts?.type === "directory") {
      starts.push(area);
      folders.push(area);
    } else if (outcome.facts?.type === "symlink") {
      progress.found(1);
      examine(area, area);
      // An area that is a link to a folder inside the repository (VirtualDisks -> Disks): that folder is
      // listed too, under its own name, so that what the link leads to is recorded like any file.
      const walk = await walkInRepository(repository, area, index, fs);
      if (walk.state === "found" && walk.facts.type === "directory" && walk.file !== "") {
        if (!starts.includes(walk.file) && !AREAS.has(walk.file)) {
          starts.push(walk.file);
          folders.push(walk.file);
        }
      }
    }
  }
  /** Take one listed entry into the inventory. */
  const take = (item: TreeEntry): void => {
    const file = item.path;
    // An owner area's entries: the owner folder's name, and the path below it (null for the folder itself).
    const ownerArea = file.startsWith("VirtualMachines/")
      ? "VirtualMachines"
      : file.startsWith("Templates/")
        ? "Templates"
        : null;
    const slash = ownerArea === null ? -1 : file.indexOf("/", ownerArea.length + 1);
    const ownerFolder =
      ownerArea === null ? "" : file.slice(ownerArea.length + 1, slash === -1 ? undefined : slash);
    if (item.dirent.isDirectory()) {
      if (NOT_ENTERED(item.name)) notEntered.push(file);
      else folders.push(file);
      if (ownerArea !== null && slash === -1) {
        const key = `${ownerArea}/${ownerFolder}`;
        if (!owners.has(key))
          owners.set(key, {
            folder: { area: ownerArea, folder: ownerFolder, configIsLink: false },
            hasConfig: false,
          });
      }
      progress.done(1);
      return;
    }
    // A vm.cfg is listed with the rest too, so that its facts are recorded like any file's; in direct
    // mode `onOwner` then reads it at once, from the facts just recorded (the same pass over the tree).
    examine(file, item.name);
    if (ownerArea !== null && slash !== -1 && file.length - slash === 7 && file.endsWith("/vm.cfg")) {
      const folder: OwnerFolder = {
        area: ownerArea,
        folder: ownerFolder,
        configIsLink: item.dirent.isSymbolicLink(),
      };
      owners.set(`${ownerArea}/${ownerFolder}`, { folder, hasConfig: true });
      onOwner(folder);
    }
  };
  // Names Node could not decode are checked against the raw listing (rare): those entries wait for it.
  const undecoded: Array<Promise<void>> = [];
  const visit = (item: TreeEntry): void => {
    progress.found(1);
    // Left out, as the listing's diagnostic said (a line break in a name breaks every list format).
    if (LINE_BREAK.test(item.name)) {
      progress.done(1);
      return;
    }
    if (!item.name.includes("\uFFFD")) {
      take(item);
      return;
    }
    const where = `${root}/${item.path}`;
    undecoded.push(
      fs.isInvalidName(path.posix.dirname(where), item.name).then((invalid) => {
        if (!invalid) return take(item);
        diagnostics.push(
          diagnostic("warning", "non-utf8-name", "name is not valid UTF-8: left out", at(where)),
        );
        progress.done(1);
      }),
    );
  };
  const enter = (item: TreeEntry): boolean => !NOT_ENTERED(item.name) && !LINE_BREAK.test(item.name);
  await fs.walkTree(root, starts, { enter, visit, listed });
  await Promise.all(undecoded);
  const files = [...entries, ...(await Promise.all(pending))].filter((f) => f !== null);
  files.sort((a, b) => compare(a.file, b.file));
  for (const { folder, hasConfig } of owners.values()) {
    if (!hasConfig) {
      const where = at(`${root}/${folder.area}/${folder.folder}`);
      diagnostics.push(diagnostic("warning", "missing-vm-cfg", "folder has no vm.cfg", where));
    }
  }
  const unlistedFolders = new Set(unlisted.map((u) => u.file));
  return {
    files,
    folders: folders.filter((f) => !unlistedFolders.has(f)).sort(compare),
    unlisted,
    notEntered,
  };
}

/** Code-point order: stable across locales. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
