// The one walker: where a path inside a repository leads. `.` and `..`, relative and absolute symbolic links
// (`/OVS/Repositories/<X>/…` rebased onto the scanned repository known as X), links that leave, loops,
// dangling links, unreadable components and special files are all decided here, and only here. It asks a
// FactSource: the scan's I/O while scanning, the scan's recorded facts afterwards (`recordedFacts`).
import path from "node:path";
import { type Diagnostic, diagnostic, type Position } from "../diagnostics.js";
import type { FileState, FileType } from "../schema/scan.js";

/** Where Oracle VM servers mount repositories: vm.cfg paths start with it, whatever the scanned copy's place. */
export const LIVE_REPOSITORIES = "/OVS/Repositories/";

/** Links followed on one path before it counts as a loop (Linux's own limit is 40). */
const MAX_LINKS = 40;

/**
 * The lstat facts the later stages need, as plain fixed-shape data: a Stats object with its fourteen
 * numbers and four dates is ten times larger, and a scan of 10,000 guests holds some 50,000 of these.
 */
export interface Facts {
  type: FileType;
  /** Apparent size in bytes. */
  size: number;
  /** Allocated bytes (512-byte blocks × 512): less than `size` for sparse and thin-cloned files. */
  allocatedBytes: number;
  /** Device and inode: two names with both equal are one file (a hard link). */
  device: number;
  inode: number;
  /** Hard-link count. */
  links: number;
  /** Last modification, milliseconds since the epoch. */
  mtimeMs: number;
}

/** An lstat outcome: the facts, or the error code (ENOENT, EACCES, ENOTDIR…). */
export type LstatOutcome = { facts: Facts; error: null } | { facts: null; error: string };

/** A readlink outcome: the raw target, or the error code. */
export type ReadlinkOutcome = { target: string; error: null } | { target: null; error: string };

/** What the walker asks about absolute paths: lstat and readlink, never following a link. */
export interface FactSource {
  lstat(file: string): Promise<LstatOutcome>;
  readlink(file: string): Promise<ReadlinkOutcome>;
}

/** The same questions, answered at once (recorded facts, or a cache that answers synchronously). */
export interface SyncFactSource {
  lstatSync(file: string): LstatOutcome;
  readlinkSync(file: string): ReadlinkOutcome;
}

/** A question the walk asks its source. */
type Question = { lstat: string; readlink?: undefined } | { readlink: string; lstat?: undefined };

/** A scanned repository as the walker needs it: its id and its scanned folder. */
export interface WalkedRepository {
  id: string;
  root: string;
}

/** How the walker finds the scanned repository a name or an absolute path belongs to. */
export interface RepositoryLookup<R extends WalkedRepository> {
  /** The repository known exactly as `name`. */
  named(name: string): R | undefined;
  /** A name of a scanned repository that differs from `name` only in case, to suggest. */
  similarName(name: string): string | null;
  /** The repository whose scanned folder holds absolute path `file` (the innermost one), with the rest. */
  byFolder(file: string): { repository: R; rest: string } | null;
}

/** Where an absolute, normalised path lies relative to the scanned repositories. */
export type Place<R> =
  | { where: "repository"; repository: R; rest: string }
  | { where: "unscanned"; name: string; suggestion: string | null }
  | { where: "outside" };

/**
 * Place an absolute, normalised path: `/OVS/Repositories/<X>/rest` in the repository known as X (never the
 * live /OVS), else a path under a scanned repository's own folder in that repository, else outside.
 */
export function place<R extends WalkedRepository>(index: RepositoryLookup<R>, file: string): Place<R> {
  if (file.startsWith(LIVE_REPOSITORIES)) {
    const slash = file.indexOf("/", LIVE_REPOSITORIES.length);
    const name = file.slice(LIVE_REPOSITORIES.length, slash === -1 ? undefined : slash);
    const rest = slash === -1 ? "" : file.slice(slash + 1);
    const repository = index.named(name);
    if (repository !== undefined)
      return rest === "" ? { where: "outside" } : { where: "repository", repository, rest };
    if (index.byFolder(file) === null)
      return { where: "unscanned", name, suggestion: index.similarName(name) };
  }
  const inFolder = index.byFolder(file);
  return inFolder === null ? { where: "outside" } : { where: "repository", ...inFolder };
}

