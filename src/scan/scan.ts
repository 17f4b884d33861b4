// Scanning ROOTs into the inventory: discover repositories, identify them, list them, read every vm.cfg.
import path from "node:path";
import { type Diagnostic, diagnostic, withReferences } from "../diagnostics.js";
import type { Owner, Repository, ScanResult } from "../schema/scan.js";
import { CHAINED_FORMATS } from "./backing.js";
import { completenessOf } from "./completeness.js";
import { ConfigReader } from "./config-reader.js";
import type { DeferredScan } from "./deferred.js";
import { discoverRepositories, readOvsMeta, readOvsRepo } from "./discover.js";
import { addNfsMounts } from "./guest-backups.js";
import { assignRoles, identify, type RepositoryIdentity, RepositoryIndex } from "./identity.js";
import { compare, type Listing, listRepository, type OwnerFolder, type Progress } from "./inventory.js";
import { FsCache, isLocalFileSystem } from "./io.js";
import type { ScanOptions } from "./options.js";
import {
  addBackingChains,
  parseOwner,
  type ReadOwner,
  readOwner,
  readUnparsed,
  resolveOwner,
  type UnparsedOwner,
} from "./owners.js";
import { CachedConfigReader, type ParseCache } from "./parse-cache.js";
import { walkNow } from "./walk.js";
import { readXmList } from "./xm-list.js";

/** Diagnostics in a stable order (file, position, code), whatever order the concurrent work finished in. */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      compare(a.file ?? "", b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compare(a.code, b.code) ||
      compare(a.message, b.message),
  );
}

/**
 * The symbolic links between the ROOT that holds a repository folder and that folder (a `--repository`
 * DIR reached through a link inside a ROOT): a copy with paths relative to the ROOT passes through them.
 */
async function linksBetween(
  roots: readonly string[],
  repositoryRoot: string,
  fs: FsCache,
): Promise<string[]> {
  const root = roots.find((r) => repositoryRoot.startsWith(`${r}/`));
  if (root === undefined) return [];
  const links: string[] = [];
  let at = root;
  for (const component of repositoryRoot.slice(root.length + 1).split("/")) {
    at = `${at}/${component}`;
    if ((await fs.lstat(at)).facts?.type === "symlink") links.push(at);
  }
  return links;
}

/** Counts found and finished units of work, and tells `onProgress`; `walked` once no more work will be found. */
function progressCounter(onProgress: ScanOptions["onProgress"]): Progress & { walked(): void } {
  let found = 0;
  let done = 0;
  let final = false;
  return {
    found(count) {
      found += count;
      onProgress?.(done, found, final);
    },
    done(count) {
      done += count;
      onProgress?.(done, found, final);
    },
    walked() {
      final = true;
      onProgress?.(done, found, final);
    },
  };
}

/** What the first part of a scan found: the repositories, each listed, and every vm.cfg read by `read`. */
interface Listed<T> {
  options: ScanOptions;
  fs: FsCache;
  index: RepositoryIndex<RepositoryIdentity>;
  /** The scan's own diagnostics so far (a finished scan adds to a copy). */
  diagnostics: Diagnostic[];
  listed: Array<{ identity: RepositoryIdentity; listing: Listing }>;
  linksAbove: string[][];
  rootsOf: string[];
  guestBackups: string | null;
  unscanned: string[];
  /** The parse cache, when one was given and may be used. */
  cache: ParseCache | null;
  reads: T[];
  progress: Progress & { walked(): void };
}

/**
 * The first part of a scan: discover repositories, identify them, list them, and read each vm.cfg with
 * `read` as soon as the walk finds it.
 */
