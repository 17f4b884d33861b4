// Memoised lstat/readlink through one Limiter: every path is examined once, however many guests use it.
import { close, constants, lstat, open, readdir, readFile, readlink, type Stats } from "node:fs";
import { Limiter } from "./limit.js";

/** File-system operations in flight at once. */
const CONCURRENCY = 64;

/** Open flags for reading a file that was lstat'ed as a regular file: if it became a link since, fail. */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

/** An lstat outcome: the stats, or the error code (ENOENT, EACCES, ENOTDIR…). */
export type LstatOutcome = { stats: Stats; error: null } | { stats: null; error: string };

/** A readlink outcome: the raw target, or the error code. */
export type ReadlinkOutcome = { target: string; error: null } | { target: null; error: string };

/** A read outcome: the bytes, or the error code. */
export type ReadOutcome = { bytes: Buffer; error: null } | { bytes: null; error: string };

/** The error code of a failed fs call (`EIO` when it carries none). */
export const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? "EIO";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** One cache per scan: lstat and readlink results by absolute path, all file-system work under one bound. */
export class FsCache {
  private readonly limiter = new Limiter(CONCURRENCY);
  private readonly stats = new Map<string, Promise<LstatOutcome>>();
  private readonly links = new Map<string, Promise<ReadlinkOutcome>>();
  private readonly invalidNames = new Map<string, Promise<Set<string>>>();

  /** lstat `file` (never follows a link), once. */
  lstat(file: string): Promise<LstatOutcome> {
    let outcome = this.stats.get(file);
    if (outcome === undefined) {
      outcome = this.limiter.schedule<LstatOutcome>((done) =>
        lstat(file, (error, stats) =>
          done(error ? { stats: null, error: codeOf(error) } : { stats, error: null }),
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
      outcome = this.limiter.schedule<ReadlinkOutcome>((done) =>
        readlink(file, (error, target) =>
          done(error ? { target: null, error: codeOf(error) } : { target, error: null }),
        ),
      );
      this.links.set(file, outcome);
    }
    return outcome;
  }

  /** Read a file known to be a regular file; a link there now is not followed (ELOOP). */
  readFile(file: string): Promise<ReadOutcome> {
    return this.limiter.schedule<ReadOutcome>((done) =>
      open(file, READ_NO_FOLLOW, (openError, fd) => {
        if (openError) return done({ bytes: null, error: codeOf(openError) });
        readFile(fd, (readError, bytes) =>
          close(fd, () =>
            done(readError ? { bytes: null, error: codeOf(readError) } : { bytes, error: null }),
          ),
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

  /**
   * True when `name` (as Node decoded it, from folder `parent`) is not valid UTF-8 on disk. Node turns
   * invalid bytes into U+FFFD, so only such names need the raw listing, which is read once per folder.
   */
  async isInvalidName(parent: string, name: string): Promise<boolean> {
    if (!name.includes("\uFFFD")) return false;
    let names = this.invalidNames.get(parent);
    if (names === undefined) {
      names = this.limiter.schedule<Set<string>>((done) =>
        readdir(parent, { encoding: "buffer" }, (_error, raw) => {
          const invalid = new Set<string>();
          for (const bytes of raw ?? []) {
            try {
              strictUtf8.decode(bytes);
            } catch {
              invalid.add(bytes.toString("utf8"));
            }
          }
          done(invalid);
        }),
      );
      this.invalidNames.set(parent, names);
    }
    return (await names).has(name);
  }
}
