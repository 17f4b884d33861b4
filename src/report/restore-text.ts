// The `text` format of `restore`: the plan, the refusals and the post-restore checklist.
import type { RestoreResult } from "../schema/plan.js";
import { humanBytes, outsideLines, warningLines } from "./plan-text.js";
import { ownerLabel } from "./restore-refusal.js";
import { escapeText, incompleteLines } from "./text.js";

/** What an administrator must do after the files are copied back (docs/domain.md, What restore means here). */
const CHECKLIST = [
  "refresh the repository in Oracle VM Manager so it sees the restored files",
  "re-present the guest's LUNs (physical disks) to the server pool",
  "recreate the guest's NFS mounts from its backed-up /etc/fstab",
  "never copy a vm.cfg into another repository by hand: duplicate UUIDs confuse the Manager",
];

/** Render a `restore` document for people. */
export function renderRestoreText(result: RestoreResult): string {
  const names = result.names ?? {};
  const label = (ref: string): string => ownerLabel(ref, names);
  const lines = [
    result.safe ? "SAFE: the restore touches only the files below" : "NOT SAFE: the restore is refused",
    `guests: ${result.guests.map(label).join(", ")}`,
    "",
    ...incompleteLines(result),
    `${result.actions.filter((a) => a.action !== "unchanged").length} file(s) to copy, ${result.actions.filter((a) => a.action === "unchanged").length} unchanged:`,
  ];
  for (const a of result.actions) {
    const allocated = a.allocatedBytes === null ? "" : ` (${humanBytes(a.allocatedBytes)} allocated)`;
    const what =
      a.linkTo === undefined
        ? `${humanBytes(a.bytes)}${allocated}`
        : `a symbolic link to ${escapeText(a.linkTo)}`;
    lines.push(`  ${a.action.padEnd(9)} ${escapeText(a.target)}  ${what}`);
    lines.push(`            from ${escapeText(a.source)}`);
  }
  for (const space of result.space) {
    lines.push(`  writes ${humanBytes(space.neededBytes)} (allocated) into ${escapeText(space.root)}`);
  }
  if (result.blocked.length > 0) {
    lines.push("", "refused:");
    for (const b of result.blocked) {
      const users = b.users.length > 0 ? ` (users: ${b.users.map(label).join(", ")})` : "";
      lines.push(`  ${b.reason}: ${escapeText(b.ref)} [${label(b.guest)}]${users}`);
    }
  }
  if (result.outside.length > 0) {
    lines.push("", "restore by other means:");
    for (const line of outsideLines(result.outside, "  ")) lines.push(line);
  }
  if (result.warnings.length > 0) lines.push("", ...warningLines(result.warnings, ""));
  lines.push("", "after copying:", ...CHECKLIST.map((item) => `  [ ] ${item}`));
  return `${lines.join("\n")}\n`;
}