/**
 * The walker's verdict on a path inside a repository. `file` is where the path really is, relative to the
 * repository root (links inside the repository resolved); `links` the links inside it that were followed.
 */
export type Walk =
  /** Something is there (`facts` never of a link: of what the links lead to). */
  | { state: "found"; file: string; facts: Facts; links: string[] }
  /**
   * Nothing at that path. `blockedBy`: the component on the way that is there but is not a folder (a file
   * where a folder should be: creating the path would have to replace it), else null.
   */
  | { state: "missing"; file: string; links: string[]; blockedBy: string | null }
  /** Link `link` on the way leads out of the repository, to `linkTarget` (with the rest of the path). */
  | { state: "leaves"; file: string; link: string; linkTarget: string; links: string[] }
  /** Link `link` on the way points to nothing (at `linkTarget`, inside the repository). */
  | { state: "dangling"; file: string; link: string; linkTarget: string; links: string[] }
  /** Too many links on the way: a loop. */
  | { state: "loop"; file: string; link: string; links: string[] }
  /** A component could not be examined (EACCES, or a folder the scan could not list…). */
  | { state: "unreadable"; file: string; error: string; links: string[] };

/** The FileState of a walk. */
export function fileState(walk: Walk): FileState {
  if (walk.state !== "found") return walk.state;
  return walk.facts.type === "file" ? "file" : "not-a-file";
}

/**
 * Walk `rest` (relative, normalised) inside `repository`. Links whose target stays in the repository are
 * followed (relative targets from the link's own folder in the scanned tree, absolute
 * `/OVS/Repositories/<X>/…` targets rebased when X names this repository); a link that leaves is not.
 * Asynchronous, for a source that may have to wait (the scan's listing on NFS).
 */
export async function walkInRepository<R extends WalkedRepository>(
  repository: R,
  rest: string,
  index: RepositoryLookup<R>,
  source: FactSource,
): Promise<Walk> {
  const steps = walkSteps(repository, rest, index);
  let step = steps.next();
  while (!step.done) {
    const question = step.value;
    step = steps.next(
      question.lstat !== undefined
        ? await source.lstat(question.lstat)
        : await source.readlink(question.readlink),
    );
  }
  return step.value;
}

/** The same walk, answered at once: no promise per path component. */
export function walkNow<R extends WalkedRepository>(
  repository: R,
  rest: string,
  index: RepositoryLookup<R>,
  source: SyncFactSource,
): Walk {
  const steps = walkSteps(repository, rest, index);
  let step = steps.next();
  while (!step.done) {
    const question = step.value;
    step = steps.next(
      question.lstat !== undefined
        ? source.lstatSync(question.lstat)
        : source.readlinkSync(question.readlink),
    );
  }
  return step.value;
}

