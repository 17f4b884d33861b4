// Who uses what: for every node a disk entry points to, the owners using it — exactly the `uses`
// edges the graph would have into that node (graph/build.ts), without building the whole graph.
import { referenceKey } from "../graph/index.js";
import type { Owner } from "../schema/scan.js";

/** Node key (referenceKey: fileKey for a repository file) → owner references using it, sorted. */
export type UsersIndex = ReadonlyMap<string, readonly string[]>;

/** The users of every referenced node (empty CD-ROMs refer to nothing); `usersOf(graph, key)` gives the same. */
export function indexUsers(owners: readonly Owner[]): UsersIndex {
  const users = new Map<string, Set<string>>();
  for (const owner of owners) {
    for (const reference of owner.disks) {
      const inRepository = reference.repository !== null && reference.file !== null;
      if (!inRepository && (reference.kind === "empty-cdrom" || reference.path === null)) continue;
      const key = referenceKey(reference);
      const known = users.get(key);
      if (known) known.add(owner.ref);
      else users.set(key, new Set([owner.ref]));
    }
  }
  return new Map([...users].map(([key, refs]) => [key, [...refs].sort()]));
}
