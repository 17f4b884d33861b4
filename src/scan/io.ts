// The scan's I/O: the one module that touches the file system. Memoised lstat/readlink, and
// every file-system call of a scan made one of two ways: directly (one
// synchronous call at a time: cheapest when a local disk or the page cache answers) or concurrently (up
// to 64 calls in flight through libuv's pool: hides the latency of NFS, SMB or a cluster file system).

import { createHash, randomBytes } from "node:crypto";
import {
  close,
  closeSync,
  constants,
  type Dirent,
  existsSync,
  fstat,
  fstatSync,
  lstat,
  lstatSync,
  mkdirSync,
  open,
  openSync,
  readdir,
  readdirSync,
  readFile,
  readFileSync,
  readlink,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  type Stats,
  statfsSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import {
  lstat as lstatAsync,
  open as openAsync,
  readdir as readdirAsync,
  stat as statAsync,
} from "node:fs/promises";
import path from "node:path";
import type { FileType } from "../schema/scan.js";
import { Limiter } from "./limit.js";
import type { FactSource, Facts, LstatOutcome, ReadlinkOutcome, SyncFactSource } from "./walk.js";

/**
 * How the scan calls the file system: `direct` makes one synchronous call at a time (the fastest way when
 * a local disk or the page cache answers; the event loop waits meanwhile); `concurrent` keeps up to 64
 * calls in flight (hides the latency of NFS and cluster file systems); `auto` (the default) is direct
 * when every repository and the guest-backups folder are on a local file system, concurrent otherwise.
 */
export type IoMode = "auto" | "direct" | "concurrent";

/** File-system operations in flight at once when calls are concurrent. */
const CONCURRENCY = 64;
/** In direct mode, a tree walk lets the event loop turn once every this many listings (see walkTree). */
const TURN_EVERY = 256;

/**
 * Open flags for reading a file that was lstat'ed as a regular file: if it became a link since, fail; if it
 * became a FIFO, do not wait for a writer (the opened file is checked again before it is read).
 */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** The error of a file that is no longer a regular file when it is opened. */
const NOT_REGULAR = "not a regular file";

/** The FileType of an lstat. */
function typeOf(stats: Stats): FileType {
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "directory";
  if (stats.isSymbolicLink()) return "symlink";
  if (stats.isFIFO()) return "fifo";
  if (stats.isSocket()) return "socket";
  return stats.isBlockDevice() ? "block-device" : "character-device";
}

/** The facts of an lstat. */
export function factsOf(stats: Stats): Facts {
  return {
    type: typeOf(stats),
    size: stats.size,
    allocatedBytes: stats.blocks * 512,
    device: stats.dev,
    inode: stats.ino,
    links: stats.nlink,
    mtimeMs: stats.mtimeMs,
  };
}

/** A read outcome: the bytes, or the error code. */
export type ReadOutcome = { bytes: Buffer; error: null } | { bytes: null; error: string };

/** The error code of a failed fs call (`EIO` when it carries none). */
export const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? "EIO";

/**
 * Linux file systems (statfs `f_type`) on which direct calls are the fast way: a local disk or memory
 * answers in microseconds. Anything else — NFS, SMB/CIFS, OCFS2 (Oracle VM's cluster file system, whose
 * calls may take cluster locks), FUSE, or a type not listed — is scanned with concurrent calls.
 */
const LOCAL_FILE_SYSTEMS: ReadonlySet<number> = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x2fc12fc1, // zfs
  0xf2f52010, // f2fs
  0xca451a4e, // bcachefs
  0x3153464a, // jfs
  0x52654973, // reiserfs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs (containers)
  0x73717368, // squashfs
  0x00009660, // iso9660
]);