async function listEstate<T>(
  roots: string[],
  options: ScanOptions,
  reading: (
    cache: ParseCache | null,
  ) => (
    identity: RepositoryIdentity,
    folder: OwnerFolder,
    index: RepositoryIndex<RepositoryIdentity>,
    fs: FsCache,
  ) => Promise<T>,
): Promise<Listed<T>> {
  const fs = new FsCache();
  const diagnostics: Diagnostic[] = [];
  const progress = progressCounter(options.onProgress);
  const positional = roots.map((root) => path.resolve(root));
  const named = (options.repositoryNames ?? []).map(({ name, dir }) => ({ name, dir: path.resolve(dir) }));

  const discovery = await discoverRepositories(positional, named, fs);
  for (const d of discovery.diagnostics) diagnostics.push(d);
  const identities = await Promise.all(
    discovery.folders.map(async (folder) =>
      identify(folder.root, await readOvsRepo(folder.root, fs, diagnostics), folder.givenNames),
    ),
  );
  assignRoles(identities, options.roles ?? []);
  const io = options.io ?? "auto";
  const guestBackups = options.guestBackups ? path.resolve(options.guestBackups) : null;
  const folders = [...identities.map((identity) => identity.root), ...(guestBackups ? [guestBackups] : [])];
  fs.mode = io === "auto" ? (folders.every(isLocalFileSystem) ? "direct" : "concurrent") : io;
  const index = new RepositoryIndex(identities, diagnostics);
  const rootsOf = [...new Set([...positional, ...named.map((n) => n.dir)])];
  const linksAbove = await Promise.all(
    identities.map((identity) => linksBetween(rootsOf, identity.root, fs)),
  );
  // The cache is never kept inside what is scanned: the ROOTs, `--repository` folders, guest backups.
  const cache = options.cache?.open([...rootsOf, ...folders], diagnostics) ? options.cache : null;
  const read = reading(cache);

  const pending: Array<Promise<T>> = [];
  const listed = await Promise.all(
    identities.map(async (identity) => {
      const simpleNames = await readOvsMeta(identity.root, fs, diagnostics);
      const listing = await listRepository(
        identity,
        index,
        simpleNames,
        fs,
        diagnostics,
        progress,
        (folder) => {
          progress.found(1);
          pending.push(read(identity, folder, index, fs));
        },
      );
      return { identity, listing };
    }),
  );
  // Every repository is listed: the total is known (what remains is reading and resolving).
  progress.walked();
  const reads = await Promise.all(pending);
  return {
    options,
    fs,
    index,
    diagnostics,
    listed,
    linksAbove,
    rootsOf,
    guestBackups,
    unscanned: discovery.beside,
    cache,
    reads,
    progress,
  };
}

/** Say when the parsing workers asked for could not (all) be used. */
function threadsProblem(reader: ConfigReader, diagnostics: Diagnostic[]): void {
  if (reader.problem === null) return;
  diagnostics.push(
    diagnostic(
      "warning",
      "threads-unavailable",
      `vm.cfg files were parsed in the main thread: ${reader.problem}`,
      {
        file: null,
        line: null,
        column: null,
      },
    ),
  );
}

/** Scan ROOTs (absolute or relative to process.cwd()) into the inventory. Never writes under a ROOT. */
export async function scanRepositories(roots: string[], options: ScanOptions = {}): Promise<ScanResult> {
  // Each vm.cfg is read and parsed as soon as the walk finds it; its disks are resolved only once every
  // repository has been listed, so that the lstat of every file they use is already cached.
  const reader = new ConfigReader(options.threads ?? "auto");
  let listed: Listed<ReadOwner>;
  try {
    listed = await listEstate(roots, options, (cache) => {
      const reads = cache === null ? reader : new CachedConfigReader(cache, reader);
      return (identity, folder, index, fs) => readOwner(identity, folder, index, fs, reads);
    });
  } finally {
    // Workers keep a process alive: they end here whatever happened.
    await reader.close();
  }
  listed.cache?.save(listed.diagnostics);
  threadsProblem(reader, listed.diagnostics);
  return finishScan(listed, listed.reads);
}

/** Progress that tells no one. */
const QUIET: Listed<unknown>["progress"] = { found() {}, done() {}, walked() {} };

