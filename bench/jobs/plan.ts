// Jobs `plan` and `restore`: backup sets of every guest of an estate, and the restore check of one guest.
import { rmSync } from "node:fs";
import {
  estateOf,
  isSelectionError,
  ParseCache,
  planBackup,
  planRestore,
  scanRepositories,
  type Threads,
} from "../../dist/index.js";

/**
 * Scan `roots` (with `threads` parsing workers, default auto), build the estate's graph, then plan every
 * guest; reports guests, files, the graph build and the planning time (scan excluded). With `cache`, the
 * scan uses a parse cache in `cache.dir` (as the CLI does): `fresh` empties it first (a cold run that
 * fills it), else it is used as the last run left it (warm once filled); hits and parses are reported.
 */
export async function planJob(args: {
  roots: string[];
  threads?: Threads;
  cache?: { dir: string; fresh: boolean };
}): Promise<Record<string, number>> {
  if (args.cache?.fresh) rmSync(args.cache.dir, { recursive: true, force: true });
  const cache = args.cache ? new ParseCache(args.cache.dir) : null;
  const scan = await scanRepositories(args.roots, { threads: args.threads ?? "auto", cache });
  const started = performance.now();
  const estate = estateOf(scan);
  const built = performance.now();
  const plan = planBackup(estate);
  const planMs = performance.now() - built;
  if (isSelectionError(plan)) throw new Error("plan: unexpected selection problem");
  return {
    guests: plan.guests.length,
    files: plan.guests.reduce((n, g) => n + g.files.length, 0),
    allocatedGiB: plan.totals.allocatedBytes / 2 ** 30,
    buildGraphMs: built - started,
    planMs,
    ...(cache
      ? {
          cacheHits: cache.stats.hits,
          parsed: cache.stats.parsed,
          cacheWrites: cache.stats.writes,
          cacheLoadMs: cache.stats.loadMs,
          cacheHashMs: cache.stats.hashMs,
          cacheSaveMs: cache.stats.saveMs,
        }
      : {}),
  };
}

/** Scan the live and backup ROOTs, then check the restore of `guest`; reports actions, refusals and the check time. */
export async function restoreJob(args: {
  live: string[];
  backup: string[];
  guest: string;
}): Promise<Record<string, number>> {
  const [live, backup] = await Promise.all([scanRepositories(args.live), scanRepositories(args.backup)]);
  const started = performance.now();
  const result = await planRestore(live, backup, { guests: [args.guest] });
  const restoreMs = performance.now() - started;
  if (isSelectionError(result)) throw new Error(`restore: --guest ${args.guest} is unknown or ambiguous`);
  return { actions: result.actions.length, blocked: result.blocked.length, restoreMs };
}