/** True when `folder` is on a local file system (false when unknown or it cannot be asked). */
export function isLocalFileSystem(folder: string): boolean {
  if (process.platform !== "linux") return false;
  try {
    return LOCAL_FILE_SYSTEMS.has(statfsSync(folder).type);
  } catch {
    return false;
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A direct call's outcome: `call`'s value, or the error code it threw. */
function attempt<T>(call: () => T, failed: (code: string) => T): T {
  try {
    return call();
  } catch (error) {
    return failed(codeOf(error));
  }
}

/** One cache per scan: lstat and readlink results by absolute path, all file-system work made one way. */
export class FsCache implements FactSource, SyncFactSource {
  /**
   * `direct` or `concurrent` (see IoMode). The scan sets it once it knows where the repositories are;
   * every call completes the way it was started.
   */
  mode: Exclude<IoMode, "auto"> = "concurrent";
  private readonly limiter = new Limiter(CONCURRENCY);
  /** Each path's lstat: its outcome once settled, the call in flight before. */
  private readonly stats = new Map<string, LstatOutcome | Promise<LstatOutcome>>();
  private readonly links = new Map<string, ReadlinkOutcome | Promise<ReadlinkOutcome>>();
  private readonly invalidNames = new Map<string, Promise<Set<string>>>();

  /** Make one call: `direct` now, or `concurrent` under the limiter. */
  private call<T>(direct: () => T, concurrent: (done: (value: T) => void) => void): Promise<T> {
    return this.mode === "direct" ? Promise.resolve(direct()) : this.limiter.schedule(concurrent);
  }

  /** lstat `file` (never follows a link), once. */
  lstat(file: string): Promise<LstatOutcome> {
    const known = this.stats.get(file);
    if (known !== undefined) return known instanceof Promise ? known : Promise.resolve(known);
    const failed = (error: string): LstatOutcome => ({ facts: null, error });
    const outcome = this.call<LstatOutcome>(
      () =>
        this.settleStats(
          file,
          attempt(() => ({ facts: factsOf(lstatSync(file)), error: null }), failed),
        ),
      (done) =>
        lstat(file, (error, stats) =>
          done(
            this.settleStats(file, error ? failed(codeOf(error)) : { facts: factsOf(stats), error: null }),
          ),
        ),
    );
    if (!this.stats.has(file)) this.stats.set(file, outcome);
    return outcome;
  }

  /**
   * lstat `file` now: what an earlier call found, else one synchronous call. For the walks made once the
   * listing is over, when almost every path is known already (a call here blocks, even on NFS).
   */
  lstatSync(file: string): LstatOutcome {
    const known = this.stats.get(file);
    if (known !== undefined && !(known instanceof Promise)) return known;
    return this.settleStats(
      file,
      attempt(
        (): LstatOutcome => ({ facts: factsOf(lstatSync(file)), error: null }),
        (error): LstatOutcome => ({ facts: null, error }),
      ),
    );
  }

  /** Keep a settled lstat outcome (in place of its promise), and give it back. */
  private settleStats(file: string, outcome: LstatOutcome): LstatOutcome {
    this.stats.set(file, outcome);
    return outcome;
  }

  /** readlink `file`, once. */
  readlink(file: string): Promise<ReadlinkOutcome> {
    const known = this.links.get(file);
    if (known !== undefined) return known instanceof Promise ? known : Promise.resolve(known);
    const failed = (error: string): ReadlinkOutcome => ({ target: null, error });
    const outcome = this.call<ReadlinkOutcome>(
      () =>
        this.settleLink(
          file,
          attempt(() => ({ target: readlinkSync(file), error: null }), failed),
        ),
      (done) =>
        readlink(file, (error, target) =>
          done(this.settleLink(file, error ? failed(codeOf(error)) : { target, error: null })),
        ),
    );
    if (!this.links.has(file)) this.links.set(file, outcome);
    return outcome;
  }

  /** readlink `file` now: what an earlier call found, else one synchronous call (see lstatSync). */
  readlinkSync(file: string): ReadlinkOutcome {
    const known = this.links.get(file);
    if (known !== undefined && !(known instanceof Promise)) return known;
    return this.settleLink(
      file,
      attempt(
        (): ReadlinkOutcome => ({ target: readlinkSync(file), error: null }),
        (error): ReadlinkOutcome => ({ target: null, error }),
      ),
    );
  }

  /** Keep a settled readlink outcome (in place of its promise), and give it back. */
  private settleLink(file: string, outcome: ReadlinkOutcome): ReadlinkOutcome {
    this.links.set(file, outcome);
    return outcome;
  }

  /** Read a file known to be a regular file; a link there now is not followed (ELOOP). */
  readFile(file: string): Promise<ReadOutcome> {
    const failed = (error: string): ReadOutcome => ({ bytes: null, error });
    return this.call<ReadOutcome>(
      () => this.readFileNow(file),
      (done) =>
        open(file, READ_NO_FOLLOW, (openError, fd) => {
          if (openError) return done(failed(codeOf(openError)));
          fstat(fd, (statError, stats) => {
            if (statError || !stats.isFile()) {
              close(fd, () => done(failed(statError ? codeOf(statError) : NOT_REGULAR)));
              return;
            }
            readFile(fd, (readError, bytes) =>
              close(fd, () => done(readError ? failed(codeOf(readError)) : { bytes, error: null })),
            );
          });
        }),
    );
  }

  /** The same read, now, in synchronous calls (see readNoFollow). */
  readFileNow(file: string): ReadOutcome {
    return readNoFollow(file, Number.POSITIVE_INFINITY);
  }

  /**
   * Read a regular file of at most `maxBytes`, never through a link: its bytes, or why not (an error code
   * such as ENOENT, `not a regular file`, `larger than N bytes`).
   */
  async readRegularFile(file: string, maxBytes: number): Promise<ReadOutcome> {
    const outcome = await this.lstat(file);
    if (outcome.facts === null) return { bytes: null, error: outcome.error };
    if (outcome.facts.type !== "file") return { bytes: null, error: NOT_REGULAR };
    if (outcome.facts.size > maxBytes) return { bytes: null, error: `larger than ${maxBytes} bytes` };
    return this.readFile(file);
  }

  /**
   * Every path lstat'ed so far under each of `roots` (the innermost root that holds it), relative to it, with
   * its outcome and (for a link) its target as read: what the walker saw, so that the scan can record it
   * and nothing need look again. One pass over everything examined, whatever the number of roots.
   */
  examinedUnder(
    roots: readonly string[],
  ): Map<string, Array<{ file: string; outcome: LstatOutcome; link: string | null }>> {
    const byRoot = new Map(
      roots.map((root) => [root, [] as Array<{ file: string; outcome: LstatOutcome; link: string | null }>]),
    );
    for (const [file, outcome] of this.stats) {
      let found: string | null = null;
      for (let slash = file.lastIndexOf("/"); slash > 0; slash = file.lastIndexOf("/", slash - 1)) {
        if (byRoot.has(file.slice(0, slash))) {
          found = file.slice(0, slash);
          break;
        }
      }
      if (found === null) continue;
      // Called once the scan's work is done: a call still in flight would be a path recorded as absent.
      if (outcome instanceof Promise) throw new Error(`examinedUnder: lstat of ${file} has not settled`);
      const link = this.links.get(file);
      const target = link === undefined || link instanceof Promise ? null : link.target;
      byRoot.get(found)!.push({ file: file.slice(found.length + 1), outcome, link: target });
    }
    return byRoot;
  }

  /**
   * True when `name` (as Node decoded it, from folder `parent`) is not valid UTF-8 on disk. Node turns
   * invalid bytes into U+FFFD, so only such names need the raw listing, which is read once per folder.
   */
  async isInvalidName(parent: string, name: string): Promise<boolean> {
    if (!name.includes("\uFFFD")) return false;
    let names = this.invalidNames.get(parent);
    if (names === undefined) {
      const invalid = (raw: Buffer[]): Set<string> => {
        const found = new Set<string>();
        for (const bytes of raw) {
          try {
            strictUtf8.decode(bytes);
          } catch {
            found.add(bytes.toString("utf8"));
          }
        }
        return found;
      };
      names = this.call<Set<string>>(
        () =>
          invalid(
            attempt(
              () => readdirSync(parent, { encoding: "buffer" }),
              () => [],
            ),
          ),
        (done) => readdir(parent, { encoding: "buffer" }, (_error, raw) => done(invalid(raw ?? []))),
      );
      this.invalidNames.set(parent, names);
    }
    return (await names).has(name);
  }

  /**
   * Walk the folders `starts` (relative to `root`), handing every entry below them to the walker's
   * `visit` — files, links and folders alike — with its path relative to `root`. Links are never followed;
   * a folder is entered only when `enter` says so; `listed` sees each listing (or its error) before its
   * entries are visited, and an error never ends the walk. In direct mode the walk is one synchronous loop over a stack of
   * folders (no promise per folder or entry), which lets the event loop turn every 256 folders (a
   * progress bar, a signal); otherwise up to 64 listings are in flight.
   */
  async walkTree(root: string, starts: readonly string[], walker: TreeWalker): Promise<void> {
    if (this.mode === "direct") return walkTreeNow(root, starts, walker);
    const { enter, visit, listed } = walker;
    const list = (folder: string): Promise<void> =>
      new Promise<Dirent[]>((resolve) =>
        this.limiter.schedule<void>((done) =>
          readdir(`${root}/${folder}`, { withFileTypes: true }, (error, entries) => {
            done();
            // Node gives no entries with an error.
            listed(`${root}/${folder}`, error, entries ?? []);
            resolve(entries ?? []);
          }),
        ),
      ).then((entries) => {
        const below: Array<Promise<void>> = [];
        for (const dirent of entries) {
          const entry: TreeEntry = { path: `${folder}/${dirent.name}`, name: dirent.name, dirent };
          visit(entry);
          if (dirent.isDirectory() && enter(entry)) below.push(list(entry.path));
        }
        return Promise.all(below).then(() => undefined);
      });
    await Promise.all(starts.map(list));
  }
}

/** What a tree walk tells of each folder it lists: its entries, or the error (then no entries). */
export type ListedFolder = (folder: string, error: NodeJS.ErrnoException | null, entries: Dirent[]) => void;

/** The caller's side of a tree walk: which folders to enter, each entry, each listing. */
export interface TreeWalker {
  enter(entry: TreeEntry): boolean;
  visit(entry: TreeEntry): void;
  listed: ListedFolder;
}

/** A turn of the event loop. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** FsCache.walkTree in direct mode: one loop, listing with synchronous calls, depth first. */
async function walkTreeNow(root: string, starts: readonly string[], walker: TreeWalker): Promise<void> {
  const { enter, visit, listed } = walker;
  const stack = [...starts].reverse();
  for (let folders = 1; stack.length > 0; folders++) {
    const folder = stack.pop()!;
    const absolute = `${root}/${folder}`;
    let entries: Dirent[] = [];
    let error: NodeJS.ErrnoException | null = null;
    try {
      entries = readdirSync(absolute, { withFileTypes: true });
    } catch (thrown) {
      error = thrown as NodeJS.ErrnoException;
    }
    listed(absolute, error, entries);
    const below = stack.length;
    for (const dirent of entries) {
      const entry: TreeEntry = { path: `${folder}/${dirent.name}`, name: dirent.name, dirent };
      visit(entry);
      if (dirent.isDirectory() && enter(entry)) stack.push(entry.path);
    }
    // Sub-folders in listing order: this listing's part of the stack reversed in place (a folder may
    // hold more sub-folders than a spread into push could take).
    for (let i = below, j = stack.length - 1; i < j; i++, j--) [stack[i], stack[j]] = [stack[j]!, stack[i]!];
    if (folders % TURN_EVERY === 0) await turn();
  }
}

/** Read an opened file of `size` bytes (as fstat said) to its end: one buffer when the size held. */
function readOpened(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size + 1);
  let length = 0;
  for (;;) {
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.subarray(0, length);
    length += read;
    // It grew since fstat: read the rest as Node would.
    if (length === buffer.length) return Buffer.concat([buffer, readFileSync(fd)]);
  }
}

export type { Dirent };

/** One entry of a tree walk: its path relative to the walked root, its name and its type as listed. */
export interface TreeEntry {
  path: string;
  name: string;
  dirent: Dirent;
}

/** A folder's entries with their types, or the error code. Links among them are not followed. */
export async function listFolder(
  folder: string,
): Promise<{ entries: Dirent[]; error: null } | { entries: null; error: string }> {
  try {
    return { entries: await readdirAsync(folder, { withFileTypes: true }), error: null };
  } catch (error) {
    return { entries: null, error: codeOf(error) };
  }
}

/** What a path the user named is, following links (a ROOT may be a link to a mounted snapshot): or the error code. */
export async function statFollowing(file: string): Promise<"directory" | "other" | { error: string }> {
  try {
    return (await statAsync(file)).isDirectory() ? "directory" : "other";
  } catch (error) {
    return { error: codeOf(error) };
  }
}

/** True when a file exists (following links): used for files the package itself ships. */
export function packagedFileExists(file: URL): boolean {
  return existsSync(file);
}

/**
 * Read a file the user named (a `parse` argument, `--xm-list`, `--policy`), following links, with at most
 * `maxBytes` read: pipes and process substitution work, and `/dev/zero` ends in an error, not in memory.
 */
export async function readInputFile(
  file: string,
  maxBytes: number,
): Promise<{ bytes: Buffer; error: null } | { bytes: null; error: string }> {
  let handle: Awaited<ReturnType<typeof openAsync>>;
  try {
    handle = await openAsync(file, "r");
  } catch (error) {
    return { bytes: null, error: codeOf(error) };
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { bytes: null, error: `larger than ${maxBytes} bytes` };
    }
    return { bytes: Buffer.concat(chunks), error: null };
  } catch (error) {
    return { bytes: null, error: codeOf(error) };
  } finally {
    await handle.close();
  }
}