/** The walk itself, whatever answers it: it yields each question and is given the answer. */
function* walkSteps<R extends WalkedRepository>(
  repository: R,
  rest: string,
  index: RepositoryLookup<R>,
): Generator<Question, Walk, LstatOutcome | ReadlinkOutcome> {
  const root = repository.root;
  const done: string[] = [];
  const links: string[] = [];
  let pending = rest.split("/").filter((c) => c !== "" && c !== ".");
  // Components of the last link's target still to walk, and that link: ENOENT among them means dangling.
  let fromLink: { link: string; target: string; remaining: number } | null = null;
  let facts: Facts | null = null;
  const here = (): string => [...done, ...pending].join("/");
  while (pending.length > 0) {
    const component = pending.shift()!;
    if (fromLink !== null) fromLink.remaining--;
    if (component === "..") {
      // Only a link target can bring `..` here (the path itself was normalised); it stays in the repository.
      done.pop();
      facts = null;
      continue;
    }
    done.push(component);
    const outcome = (yield { lstat: `${root}/${done.join("/")}` }) as LstatOutcome;
    if (outcome.facts === null) {
      if (outcome.error === "ENOENT" || outcome.error === "ENOTDIR") {
        if (fromLink !== null && fromLink.remaining >= 0) {
          return { state: "dangling", file: here(), link: fromLink.link, linkTarget: fromLink.target, links };
        }
        return { state: "missing", file: here(), links, blockedBy: null };
      }
      return { state: "unreadable", file: here(), error: outcome.error, links };
    }
    facts = outcome.facts;
    if (facts.type === "symlink") {
      const link = done.join("/");
      if (links.length >= MAX_LINKS) return { state: "loop", file: here(), link, links };
      const read = (yield { readlink: `${root}/${link}` }) as ReadlinkOutcome;
      if (read.target === null) return { state: "unreadable", file: here(), error: read.error, links };
      const target = path.posix.resolve(path.posix.dirname(`${root}/${link}`), read.target);
      const inside = insideOf(repository, target, index);
      if (inside === null) {
        const linkTarget = path.posix.join(target, ...pending);
        return { state: "leaves", file: here(), link, linkTarget, links };
      }
      links.push(link);
      const targetComponents = inside.split("/").filter((c) => c !== "");
      fromLink = { link, target, remaining: targetComponents.length };
      done.length = 0;
      pending = [...targetComponents, ...pending];
      facts = null;
      continue;
    }
    if (pending.length > 0 && facts.type !== "directory") {
      return { state: "missing", file: here(), links, blockedBy: done.join("/") };
    }
  }
  if (facts === null) {
    // The walk ended on the repository root or on a `..`: examine where it ended up.
    const outcome = (yield { lstat: done.length === 0 ? root : `${root}/${done.join("/")}` }) as LstatOutcome;
    if (outcome.facts === null) return { state: "unreadable", file: here(), error: outcome.error, links };
    facts = outcome.facts;
  }
  return { state: "found", file: done.join("/"), facts, links };
}

/** `target` relative to the repository root when it lies inside the repository (possibly by its live path). */
function insideOf<R extends WalkedRepository>(
  repository: R,
  target: string,
  index: RepositoryLookup<R>,
): string | null {
  if (target === repository.root) return "";
  if (target.startsWith(`${repository.root}/`)) return target.slice(repository.root.length + 1);
  const placed = place(index, target);
  return placed.where === "repository" &&
    placed.repository === repository &&
    target.startsWith(LIVE_REPOSITORIES)
    ? placed.rest
    : null;
}

/** The file a link problem on the way is about, relative to the repository root (null when there is none). */
function problemFile(walk: Walk): string | null {
  switch (walk.state) {
    case "leaves":
    case "dangling":
    case "loop":
      return walk.link;
    case "unreadable":
      return walk.file;
    default:
      return null;
  }
}

/**
 * The diagnostic a link problem on the way to a file gives (null when there is none): about the link (or
 * what could not be examined) itself, or, with `at`, about the vm.cfg `at` that reaches it — the link then
 * its `subject`, so that the problem can be shown once, about the link, with every vm.cfg that reaches it.
 */
export function linkProblem(walk: Walk, root: string, at: Diagnostic["file"] = null): Diagnostic | null {
  const about = problemFile(walk);
  if (about === null) return null;
  const subject = `${root}/${about}`;
  const where = { file: at ?? subject, line: null, column: null };
  const problem = linkDiagnostic(walk, where);
  return problem === null || problem.file === subject ? problem : { ...problem, subject };
}

/** The diagnostic of a walk that met a link problem, at `where`. */
function linkDiagnostic(walk: Walk, where: Position): Diagnostic | null {
  switch (walk.state) {
    case "leaves":
      return diagnostic(
        "warning",
        "unsafe-symlink",
        `${walk.link} is a symbolic link leaving its repository, to ${walk.linkTarget}: not followed`,
        where,
      );
    case "dangling":
      return diagnostic(
        "warning",
        "dangling-symlink",
        `${walk.link} is a symbolic link to ${walk.linkTarget}, which does not exist`,
        where,
      );
    case "loop":
      return diagnostic("warning", "symlink-loop", `too many symbolic links at ${walk.link}`, where);
    case "unreadable":
      return diagnostic("warning", "unreadable", `cannot examine ${walk.file} (${walk.error})`, where);
    default:
      return null;
  }
}
