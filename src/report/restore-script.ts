// The `script` format of `restore`: the copy step as a POSIX `sh` script an administrator reviews, then runs.
import path from "node:path";
import type { RestoreAction, RestoreResult } from "../schema/plan.js";
import { oneRunCopies } from "./restore-list.js";

/** A rendered script, or why one script cannot do the restore (the CLI exits 2 with the error). */
export type ScriptOutput = { ok: true; output: string } | { ok: false; error: string };

/**
 * A shell word that is exactly `text`, whatever bytes it holds (NUL aside, which no path has): single
 * quotes, each `'` as `'\''`. A newline inside single quotes is part of the word.
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** `text` on a comment line: JSON escapes every control character, so a newline cannot end the comment. */
export const commented = (text: string): string => JSON.stringify(text);

/** Whole seconds of an mtime in milliseconds, as `stat -c %Y` prints it. */
const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * The whole seconds `stat -c %Y` may print for a recorded mtime: Node's millisecond mtime is rounded, so
 * x.9999999 s can be recorded as (x+1).000 s. Both are accepted then; otherwise exactly one.
 */
export const secondsAccepted = (ms: number): string => {
  const low = Math.floor((ms - 0.001) / 1000);
  const high = seconds(ms);
  return low === high ? `${high}` : `${low}|${high}`;
};

/** KiB, rounded up, as `df -Pk` counts free space. */
export const kibibytes = (bytes: number): number => Math.ceil(bytes / 1024);

/** The functions every script uses: reviewed once here, the same in every script. */
export const PRELUDE = String.raw`set -eu

ovm_tmp=''
ovm_done=0
ovm_bytes=0
ovm_total=0

ovm_die() {
  printf 'ovm-deps restore: %s\n' "$*" >&2
  exit 1
}

ovm_finish() {
  ovm_status=$?
  if [ -n "$ovm_tmp" ]; then rm -f -- "$ovm_tmp"; fi
  if [ "$ovm_status" -ne 0 ]; then
    printf 'ovm-deps restore: FAILED after %s of %s files; the files not copied are as they were\n' "$ovm_done" "$ovm_total" >&2
  fi
  exit "$ovm_status"
}
trap ovm_finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ovm_space DIR KIB [OTHER_DIR OTHER_KIB]…: the file system of DIR has KIB free, plus the KIB of each
# other folder on the same file system (df -k --output=avail: KiB available to this user).
ovm_space() {
  ovm_dir=$1 ovm_kib=$2
  shift 2
  ovm_dev=$(stat -c %d -- "$ovm_dir") || ovm_die "cannot examine $ovm_dir"
  while [ "$#" -gt 0 ]; do
    if [ "$(stat -c %d -- "$1")" = "$ovm_dev" ]; then ovm_kib=$((ovm_kib + $2)); fi
    shift 2
  done
  ovm_avail=$(df -k --output=avail -- "$ovm_dir" | awk 'NR == 2 { print $1 }')
  case $ovm_avail in
    '' | *[!0-9]*) ovm_die "cannot read the free space of the file system of $ovm_dir" ;;
  esac
  if [ "$ovm_avail" -lt "$ovm_kib" ]; then
    ovm_die "not enough room on the file system of $ovm_dir: the copies write $ovm_kib KiB, $ovm_avail KiB are free; nothing was copied"
  fi
}

# ovm_same NOW BYTES MTIMES: "SIZE SECONDS" of stat is the planned size and one of the planned seconds
# (MTIMES: one number, or two separated by |).
ovm_same() {
  ovm_size=${"$"}{1%% *} ovm_secs=${"$"}{1#* }
  [ "$ovm_size" = "$2" ] || return 1
  case "|$3|" in
    *"|$ovm_secs|"*) return 0 ;;
  esac
  return 1
}

# ovm_source FILE BYTES MTIMES: the backup file is still the one planned (size, mtime in seconds).
ovm_source() {
  if [ -L "$1" ] || [ ! -f "$1" ]; then ovm_die "$1 (backup) is no longer a regular file: plan the restore again"; fi
  ovm_now=$(stat -c '%s %Y' -- "$1") || ovm_die "cannot examine $1"
  if ! ovm_same "$ovm_now" "$2" "$3"; then
    ovm_die "$1 (backup) changed since the plan (size and mtime now $ovm_now, planned $2 $3): plan the restore again"
  fi
}

# ovm_absent TARGET: nothing is at the target, as planned (action create).
ovm_absent() {
  if [ -e "$1" ] || [ -L "$1" ]; then ovm_die "$1 exists now, the plan was to create it: plan the restore again"; fi
}

# ovm_as_planned TARGET BYTES MTIMES: the target is still the file planned to be overwritten.
ovm_as_planned() {
  if [ -L "$1" ] || [ ! -f "$1" ]; then ovm_die "$1 is no longer a regular file: plan the restore again"; fi
  ovm_now=$(stat -c '%s %Y' -- "$1") || ovm_die "cannot examine $1"
  if ! ovm_same "$ovm_now" "$2" "$3"; then
    ovm_die "$1 changed since the plan (size and mtime now $ovm_now, planned $2 $3): plan the restore again"
  fi
}

# ovm_sha256 FILE: its SHA-256 (read on stdin, so no name is escaped in the output).
ovm_sha256() {
  ovm_sum=$(sha256sum < "$1") || ovm_die "cannot read $1"
  ovm_sum=${"$"}{ovm_sum%% *}
  case $ovm_sum in
    '' | *[!0-9a-f]*) ovm_die "cannot read $1" ;;
  esac
  printf '%s\n' "$ovm_sum"
}

# ovm_copy SOURCE TEMPORARY: a sparse copy (holes stay holes) with the source's mode, owner and
# times, to a temporary name in the target folder; its SHA-256 checked against the source and flushed.
ovm_copy() {
  if [ -e "$2" ] || [ -L "$2" ]; then ovm_die "$2 exists (left by an earlier run?): remove it, then run again"; fi
  ovm_tmp=$2
  cp -p --sparse=always -- "$1" "$2" || ovm_die "cannot copy $1"
  ovm_want=$(ovm_sha256 "$1")
  ovm_got=$(ovm_sha256 "$2")
  if [ "$ovm_got" != "$ovm_want" ]; then ovm_die "the copy of $1 differs from it (SHA-256 $ovm_got, expected $ovm_want)"; fi
  sync -- "$2" || ovm_die "cannot flush $2"
}

# ovm_link_source LINK TEXT: the backup's link is still a link with that text.
ovm_link_source() {
  if [ ! -L "$1" ]; then ovm_die "$1 (backup) is no longer a symbolic link: plan the restore again"; fi
  ovm_now=$(readlink -- "$1") || ovm_die "cannot read the link $1"
  if [ "$ovm_now" != "$2" ]; then ovm_die "$1 (backup) now points to $ovm_now, planned $2: plan the restore again"; fi
}

# ovm_link TEXT TARGET: make the link. ln -s creates the name or fails when anything is there: it never
# replaces, not even something that appeared since the check above.
ovm_link() {
  ln -s -T -- "$1" "$2" || ovm_die "cannot make the link $2 (is something there now?): plan the restore again"
  ovm_done=$((ovm_done + 1))
}

# ovm_place TEMPORARY TARGET BYTES: rename the checked copy into place. A rename replaces the name: a hard
# link at the target is replaced, never written through, and a crash leaves the old file or the new one.
ovm_place() {
  mv -f -T -- "$1" "$2" || ovm_die "cannot rename $1 to $2"
  ovm_tmp=''
  ovm_done=$((ovm_done + 1))
  ovm_bytes=$((ovm_bytes + $3))
}
`;

