// Jobs `plan` and `restore`: backup sets of every guest of an estate, and the restore check of one guest.
import { rmSync } from "node:fs";
import {
  estateOf,
  isSelectionError,
  ParseCache,
  planBackup,
  planRestore,
  planTargetedRestore,
  scanDeferred,
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

/**
 * Scan the live and backup ROOTs, then check the restore of `guest`; reports actions, refusals, the check
 * time and the vm.cfg files parsed. `targeted` (the CLI's default): deferred scans, and only the vm.cfg
 * files that could change the verdict parsed; else full scans (`--full-scan`). Both sides are scanned one
 * after the other, as the CLI does. `cache` as in `planJob`.
 */
export async function restoreJob(args: {
  live: string[];
  backup: string[];
  guest: string;
  targeted?: boolean;
  cache?: { dir: string; fresh: boolean };
}): Promise<Record<string, number>> {
  if (args.cache?.fresh) rmSync(args.cache.dir, { recursive: true, force: true });
  const cache = (): ParseCache | null => (args.cache ? new ParseCache(args.cache.dir) : null);
  const options = { guests: [args.guest] };
  let result: Awaited<ReturnType<typeof planRestore>>;
  let parsed: number;
  let restoreMs: number;
  if (args.targeted) {
    const live = await scanDeferred(args.live, { cache: cache() });
    const backup = await scanDeferred(args.backup, { cache: cache() });
    const started = performance.now();
    const planned = await planTargetedRestore(live, backup, options);
    restoreMs = performance.now() - started;
    result = planned.result;
    parsed = planned.parsed.live + planned.parsed.backup;
  } else {
    const live = await scanRepositories(args.live, { cache: cache() });
    const backup = await scanRepositories(args.backup, { cache: cache() });
    const started = performance.now();
    result = await planRestore(live, backup, options);
    restoreMs = performance.now() - started;
    parsed = [live, backup].reduce((n, scan) => n + scan.guests.length + scan.templates.length, 0);
  }
  if (isSelectionError(result)) throw new Error(`restore: --guest ${args.guest} is unknown or ambiguous`);
  return { actions: result.actions.length, blocked: result.blocked.length, parsed, restoreMs };
}