/**
 * The SHA-256 of a regular file, hex; or the error code. The file is opened without following a final link
 * and without blocking (a FIFO or device there is never read), and must still be a regular file.
 */
export async function sha256OfFile(
  file: string,
): Promise<{ sha256: string; error: null } | { sha256: null; error: string }> {
  let handle: Awaited<ReturnType<typeof openAsync>>;
  try {
    handle = await openAsync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { sha256: null, error: codeOf(error) };
  }
  try {
    if (!(await handle.stat()).isFile()) return { sha256: null, error: "not a regular file" };
    const hash = createHash("sha256");
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
    }
    return { sha256: hash.digest("hex"), error: null };
  } catch (error) {
    return { sha256: null, error: codeOf(error) };
  } finally {
    await handle.close();
  }
}

/**
 * Whether two files have the same contents by SHA-256 (`restore --checksum`): false when either cannot be
 * read, so a file that could not be compared is copied, never taken for unchanged.
 */
export async function sameContent(source: string, target: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256OfFile(source), sha256OfFile(target)]);
  return a.sha256 !== null && a.sha256 === b.sha256;
}

/**
 * Read `length` bytes at `position` of a regular file (a negative position counts from its end), opened
 * without following a final link and without blocking; with the file's size. For disk-image headers.
 */