/** The checks and copy of one action, in the script's two phases. */
interface Step {
  check: string[];
  copy: string[];
}

/** The `mkdir -p` a created file's folder needs: made only inside the live repository, which the scan found. */
function folderToMake(action: RestoreAction, repositoryRoot: string | undefined): string[] {
  const folder = path.dirname(action.target);
  const relative = repositoryRoot === undefined ? ".." : path.relative(repositoryRoot, folder);
  const inside =
    repositoryRoot !== undefined &&
    repositoryRoot !== "" &&
    relative !== ".." &&
    !relative.startsWith("../") &&
    !path.isAbsolute(relative);
  return action.action === "create" && inside && folder !== repositoryRoot
    ? [`mkdir -p -- ${shellQuote(folder)}`]
    : [];
}

/** The lines that check and make one link (always a `create`: a restore never re-points a link). */
function linkStep(action: RestoreAction, linkTo: string, mkdir: string[]): Step | string {
  const { source, target } = action;
  // `readlink` output is compared in a command substitution, which drops trailing line breaks.
  if (linkTo.includes("\n")) return `the link ${source} has a line break in its text`;
  const sourceCheck = `ovm_link_source ${shellQuote(source)} ${shellQuote(linkTo)}`;
  const targetCheck = `ovm_absent ${shellQuote(target)}`;
  return {
    check: [sourceCheck, targetCheck],
    copy: [
      `# ${commented(target)} (${action.action}, a symbolic link to ${commented(linkTo)})`,
      sourceCheck,
      targetCheck,
      ...mkdir,
      `ovm_link ${shellQuote(linkTo)} ${shellQuote(target)}`,
    ],
  };
}

/**
 * The temporary name a script copies `target` to, in its folder: a fixed name, so that one left by an
 * earlier run that was killed is found (and reported) by the next one.
 */
export const temporaryOf = (target: string): string =>
  path.join(path.dirname(target), `.${path.basename(target)}.ovm-deps-tmp`);

