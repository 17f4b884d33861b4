// The `text` and `script` formats of `restore --as-new`: the mapping old → new for people, and the copy step as `sh`.
import path from "node:path";
import type { AsNewRestore, BlockReason } from "../schema/plan.js";
import { humanBytes, warningLines } from "./plan-text.js";
import { type Hint, ownerLabel } from "./restore-refusal.js";
import {
  commented,
  kibibytes,
  PRELUDE,
  type ScriptOutput,
  secondsAccepted,
  shellQuote,
  temporaryOf,
} from "./restore-script.js";
import { escapeText, incompleteLines } from "./text.js";

/** What an administrator does once the new guest's files are there. */
const CHECKLIST = [
  "refresh the repository in Oracle VM Manager: the new guest appears under its new simple name",
  "before starting it beside the original, change what its OS holds of the original's identity (hostname, IP addresses)",
];

/** Where a refusal of `--as-new` means something else than a restore's. */
export const AS_NEW_HINTS: Partial<Record<BlockReason, Hint>> = {
  shared: (_, others) =>
    `also used by ${others}: the new guest would write it too; pass --allow-shared to keep it attached to both (then detach it from one, or mark it shareable)`,
};

/** `old → new`, each escaped. */
const renamed = ({ old, new: now }: { old: string | null; new: string }): string =>
  `${old === null ? "(none)" : escapeText(old)} → ${escapeText(now)}`;

/** Render a `restore --as-new` document for people. */
export function renderAsNewText(result: AsNewRestore): string {
  const label = (ref: string): string => ownerLabel(ref, result.names ?? {});
  const lines = [
    result.safe
      ? "SAFE: restores the guest as a new guest; no existing file is changed"
      : "NOT SAFE: the restore is refused",
    `guest: ${label(result.guest)}`,
    `into: ${escapeText(result.repository.root)} (repository ${escapeText(result.repository.id)})`,
    "",
    ...incompleteLines(result),
    `uuid:        ${renamed(result.uuid)}`,
    `folder:      ${renamed(result.folder)}`,
    `name:        ${renamed(result.name)}`,
    `simple name: ${renamed(result.simpleName)}`,
    "",
    `${result.files.length} file(s) to create:`,
  ];
  for (const f of result.files) {
    lines.push(`  ${f.role.padEnd(6)} ${escapeText(f.target)}  ${humanBytes(f.bytes)}`);
    lines.push(`         from ${escapeText(f.source)}`);
  }
  for (const space of result.space)
    lines.push(`  writes ${humanBytes(space.neededBytes)} (allocated) into ${escapeText(space.root)}`);
  if (result.macs.length > 0) {
    lines.push("", "MAC addresses:");
    for (const m of result.macs) lines.push(`  vif ${m.item}: ${escapeText(m.old)} → ${m.new}`);
  }
  if (result.kept.length > 0) {
    lines.push("", "kept, not copied:");
    for (const k of result.kept) lines.push(`  ${k.kind} ${escapeText(k.ref)}: ${k.todo}`);
  }
  if (result.blocked.length > 0) {
    lines.push("", "refused:");
    for (const b of result.blocked) {
      const users = b.users.length > 0 ? ` (users: ${b.users.map(label).join(", ")})` : "";
      lines.push(`  ${b.reason}: ${escapeText(b.ref)}${users}`);
    }
  }
  if (result.warnings.length > 0) lines.push("", ...warningLines(result.warnings, ""));
  const checklist = result.kept.some((k) => k.kind !== "iso")
    ? [...CHECKLIST, "do what the kept items above say: they are attached to both guests"]
    : CHECKLIST;
  lines.push("", "after running the script:", ...checklist.map((item) => `  [ ] ${item}`));
  return `${lines.join("\n")}\n`;
}

/** The function the as-new script adds to the restore prelude: create a name, never replace one. */
const CREATE = `# ovm_create TEMPORARY TARGET BYTES: give the checked copy its new name with a hard link — made only where
# nothing is, so nothing that appeared since the checks is ever replaced — then drop the temporary name.
ovm_create() {
  ln -T -- "$1" "$2" || ovm_die "cannot create $2 (is something there now?): nothing existing was changed"
  rm -f -- "$1"
  ovm_tmp=''
  ovm_done=$((ovm_done + 1))
  ovm_bytes=$((ovm_bytes + $3))
}
`;

/**
 * Render a safe `restore --as-new` as a POSIX `sh` script (`set -eu`, GNU coreutils): free space; every
 * backed-up disk still as planned and every new name still free (before anything is created); each disk
 * copied sparse to a temporary name, checked (SHA-256) and linked to its new name; then the new folder and
 * the rewritten vm.cfg, checked against its planned SHA-256. It creates files only: nothing existing is
 * written. An unsafe plan renders as nothing (the CLI exits 1).
 */
