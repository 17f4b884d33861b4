// Memoised lstat/readlink, and every file-system call of a scan made one of two ways: directly (one
// synchronous call at a time: cheapest when a local disk or the page cache answers) or concurrently (up
// to 64 calls in flight through libuv's pool: hides the latency of NFS, SMB or a cluster file system).
import {
  close,
  closeSync,
  constants,
  type Dirent,
  lstat,
  lstatSync,
  open,
  openSync,
  readdir,
  readdirSync,
  readFile,
  readFileSync,
  readlink,
  readlinkSync,
  type Stats,
  statfsSync,
} from "node:fs";
import { Limiter } from "./limit.js";
import type { IoMode } from "./options.js";

/** File-system operations in flight at once when calls are concurrent. */
const CONCURRENCY = 64;
/** In direct mode, one listing in this many lets the event loop turn (see readdir). */
const TURN_EVERY = 256;

/** Open flags for reading a file that was lstat'ed as a regular file: if it became a link since, fail. */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

/** What a scan needs of an lstat (fs.Stats has these too). */
export interface FileStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  /** Apparent size in bytes. */
  size: number;
  /** 512-byte blocks allocated. */
  blocks: number;
}

/**
 * The FileStats kept for every path of a scan: a Stats object with its fourteen numbers and four
 * dates is ten times larger, and a scan of 10,000 guests holds some 50,000 of them until it ends.
 */
class KeptStats implements FileStats {
  private readonly type: "file" | "directory" | "symlink" | "other";
  readonly size: number;
  readonly blocks: number;

  constructor(stats: Stats) {
    this.type = stats.isFile()
      ? "file"
      : stats.isDirectory()
        ? "directory"
        : stats.isSymbolicLink()
          ? "symlink"
          : "other";
    this.size = stats.size;
    this.blocks = stats.blocks;
  }

  isFile(): boolean {
    return this.type === "file";
  }

  isDirectory(): boolean {
    return this.type === "directory";
  }

  isSymbolicLink(): boolean {
    return this.type === "symlink";
  }
}

/** An lstat outcome: the stats, or the error code (ENOENT, EACCES, ENOTDIR…). */
export type LstatOutcome = { stats: FileStats; error: null } | { stats: null; error: string };

/** A readlink outcome: the raw target, or the error code. */
export type ReadlinkOutcome = { target: string; error: null } | { target: null; error: string };

/** A read outcome: the bytes, or the error code. */
export type ReadOutcome = { bytes: Buffer; error: null } | { bytes: null; error: string };

/** The error code of a failed fs call (`EIO` when it carries none). */
export const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? "EIO";

/** Node's callback-style readdir with file types, as fast-glob's `fs.readdir` adapter takes it. */
export type ReaddirCallback = (
  folder: string,
  options: { withFileTypes: true },
  callback: (error: NodeJS.ErrnoException | null, entries: Dirent[]) => void,
) => void;

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
export class FsCache {
  /**
   * `direct` or `concurrent` (see IoMode). The scan sets it once it knows where the repositories are;
   * every call completes the way it was started.
   */
  mode: Exclude<IoMode, "auto"> = "concurrent";
  private readonly limiter = new Limiter(CONCURRENCY);
  private readonly stats = new Map<string, Promise<LstatOutcome>>();
  private readonly links = new Map<string, Promise<ReadlinkOutcome>>();
  private readonly invalidNames = new Map<string, Promise<Set<string>>>();

  /** Make one call: `direct` now, or `concurrent` under the limiter. */
  private call<T>(direct: () => T, concurrent: (done: (value: T) => void) => void): Promise<T> {
    return this.mode === "direct" ? Promise.resolve(direct()) : this.limiter.schedule(concurrent);
  }

  /** lstat `file` (never follows a link), once. */
  lstat(file: string): Promise<LstatOutcome> {
    let outcome = this.stats.get(file);
    if (outcome === undefined) {
      const failed = (error: string): LstatOutcome => ({ stats: null, error });
      outcome = this.call<LstatOutcome>(
        () => attempt(() => ({ stats: new KeptStats(lstatSync(file)), error: null }), failed),
        (done) =>
          lstat(file, (error, stats) =>
            done(error ? failed(codeOf(error)) : { stats: new KeptStats(stats), error: null }),
          ),
      );
      this.stats.set(file, outcome);
    }
    return outcome;
  }

  /** readlink `file`, once. */
  readlink(file: string): Promise<ReadlinkOutcome> {
    let outcome = this.links.get(file);
    if (outcome === undefined) {
      const failed = (error: string): ReadlinkOutcome => ({ target: null, error });
      outcome = this.call<ReadlinkOutcome>(
        () => attempt(() => ({ target: readlinkSync(file), error: null }), failed),
        (done) =>
          readlink(file, (error, target) => done(error ? failed(codeOf(error)) : { target, error: null })),
      );
      this.links.set(file, outcome);
    }
    return outcome;
  }

  /** Read a file known to be a regular file; a link there now is not followed (ELOOP). */
  readFile(file: string): Promise<ReadOutcome> {
    const failed = (error: string): ReadOutcome => ({ bytes: null, error });
    return this.call<ReadOutcome>(
      () =>
        attempt(() => {
          const fd = openSync(file, READ_NO_FOLLOW);
          try {
            return { bytes: readFileSync(fd), error: null };
          } finally {
            closeSync(fd);
          }
        }, failed),
      (done) =>
        open(file, READ_NO_FOLLOW, (openError, fd) => {
          if (openError) return done(failed(codeOf(openError)));
          readFile(fd, (readError, bytes) =>
            close(fd, () => done(readError ? failed(codeOf(readError)) : { bytes, error: null })),
          );
        }),
    );
  }

  /**
   * Read a regular file of at most `maxBytes`, never through a link: its bytes, or why not (an error code
   * such as ENOENT, `not a regular file`, `larger than N bytes`).
   */
  async readRegularFile(file: string, maxBytes: number): Promise<ReadOutcome> {
    const outcome = await this.lstat(file);
    if (outcome.stats === null) return { bytes: null, error: outcome.error };
    if (!outcome.stats.isFile()) return { bytes: null, error: "not a regular file" };
    if (outcome.stats.size > maxBytes) return { bytes: null, error: `larger than ${maxBytes} bytes` };
    return this.readFile(file);
  }

  /** Direct listings so far (see readdir). */
  private listings = 0;

  /** List a folder with file types, callback style (fast-glob's `fs.readdir`), made the scan's way. */
  readonly readdir: ReaddirCallback = (folder, options, callback) => {
    if (this.mode === "concurrent") {
      this.limiter.schedule<void>((done) =>
        readdir(folder, options, (error, entries) => {
          done();
          callback(error, entries);
        }),
      );
      return;
    }
    let entries: Dirent[] = [];
    let error: NodeJS.ErrnoException | null = null;
    try {
      entries = readdirSync(folder, options);
    } catch (thrown) {
      error = thrown as NodeJS.ErrnoException;
    }
    // Always asynchronous to the caller, as Node's own readdir is. Every so often through the event loop:
    // on nextTick alone a whole walk runs as one turn, and the parsing workers' answers (with the vm.cfg
    // bytes held for them) and the progress bar wait until it ends; through the event loop every time,
    // a 10,000-guest scan took 1.2 s longer.
    if (++this.listings % TURN_EVERY === 0) setImmediate(callback, error, entries);
    else process.nextTick(callback, error, entries);
  };

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
}