/** The lines that check and copy one `create` or `overwrite` action. */
function step(action: RestoreAction, repositoryRoot: string | undefined): Step | string {
  const mkdir = folderToMake(action, repositoryRoot);
  if (action.linkTo !== undefined) return linkStep(action, action.linkTo, mkdir);
  const { source, target, bytes, mtimeMs } = action;
  if (bytes === null || mtimeMs === null) return `the size or mtime of ${source} is unknown`;
  const folder = path.dirname(target);
  const temporary = temporaryOf(target);
  const tmp = shellQuote(temporary);
  const sourceCheck = `ovm_source ${shellQuote(source)} ${bytes} '${secondsAccepted(mtimeMs)}'`;
  let targetCheck: string;
  if (action.action === "create") targetCheck = `ovm_absent ${shellQuote(target)}`;
  else {
    if (action.targetBytes === null || action.targetMtimeMs === null)
      return `the size or mtime of ${target} as planned is unknown`;
    targetCheck = `ovm_as_planned ${shellQuote(target)} ${action.targetBytes} '${secondsAccepted(action.targetMtimeMs)}'`;
  }
  const copy = [
    `# ${commented(target)} (${action.action}, ${bytes} bytes)`,
    sourceCheck,
    targetCheck,
    ...mkdir,
  ];
  copy.push(
    `ovm_copy ${shellQuote(source)} ${tmp}`,
    // Checked again just before the rename: nothing changed the target while copying.
    targetCheck,
    `ovm_place ${tmp} ${shellQuote(target)} ${bytes}`,
  );
  return { check: [sourceCheck, targetCheck], copy };
}

/**
 * Render a safe restore as a POSIX `sh` script (`set -eu`, GNU coreutils) that performs the copy step:
 * free space per file system, every source and target still as planned (before anything is copied),
 * then per file a sparse copy to a temporary name in the target folder, its SHA-256 against the source,
 * and a rename into place; a summary, and a non-zero exit on any failure. Unchanged files are left out.
 * An unsafe restore renders as nothing (the CLI exits 1). Refused, like `list`, when one script cannot
 * do it: several ROOTs, a target at another relative path than its source, a link on the way.
 */
export function renderRestoreScript(result: RestoreResult): ScriptOutput {
  if (!result.safe) return { ok: true, output: "" };
  const run = oneRunCopies(result, { linkWhy: "which the script does not go through", run: "one script" });
  if (!run.ok) return run;

  const roots = new Map(result.space.map((s) => [s.repository, s.root]));
  const checks: string[] = [];
  const copies: string[] = [];
  for (const { action } of run.copies) {
    const lines = step(action, roots.get(action.repository));
    if (typeof lines === "string") return { ok: false, error: `${lines}: use --format json` };
    for (const check of lines.check) checks.push(check);
    copies.push("", ...lines.copy);
  }
  const space = result.space.filter((s) => s.neededBytes > 0);
  const unknown = space.find((s) => s.root === "");
  if (unknown !== undefined)
    return {
      ok: false,
      error: `the live folder of repository ${unknown.repository} is unknown: use --format json`,
    };

  const unchanged = result.actions.filter((a) => a.action === "unchanged");
  const bytes = run.copies.reduce((sum, c) => sum + (c.action.bytes ?? 0), 0);
  const lines = [
    "#!/bin/sh",
    "# Restore generated by ovm-deps (`ovm-deps restore … --format script`). REVIEW IT BEFORE RUNNING IT.",
    ...result.guests.map((g) => `# Guest: ${commented(g)}`),
    `# From (backup ROOT): ${run.backupRoot === null ? "(nothing to copy)" : commented(run.backupRoot)}`,
    `# To (live ROOT): ${run.liveRoot === null ? "(nothing to copy)" : commented(run.liveRoot)}`,
    `# Copies ${run.copies.length} file(s), ${bytes} bytes (apparent size); leaves ${unchanged.length} unchanged file(s) alone.`,
    "# Stop the guest(s) first, and every other guest using these files: a running guest keeps writing to",
    "# the file it has open, which the rename below replaces (the script cannot tell whether a guest runs).",
    "# Run it with: sh restore.sh   (as the user that owns the repository files, usually root)",
    "# It stops, having copied nothing, when a file system lacks room or a file changed since the plan;",
    "# each file is copied to a temporary name in its folder, checked (SHA-256), then renamed into place.",
    "# Needs POSIX sh and GNU coreutils (stat -c, cp --sparse, sha256sum, sync FILE, mv -T, ln -T).",
    ...unchanged.map((a) => `# Unchanged, not copied: ${commented(a.target)}`),
    "",
    PRELUDE,
    `ovm_total=${run.copies.length}`,
    "",
    "# 1. Room on each target file system for the allocated bytes the copies write (a thin disk stays thin).",
    ...space.map((s) => {
      const others = space
        .filter((o) => o !== s)
        .flatMap((o) => [shellQuote(o.root), kibibytes(o.neededBytes)]);
      return ["ovm_space", shellQuote(s.root), kibibytes(s.neededBytes), ...others].join(" ");
    }),
    "",
    "# 2. Every backup file and every target is still as planned (a create: nothing there yet).",
    ...checks,
    "",
    "# 3. The copies. A missing folder of a created file is made, only inside its live repository.",
    ...copies.slice(1),
    "",
    `printf 'ovm-deps restore: %s files copied (%s bytes), %s unchanged left alone\\n' "$ovm_done" "$ovm_bytes" ${unchanged.length}`,
    "",
  ];
  return { ok: true, output: lines.join("\n") };
}
