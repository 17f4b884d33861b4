// The `list` format of `plan`: absolute paths one per line (or NUL-terminated), for tar, restic and rsync.
import type { PlanResult, ResourcePlan } from "../schema/plan.js";

/** A rendered path list, or why it cannot be rendered safely (the CLI exits 2 with the error). */
export type ListOutput = { ok: true; output: string } | { ok: false; error: string };

/**
 * Join paths one per line, or NUL-terminated with `nul`. Without `nul` a path holding a newline
 * would read as two paths to tar or rsync, so the list is refused rather than written wrong.
 */
export function renderPathList(paths: readonly string[], nul: boolean): ListOutput {
  if (nul) return { ok: true, output: paths.map((p) => `${p}\0`).join("") };
  const broken = paths.find((p) => p.includes("\n") || p.includes("\r"));
  if (broken !== undefined) {
    return { ok: false, error: `a path contains a line break (${JSON.stringify(broken)}): use -0` };
  }
  return { ok: true, output: paths.map((p) => `${p}\n`).join("") };
}

/** The absolute paths of every file of a plan or resource set, each once, in plan order. */
export function planListPaths(plan: PlanResult | ResourcePlan): string[] {
  const files = "guests" in plan ? plan.guests.flatMap((g) => g.files) : plan.files;
  return [...new Set(files.map((f) => f.path))];
}