export async function readFileAt(
  file: string,
  position: number,
  length: number,
): Promise<{ bytes: Buffer; size: number; error: null } | { bytes: null; size: null; error: string }> {
  let handle: Awaited<ReturnType<typeof openAsync>>;
  try {
    handle = await openAsync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { bytes: null, size: null, error: codeOf(error) };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { bytes: null, size: null, error: "not a regular file" };
    const at = position < 0 ? stats.size + position : position;
    if (at < 0 || at >= stats.size) return { bytes: Buffer.alloc(0), size: stats.size, error: null };
    const buffer = Buffer.alloc(Math.min(length, stats.size - at));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, at);
    return { bytes: buffer.subarray(0, bytesRead), size: stats.size, error: null };
  } catch (error) {
    return { bytes: null, size: null, error: codeOf(error) };
  } finally {
    await handle.close();
  }
}

/**
 * Read a file of ovm-deps' own (the parse cache) now, in one synchronous call, if it is a regular file of
 * at most `maxBytes`: its bytes, or the error code (`ENOENT` when there is none).
 */
export function readOwnFile(file: string, maxBytes: number): ReadOutcome {
  return readNoFollow(file, maxBytes);
}

/**
 * Read a regular file of at most `maxBytes` in synchronous calls: opened without following a final link
 * and without waiting for a FIFO's writer, checked to be a regular file, then read into one buffer of its
 * size (one fstat, where `readFileSync` would make a second).
 */
