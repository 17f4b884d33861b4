// Scanning ROOTs into the inventory: discover repositories, identify them, list them, read every vm.cfg.
import path from "node:path";
import { type Diagnostic, diagnostic, withReferences } from "../diagnostics.js";
import type { Owner, Repository, ScanResult } from "../schema/scan.js";
import { CHAINED_FORMATS } from "./backing.js";
import { completenessOf } from "./completeness.js";
import { ConfigReader } from "./config-reader.js";
import { discoverRepositories, readOvsMeta, readOvsRepo } from "./discover.js";
import { addNfsMounts } from "./guest-backups.js";
import { assignRoles, identify, type RepositoryIdentity, RepositoryIndex } from "./identity.js";
import { compare, type Listing, listRepository, type Progress } from "./inventory.js";
import { FsCache, isLocalFileSystem } from "./io.js";
import type { ScanOptions } from "./options.js";
import { addBackingChains, type ReadOwner, readOwner, resolveOwner } from "./owners.js";
import { CachedConfigReader } from "./parse-cache.js";
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

/** Scan ROOTs (absolute or relative to process.cwd()) into the inventory. Never writes under a ROOT. */
export async function scanRepositories(roots: string[], options: ScanOptions = {}): Promise<ScanResult> {
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

  // Each vm.cfg is read and parsed as soon as the walk finds it; its disks are resolved only once every
  // repository has been listed, so that the lstat of every file they use is already cached.
  const reading: Array<Promise<ReadOwner>> = [];
  const reader = new ConfigReader(options.threads ?? "auto");
  // The cache is never kept inside what is scanned: the ROOTs, `--repository` folders, guest backups.
  const cache = options.cache?.open([...rootsOf, ...folders], diagnostics) ? options.cache : null;
  const reads = cache === null ? reader : new CachedConfigReader(cache, reader);
  let listed: Array<{ identity: RepositoryIdentity; listing: Listing }>;
  let read: ReadOwner[];
  try {
    listed = await Promise.all(
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
            reading.push(readOwner(identity, folder, index, fs, reads));
          },
        );
        return { identity, listing };
      }),
    );
    // Every repository is listed: the total is known (what remains is reading and resolving).
    progress.walked();
    read = await Promise.all(reading);
  } finally {
    // Workers keep a process alive: they end here whatever happened.
    await reader.close();
  }
  cache?.save(diagnostics);
  if (reader.problem !== null) {
    diagnostics.push(
      diagnostic(
        "warning",
        "threads-unavailable",
        `vm.cfg files were parsed in the main thread: ${reader.problem}`,
        { file: null, line: null, column: null },
      ),
    );
  }
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
    listed.map(({ identity, listing }) => ({ id: identity.id, files: listing.files })),
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

  if (options.xmList) {
    const running = await readXmList(path.resolve(options.xmList), diagnostics);
    if (running !== null) {
      // xm list names guests by `name`: a vm.cfg without a readable name is running or not, unknown.
      for (const owner of owners) owner.running = owner.name === null ? null : running.has(owner.name);
    }
  }
  const guests: Owner[] = owners.filter((o) => o.type === "guest");
  if (guestBackups) await addNfsMounts(guestBackups, guests, fs, diagnostics);

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
  const scan: ScanResult = {
    repositories,
    guests,
    templates: owners.filter((o) => o.type === "template"),
    diagnostics: withReferences(
      sortDiagnostics(diagnostics),
      owners.flatMap((o) => o.diagnostics),
    ),
    roots: rootsOf,
    unscanned: discovery.beside,
  };
  return { ...scan, ...completenessOf(scan) };
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