/** Scan ROOTs as `scanRepositories` does, leaving the parsing of each vm.cfg until it is asked for. */
export async function scanDeferred(roots: string[], options: ScanOptions = {}): Promise<DeferredScan> {
  const listed = await listEstate(roots, options, () => readUnparsed);
  const refOf = ({ owner }: UnparsedOwner): string =>
    `${owner.repository.id}/${owner.folder.area}/${owner.folder.folder}`;
  const configs = new Map(listed.reads.map((u) => [refOf(u), u.bytes] as const));
  let readable = 0;
  for (const u of listed.reads) if (u.bytes !== null) readable++;
  const done = new Map<string, ReadOwner>();
  // Read once: every round's inventory says the same of who is running.
  const xmList = readXmListOf(options);
  let last: { parsed: number; scan: ScanResult } | null = null;
  const diagnostics = [...listed.diagnostics];
  const parse = async (wanted: (ref: string) => boolean): Promise<void> => {
    const todo = listed.reads.filter((u) => u.bytes !== null && !done.has(refOf(u)) && wanted(refOf(u)));
    if (todo.length === 0) return;
    const reader = new ConfigReader(todo.length < 2000 ? 0 : (options.threads ?? "auto"));
    let owners: ReadOwner[];
    try {
      const reads = listed.cache === null ? reader : new CachedConfigReader(listed.cache, reader);
      owners = await Promise.all(todo.map((u) => parseOwner({ owner: u.owner, bytes: u.bytes! }, reads)));
    } finally {
      await reader.close();
    }
    // Unless every vm.cfg was asked for, a part of the estate: not a run that ages the cache's entries.
    listed.cache?.save(diagnostics, { partial: todo.length + done.size < readable });
    threadsProblem(reader, diagnostics);
    for (const [i, u] of todo.entries()) done.set(refOf(u), owners[i]!);
  };
  return {
    configs,
    repositories: finishRepositories(listed),
    async result(wanted) {
      // Guest backups are matched to guests by name, and read only for a guest that matched: with them,
      // what the scan could not read depends on every guest, and every vm.cfg is parsed.
      const all = wanted === "all" || listed.guestBackups !== null;
      await parse(all ? () => true : (ref) => wanted.has(ref));
      // Nothing more parsed: the same inventory (a caller may keep what it built from it).
      if (last !== null && last.parsed === done.size) return last.scan;
      const reads = listed.reads.flatMap((u) => {
        const ref = refOf(u);
        if (u.bytes === null) return [u.owner];
        const owner = done.get(ref);
        return owner === undefined ? [] : [owner];
      });
      // The progress was the listing's: the bar is gone by now.
      const scan = await finishScan(
        { ...listed, progress: QUIET, diagnostics: [...diagnostics] },
        reads,
        xmList,
      );
      last = { parsed: done.size, scan };
      return scan;
    },
    parsed: () => done.size,
  };
}

/** `--xm-list` as read: the running guests' names (null when the file is no xm list), and what was said of it. */
interface XmListRead {
  running: Set<string> | null;
  diagnostics: Diagnostic[];
}

/** Read the scan's `--xm-list`, if it has one. */
async function readXmListOf(options: ScanOptions): Promise<XmListRead | null> {
  if (!options.xmList) return null;
  const diagnostics: Diagnostic[] = [];
  return { running: await readXmList(path.resolve(options.xmList), diagnostics), diagnostics };
}

/**
 * The second part of a scan: resolve the disks of the vm.cfg files read (`read`), find what those that could
 * not be read fully may use, and record what the walker saw.
 */
async function finishScan(
  listed: Listed<unknown>,
  read: ReadOwner[],
  xmList: Promise<XmListRead | null> = readXmListOf(listed.options),
): Promise<ScanResult> {
  const { fs, index, progress, guestBackups, rootsOf } = listed;
  const diagnostics = [...listed.diagnostics];
  const owners = read.map((r) => {
    const owner = resolveOwner(r, index, fs);
    progress.done(1);
    return owner;
  });
  // Only an owner with a qcow/qcow2/vhd disk has a backing chain to read: no promise for the others.
  for (const owner of owners)
    if (owner.disks.some((disk) => disk.format !== null && CHAINED_FORMATS.has(disk.format)))
      await addBackingChains(owner, index, fs);
  const uses = possibleUsesOf(
    listed.listed.map(({ identity, listing }) => ({ id: identity.id, files: listing.files })),
  );
  // A name a broken vm.cfg mentions may be a link inside its repository: what it leads to is used too.
  const resolved = (ref: string): string[] => {
    const slash = ref.indexOf("/");
    const repository = index.named(ref.slice(0, slash));
    if (repository === undefined) return [ref];
    const walk = walkNow(repository, ref.slice(slash + 1), index, fs);
    return walk.file === ref.slice(slash + 1) ? [ref] : [ref, `${repository.id}/${walk.file}`];
  };
  read.forEach((r, i) => {
    if (!owners[i]!.ok && r.text !== null)
      owners[i]!.possibleUses = [...new Set(uses(r.text).flatMap(resolved))].sort();
  });
  owners.sort((a, b) => compare(a.ref, b.ref));

  const xm = await xmList;
  if (xm !== null) {
    for (const d of xm.diagnostics) diagnostics.push(d);
    if (xm.running !== null) {
      // xm list names guests by `name`: a vm.cfg without a readable name is running or not, unknown.
      for (const owner of owners) owner.running = owner.name === null ? null : xm.running.has(owner.name);
    }
  }
  const guests: Owner[] = owners.filter((o) => o.type === "guest");
  if (guestBackups) await addNfsMounts(guestBackups, guests, fs, diagnostics);

  const repositories = finishRepositories(listed);
  const scan: ScanResult = {
    repositories,
    guests,
    templates: owners.filter((o) => o.type === "template"),
    diagnostics: withReferences(
      sortDiagnostics(diagnostics),
      owners.flatMap((o) => o.diagnostics),
    ),
    roots: rootsOf,
    unscanned: listed.unscanned,
  };
  return { ...scan, ...completenessOf(scan) };
}