export function renderAsNewScript(result: AsNewRestore): ScriptOutput {
  if (!result.safe) return { ok: true, output: "" };
  const disks = result.files.filter((f) => f.role === "disk");
  const config = result.files.find((f) => f.role === "config")!;
  const checks: string[] = [];
  const copies: string[] = [];
  for (const f of disks) {
    if (f.bytes === null || f.mtimeMs === null)
      return { ok: false, error: `the size or mtime of ${f.source} is unknown: use --format json` };
    const source = `ovm_source ${shellQuote(f.source)} ${f.bytes} '${secondsAccepted(f.mtimeMs)}'`;
    const absent = `ovm_absent ${shellQuote(f.target)}`;
    const tmp = shellQuote(temporaryOf(f.target));
    checks.push(source, absent);
    copies.push(
      "",
      `# ${commented(f.old)} → ${commented(f.new)} (${f.bytes} bytes)`,
      source,
      absent,
      `ovm_copy ${shellQuote(f.source)} ${tmp}`,
      `ovm_create ${tmp} ${shellQuote(f.target)} ${f.bytes}`,
    );
  }
  const folder = path.dirname(config.target);
  const tmp = temporaryOf(config.target);
  const bytes = result.files.reduce((sum, f) => sum + (f.bytes ?? 0), 0);
  const lines = [
    "#!/bin/sh",
    "# Restore as a new guest, generated by ovm-deps (`ovm-deps restore … --as-new --format script`).",
    "# REVIEW IT BEFORE RUNNING IT.",
    `# Guest: ${commented(result.guest)}, restored as ${commented(result.simpleName.new)}`,
    `# uuid ${commented(result.uuid.new)} (was ${commented(result.uuid.old ?? "none")}), folder ${commented(result.folder.new)}`,
    `# Into (live repository): ${commented(result.repository.root)}`,
    `# Creates ${result.files.length} file(s), ${bytes} bytes (apparent size): the disks under new names, then the vm.cfg.`,
    "# It changes no existing file: each new name is checked free, and created with a link that fails if not.",
    "# It stops, having created nothing, when the file system lacks room, a backed-up disk changed since the",
    "# plan, or a new name is taken; a failure later leaves the files created so far, which nothing uses.",
    ...result.kept.map((k) => `# Kept, not copied (${k.kind}): ${commented(k.ref)}: ${commented(k.todo)}`),
    "# Run it with: sh restore-as-new.sh   (as the user that owns the repository files, usually root)",
    "# Needs POSIX sh and GNU coreutils (stat -c, cp --sparse, sha256sum, sync FILE, ln -T).",
    "",
    PRELUDE,
    CREATE,
    `ovm_total=${result.files.length}`,
    "",
    "# 1. Room for the allocated bytes the copies write (a thin disk stays thin).",
    ...result.space.map((s) => `ovm_space ${shellQuote(s.root)} ${kibibytes(s.neededBytes)}`),
    "",
    "# 2. Every backed-up disk is still as planned, every new name is free.",
    ...checks,
    `ovm_absent ${shellQuote(folder)}`,
    `ovm_absent ${shellQuote(config.target)}`,
    "",
    "# 3. The disks, under their new names.",
    ...copies.slice(1),
    "",
    "# 4. The new folder and the rewritten vm.cfg, written to a temporary name, checked, then created.",
    `mkdir -p -- ${shellQuote(path.dirname(folder))}`,
    `mkdir -- ${shellQuote(folder)} || ovm_die ${shellQuote(`cannot create ${folder}`)}`,
    `ovm_absent ${shellQuote(tmp)}`,
    `ovm_tmp=${shellQuote(tmp)}`,
    `(set -C; printf '%s' ${shellQuote(result.config.text)} > ${shellQuote(tmp)}) || ovm_die ${shellQuote(`cannot write ${tmp}`)}`,
    `if [ "$(ovm_sha256 ${shellQuote(tmp)})" != ${result.config.sha256} ]; then ovm_die ${shellQuote(`${tmp} is not the planned vm.cfg`)}; fi`,
    `sync -- ${shellQuote(tmp)} || ovm_die ${shellQuote(`cannot flush ${tmp}`)}`,
    `ovm_create ${shellQuote(tmp)} ${shellQuote(config.target)} ${config.bytes ?? 0}`,
    "",
    `printf 'ovm-deps restore: %s files created (%s bytes): the new guest is %s\\n' "$ovm_done" "$ovm_bytes" ${shellQuote(result.folder.new)}`,
    "",
  ];
  return { ok: true, output: lines.join("\n") };
}
