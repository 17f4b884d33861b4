// Where a path points: rebasing `/OVS/Repositories/<X>/…` onto the scanned repository known as X, and
// walking it component by component with lstat, following links only while they stay in the repository.
import path from "node:path";
import type { FileStats, FsCache } from "./fs-cache.js";
import type { RepositoryIdentity, RepositoryIndex } from "./identity.js";

/** Where Oracle VM servers mount repositories: vm.cfg paths start with it, whatever the scanned copy's place. */
export const LIVE_REPOSITORIES = "/OVS/Repositories/";

/** Links followed on one path before it counts as a loop (Linux's own limit is 40). */
const MAX_LINKS = 40;

/** Where an absolute, normalised path lies relative to the scanned repositories. */
export type Place<R> =
  | { where: "repository"; repository: R; rest: string }
  | { where: "unscanned"; name: string; suggestion: string | null }
  | { where: "outside" };

/**
 * Place an absolute, normalised path: `/OVS/Repositories/<X>/rest` in the repository known as X (never the
 * live /OVS), else a path under a scanned repository's own folder in that repository, else outside.
 */
export function place<R extends RepositoryIdentity>(index: RepositoryIndex<R>, file: string): Place<R> {
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

/** What walking a path inside a repository found. `file` is the path relative to the repository root. */
export type Resolution =
  /** Something is there (`stats` never of a link); `file` has the links inside the repository resolved. */
  | { state: "found"; file: string; stats: FileStats }
  /** Nothing at that path. */
  | { state: "missing"; file: string }
  /** Link `link` on the way leads out of the repository, to `linkTarget` (with the rest of the path). */
  | { state: "leaves"; file: string; link: string; linkTarget: string }
  /** Link `link` on the way points to nothing (at `linkTarget`, inside the repository). */
  | { state: "dangling"; file: string; link: string; linkTarget: string }
  /** Too many links on the way: a loop. */
  | { state: "loop"; file: string; link: string }
  /** A component could not be examined (EACCES…). */
  | { state: "unreadable"; file: string; error: string };

/**
 * Walk `rest` (relative, normalised) inside `repository` with lstat. Links whose target stays in the
 * repository are followed (relative targets from the link's own folder in the scanned tree, absolute
 * `/OVS/Repositories/<X>/…` targets rebased when X names this repository); a link that leaves is not.
 */
export async function resolveInRepository<R extends RepositoryIdentity>(
  repository: R,
  rest: string,
  index: RepositoryIndex<R>,
  fs: FsCache,
): Promise<Resolution> {
  const root = repository.root;
  const done: string[] = [];
  let pending = rest.split("/").filter((c) => c !== "" && c !== ".");
  let links = 0;
  // Components of the last link's target still to walk, and that link: ENOENT among them means dangling.
  let fromLink: { link: string; target: string; remaining: number } | null = null;
  let stats: FileStats | null = null;
  const here = (): string => [...done, ...pending].join("/");
  while (pending.length > 0) {
    const component = pending.shift()!;
    if (fromLink !== null) fromLink.remaining--;
    if (component === "..") {
      // Only a link target can bring `..` here (the path itself was normalised); it stays in the repository.
      done.pop();
      stats = null;
      continue;
    }
    done.push(component);
    const outcome = await fs.lstat(`${root}/${done.join("/")}`);
    if (outcome.stats === null) {
      if (outcome.error === "ENOENT" || outcome.error === "ENOTDIR") {
        if (fromLink !== null && fromLink.remaining >= 0) {
          return { state: "dangling", file: here(), link: fromLink.link, linkTarget: fromLink.target };
        }
        return { state: "missing", file: here() };
      }
      return { state: "unreadable", file: here(), error: outcome.error };
    }
    stats = outcome.stats;
    if (stats.isSymbolicLink()) {
      const link = done.join("/");
      if (++links > MAX_LINKS) return { state: "loop", file: here(), link };
      const read = await fs.readlink(`${root}/${link}`);
      if (read.target === null) return { state: "unreadable", file: here(), error: read.error };
      const target = path.posix.resolve(path.posix.dirname(`${root}/${link}`), read.target);
      const inside = insideOf(repository, target, index);
      if (inside === null) {
        return { state: "leaves", file: here(), link, linkTarget: path.posix.join(target, ...pending) };
      }
      const targetComponents = inside.split("/").filter((c) => c !== "");
      fromLink = { link, target, remaining: targetComponents.length };
      done.length = 0;
      pending = [...targetComponents, ...pending];
      stats = null;
      continue;
    }
    if (pending.length > 0 && !stats.isDirectory()) return { state: "missing", file: here() };
  }
  if (stats === null) {
    // The walk ended on the repository root or on a `..`: examine where it ended up.
    const outcome = await fs.lstat(done.length === 0 ? root : `${root}/${done.join("/")}`);
    if (outcome.stats === null) return { state: "unreadable", file: here(), error: outcome.error };
    stats = outcome.stats;
  }
  return { state: "found", file: done.join("/"), stats };
}

/** `target` relative to the repository root when it lies inside the repository (possibly by its live path). */
function insideOf<R extends RepositoryIdentity>(
  repository: R,
  target: string,
  index: RepositoryIndex<R>,
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
