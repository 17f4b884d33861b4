// Does a path under a repository stay inside it? Walks each component with lstat, never following a link out.
import { lstat, readlink } from "node:fs/promises";
import path from "node:path";

/** What walking `relative` under a repository root found. */
export interface Containment {
  /** False when a symbolic link on the way (or the last component) leads out of the root, or `relative` escapes it. */
  inside: boolean;
  /** The absolute path of the link that leads out, null when none does (or when `relative` itself escapes). */
  via: string | null;
  /** True when the whole path exists (the last component, not what a link there points to). */
  exists: boolean;
  /** Links on the way that stay inside the root (a copy tool may replace such a link instead of writing through it). */
  links: string[];
  /** Where the path really is, relative to the root, once those links are followed (`relative` when none). */
  resolved: string;
}

/** Links followed inside one path before giving up: the kernel's own bound (ELOOP) is 40. */
const MAX_LINKS = 40;

/** True when `candidate` is `root` or below it (both absolute and normalised). */
function within(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith("/") ? root : `${root}/`);
}

/**
 * Walk `relative` (a path relative to the repository folder `root`) one component at a time with
 * lstat. A link whose target stays inside the root is followed logically (its target replaces the
 * walked prefix) so later components are checked where they really are; a link whose target leaves
 * the root ends the walk: writing or reading through it would touch a file outside the repository.
 * A component that does not exist ends the walk inside: creating it cannot leave the root.
 */
export async function checkContainment(root: string, relative: string): Promise<Containment> {
  const base = path.resolve(root);
  const normalised = path.posix.normalize(relative);
  if (path.posix.isAbsolute(relative) || normalised === ".." || normalised.startsWith("../")) {
    return { inside: false, via: null, exists: false, links: [], resolved: normalised };
  }
  const pending = normalised.split("/").filter((part) => part !== "" && part !== ".");
  const links: string[] = [];
  let current = base;
  while (pending.length > 0) {
    const next = path.join(current, pending.shift()!);
    if (!within(base, next)) return { inside: false, via: null, exists: false, links, resolved: normalised };
    let isLink: boolean;
    try {
      isLink = (await lstat(next)).isSymbolicLink();
    } catch {
      return {
        inside: true,
        via: null,
        exists: false,
        links,
        resolved: path.relative(base, path.join(next, ...pending)),
      };
    }
    if (!isLink) {
      current = next;
      continue;
    }
    const target = path.resolve(path.dirname(next), await readlink(next));
    if (!within(base, target) || links.length >= MAX_LINKS) {
      return { inside: false, via: next, exists: true, links, resolved: normalised };
    }
    links.push(next);
    // Continue from the root along the link's target, then the components still to walk.
    pending.unshift(
      ...path
        .relative(base, target)
        .split("/")
        .filter((part) => part !== ""),
    );
    current = base;
  }
  return { inside: true, via: null, exists: true, links, resolved: path.relative(base, current) };
}