function readNoFollow(file: string, maxBytes: number): ReadOutcome {
  return attempt(
    (): ReadOutcome => {
      const fd = openSync(file, READ_NO_FOLLOW);
      try {
        const stats = fstatSync(fd);
        if (!stats.isFile()) return { bytes: null, error: NOT_REGULAR };
        if (stats.size > maxBytes) return { bytes: null, error: `larger than ${maxBytes} bytes` };
        return { bytes: readOpened(fd, stats.size), error: null };
      } finally {
        closeSync(fd);
      }
    },
    (error): ReadOutcome => ({ bytes: null, error }),
  );
}

/** A file written atomically: into a temporary file beside it, then renamed over it (removed on failure). */
function writeAtomically(file: string, bytes: Uint8Array, mode: number): string | null {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, bytes, { flag: "wx", mode });
    renameSync(temporary, file);
    return null;
  } catch (error) {
    attempt(
      () => unlinkSync(temporary),
      () => undefined,
    );
    return codeOf(error);
  }
}

/**
 * Replace a file of ovm-deps' own with `bytes` atomically: written to a temporary file beside it (created
 * with its folders, readable by the user only), then renamed over it, so that a reader sees the old file or
 * the new one, never part of one. Null when done, else the error code (the temporary file is removed).
 */
