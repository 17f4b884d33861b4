// The `list` format of `restore`: source paths relative to the backup ROOT, for `rsync --files-from`.
import path from "node:path";
import type { RestoreResult } from "../schema/plan.js";
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

/**
 * Render a safe restore as the list `rsync -a --from0 --files-from=LIST BACKUP_ROOT/ LIVE_ROOT/`
 * takes, unchanged files left out. An unsafe restore renders as nothing (the CLI exits 1). The list is refused when one rsync
 * run could not do it: actions from several backup ROOTs, into several live ROOTs, a target whose
 * path under the live ROOT differs from its source's under the backup ROOT (a repository mounted
 * under another folder name) — rsync would then write somewhere else than planned — or a path
 * through a symbolic link, which rsync replaces by a real folder instead of following it.
 */
export function renderRestoreList(result: RestoreResult, nul: boolean): ListOutput {
  if (!result.safe) return { ok: true, output: "" };
  const backupRoots = new Set<string>();
  const liveRoots = new Set<string>();
  const relatives: string[] = [];
  for (const action of result.actions) {
    // Unchanged files (same size and mtime as the backup) are not copied again.
    if (action.action === "unchanged") continue;
    if (action.links.length > 0) {
      return {
        ok: false,
        error: `${action.target} is reached through the link ${action.links[0]}, which rsync would replace: use --format json`,
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
    relatives.push(source.relative);
  }
  if (backupRoots.size > 1 || liveRoots.size > 1) {
    return {
      ok: false,
      error: "the actions span several ROOTs, which one rsync run cannot do: use --format json",
    };
  }
  return renderPathList(relatives, nul);
}