/** The repositories of a listed scan, with what the walker saw beyond each listing. */
function finishRepositories(found: Listed<unknown>): Repository[] {
  const { listed, fs, linksAbove } = found;
  // What the walker saw outside the listing (the top of each repository, folders links lead to) is
  // recorded too: after the scan, every question about the trees is answered from the record.
  // Folders the listing saw and did not enter (snapshots, dot folders) are recorded as seen, not listed.
  const examinedByRoot = fs.examinedUnder(listed.map(({ identity }) => identity.root));
  const examined = listed.map(({ listing, identity }) => {
    const known = new Set([...listing.files.map((f) => f.file), ...listing.folders, ...listing.notEntered]);
    const seen = listing.notEntered.map((file) => ({
      file,
      fileType: "directory" as const,
      error: null,
      link: null,
      bytes: null,
      allocatedBytes: null,
      device: null,
      inode: null,
      links: null,
      mtimeMs: null,
    }));
    const walked = (examinedByRoot.get(identity.root) ?? [])
      .filter(({ file }) => !known.has(file))
      .map(({ file, outcome, link }) => ({
        file,
        fileType: outcome.facts?.type ?? null,
        error: outcome.error,
        link,
        bytes: outcome.facts?.size ?? null,
        allocatedBytes: outcome.facts?.allocatedBytes ?? null,
        device: outcome.facts?.device ?? null,
        inode: outcome.facts?.inode ?? null,
        links: outcome.facts?.links ?? null,
        mtimeMs: outcome.facts?.mtimeMs ?? null,
      }));
    return [...seen, ...walked].sort((a, b) => compare(a.file, b.file));
  });
  const repositories: Repository[] = listed.map(({ identity, listing }, i) => ({
    id: identity.id,
    root: identity.root,
    alias: identity.alias,
    role: identity.role,
    folder: identity.folder,
    uuid: identity.uuid,
    names: identity.names,
    ovsrepo: identity.ovsrepo,
    linksAbove: linksAbove[i]!,
    files: listing.files,
    folders: listing.folders,
    unlisted: listing.unlisted,
    examined: examined[i]!,
  }));
  return repositories;
}

/** Characters that end a file name in a vm.cfg's text: quotes, separators, brackets, blanks, path slashes. */
const NAME_BREAK = /[\s'"`,:;=()[\]{}\\/]+/;

/**
 * What a vm.cfg that could not be read fully may use: every file of the scanned repositories whose name
 * (its last path component) appears in its text — as a word between the separators of a disk entry, or,
 * for a name that holds such a separator itself, anywhere. `REPOSITORY/FILE`, sorted.
 */
function possibleUsesOf(
  repositories: ReadonlyArray<{ id: string; files: ReadonlyArray<{ file: string }> }>,
): (text: string) => string[] {
  let byName: Map<string, string[]> | null = null;
  let oddNames: Array<[string, string]> = [];
  return (text) => {
    if (byName === null) {
      byName = new Map();
      oddNames = [];
      for (const repository of repositories) {
        for (const { file } of repository.files) {
          const name = file.slice(file.lastIndexOf("/") + 1);
          const ref = `${repository.id}/${file}`;
          if (NAME_BREAK.test(name)) oddNames.push([name, ref]);
          else byName.set(name, [...(byName.get(name) ?? []), ref]);
        }
      }
    }
    const found = new Set<string>();
    for (const word of text.split(NAME_BREAK)) for (const ref of byName.get(word) ?? []) found.add(ref);
    for (const [name, ref] of oddNames) if (text.includes(name)) found.add(ref);
    return [...found].sort();
  };
}