export function writeOwnFileAtomically(file: string, bytes: Uint8Array): string | null {
  return attempt(
    () => {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      return writeAtomically(file, bytes, 0o600);
    },
    (code) => code,
  );
}

/**
 * Write a file the user named (`report --out FILE`) atomically: a temporary file beside it, renamed over it,
 * with the usual permissions (0666 less the umask); its folder must exist. Null when done, else the error code.
 */
export function writeFileAtomically(file: string, bytes: Uint8Array): string | null {
  return writeAtomically(path.resolve(file), bytes, 0o666);
}

/** True when `inner` is `outer` or inside it (both absolute and normalised). */
function isInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith("/") ? outer : `${outer}/`);
}

/**
 * The first of `trees` that holds `file`, as written or through symbolic links (a folder reached by a link
 * into a scanned tree is in it); null when none does. What must never be written under a ROOT asks this.
 */
export function treeHolding(file: string, trees: readonly string[]): string | null {
  const absolute = path.resolve(file);
  const real = realPathAsFarAsItExists(absolute);
  return (
    trees.find(
      (tree) => isInside(absolute, path.resolve(tree)) || isInside(real, realPathAsFarAsItExists(tree)),
    ) ?? null
  );
}

/**
 * `file` with every symbolic link resolved, as far as it exists: the real path of its deepest existing
 * folder, then the rest as written. For telling whether a folder is inside another, through links.
 */
export function realPathAsFarAsItExists(file: string): string {
  const absolute = path.resolve(file);
  const rest: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    try {
      return path.join(realpathSync(at), ...rest.reverse());
    } catch {
      if (at === path.dirname(at)) return absolute;
      rest.push(path.basename(at));
    }
  }
}

/** The device and inode of a file (a final link not followed) as one key, null when it cannot be examined. */
export async function fileIdentity(file: string): Promise<string | null> {
  try {
    const stats = await lstatAsync(file);
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return null;
  }
}
