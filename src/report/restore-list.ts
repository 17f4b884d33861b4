// The `list` format of `restore`: source paths relative to the backup ROOT, for `rsync --files-from`.
import path from "node:path";
import type { RestoreAction, RestoreResult } from "../schema/plan.js";
import { type ListOutput, renderPathList } from "./plan-list.js";

/** The ROOT among `roots` that holds `file`, and `file` relative to it; null when none does. */
function underRoot(roots: readonly string[], file: string): { root: string; relative: string } | null {
  for (const root of roots) {
    const relative = path.relative(root, file);
    if (relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative))
      return { root, relative };
  }
  return null;
}

/** A copy one run does: the action and its path relative to both ROOTs. */
export interface OneRunCopy {
  action: RestoreAction;
  relative: string;
}

/** The copies of a restore one run from one backup ROOT into one live ROOT can do, or why it cannot. */
export type OneRun =
  | { ok: true; copies: OneRunCopy[]; backupRoot: string | null; liveRoot: string | null }
  | { ok: false; error: string };

/** How a format names the tool that copies (in its refusals): `rsync`, `the script`. */
export interface OneRunTool {
  /** What happens to a link on the way: "which rsync would replace". */
  linkWhy: string;
  /** What cannot span several ROOTs: "one rsync run". */
  run: string;
}

/**
 * The copies of a restore (unchanged files left out) when one run can do them exactly: all from one
 * backup ROOT, into one live ROOT, each target at its source's path relative to the ROOTs (not a
 * repository mounted under another folder name), and no symbolic link on the way. Shared by `list`
 * and `script`, which refuse (exit 2, use json) what it refuses.
 */
export function oneRunCopies(result: RestoreResult, tool: OneRunTool): OneRun {
  const backupRoots = new Set<string>();
  const liveRoots = new Set<string>();
  const copies: OneRunCopy[] = [];
  for (const action of result.actions) {
    // Unchanged files (same size and mtime as the backup) are not copied again.
    if (action.action === "unchanged") continue;
    if (action.links.length > 0) {
      return {
        ok: false,
        error: `${action.target} is reached through the link ${action.links[0]}, ${tool.linkWhy}: use --format json`,
      };
    }
    const source = underRoot(result.roots.backup, action.source);
    const target = underRoot(result.roots.live, action.target);
    if (source === null || target === null || source.relative !== target.relative) {
      return {
        ok: false,
        error: `${action.target} is not at the same path under its live ROOT as ${action.source} under its backup ROOT: use --format json`,
      };
    }
    backupRoots.add(source.root);
    liveRoots.add(target.root);
    copies.push({ action, relative: source.relative });
  }
  if (backupRoots.size > 1 || liveRoots.size > 1) {
    return {
      ok: false,
      error: `the actions span several ROOTs, which ${tool.run} cannot do: use --format json`,
    };
  }
  return { ok: true, copies, backupRoot: [...backupRoots][0] ?? null, liveRoot: [...liveRoots][0] ?? null };
}

/**
 * Render a safe restore as the list `rsync -a --from0 --files-from=LIST BACKUP_ROOT/ LIVE_ROOT/`
 * takes, unchanged files left out. An unsafe restore renders as nothing (the CLI exits 1). The list is
 * refused when one rsync run could not do it (`oneRunCopies`) — rsync would then write somewhere else
 * than planned, or replace a symbolic link on the way by a real folder instead of following it.
 */
export function renderRestoreList(result: RestoreResult, nul: boolean): ListOutput {
  if (!result.safe) return { ok: true, output: "" };
  const run = oneRunCopies(result, { linkWhy: "which rsync would replace", run: "one rsync run" });
  if (!run.ok) return run;
  return renderPathList(
    run.copies.map((c) => c.relative),
    nul,
  );
}
