// A refused restore on stderr, whatever the format: `NOT SAFE:` and one line per reason, each with what would make it safe.
import type { Blocked, BlockReason, RestoreResult } from "../schema/plan.js";
import { escapeText } from "./text.js";

/** Names of owners by owner reference (the simple name, else `name`), to show next to the reference. */
type OwnerNames = Readonly<Record<string, string>>;

/** What would make one refusal go away: a short imperative, given the refusal and a way to name owners. */
export type Hint = (blocked: Blocked, others: string) => string;

/** One short hint per reason code (docs/diagnostics.md, "what to do"). */
const HINTS = {
  shared: (_, others) =>
    `also used by ${others}: restore every user in the same command (--guest for each), or pass --allow-shared if overwriting their copy is intended`,
  "used-by-other": (_, others) =>
    `now used by ${others}: never overwrite it; find out which guest uses it now`,
  "missing-in-backup": () => "restore from a backup that has this disk, or restore the disk by other means",
  "outside-repository": () =>
    "a symbolic link on the way leaves the repository: fix the link (live tree or backup), then check again",
  "unsafe-symlink": () => "the vm.cfg is a link leaving its repository: restore it by other means",
  "guest-running": (b, others) =>
    `${b.users.length > 0 ? others : "the guest"} is running: stop it, save xm list again (--xm-list), check again`,
  "uuid-conflict": (_, others) =>
    `the live vm.cfg of ${others} has this uuid: remove or re-identify it first`,
  "no-live-repository": () =>
    "no live ROOT holds this repository: pass the live ROOT that does (or --repository NAME=DIR)",
  "not-a-regular-file": () =>
    "not a regular file in the backup or the live tree: put the file back (or remove what is in its place), then check again",
  unreadable: () => "could not be examined: fix the permissions or the mount, then check again",
  "hard-linked": (b, others) =>
    b.users.length > 0
      ? `one file with ${others}'s: break the hard link (copy the file), or pass --allow-shared if overwriting it is intended`
      : "has names outside the scanned trees: find them (find -samefile) and break the link (copy the file)",
  "same-file": () =>
    "the backup is the live file itself (hard links, or the live tree by another path): restore from an independent copy",
  "repository-mismatch": () =>
    "the paired repositories declare different ids: pair them with --repository NAME=DIR, or restore into the repository the backup came from",
  "type-changed": () => "a link on one side, a file on the other: find out which is right, then check again",
  "users-unknown": () =>
    "a vm.cfg that could not be read may use the file: fix it, or pass --allow-unknown-users",
  "config-unreadable": () => "the backed-up vm.cfg has errors: restore it by other means",
  "xm-list-invalid": () =>
    "--xm-list is not an xm list table: save it again, or pass --allow-unknown-running",
  "physical-disk": () =>
    "a LUN cannot be copied: pass --allow-shared to keep it attached to both guests (then present or detach it in Oracle VM Manager)",
  "nfs-mount": () =>
    "the guest's OS mounts it: pass --allow-shared to restore anyway, then edit the new guest's /etc/fstab",
  "external-file": () =>
    "a file outside every repository is not copied: pass --allow-shared to keep it attached to both guests, or copy it by hand",
  "target-exists": () => "something is where a new file would be created: find out what, then plan again",
} satisfies Record<BlockReason, Hint>;

/** An owner as a person knows it: `NAME (REF)` when the scan knew its name, else its reference. */
export function ownerLabel(ref: string, names: OwnerNames = {}): string {
  const name = Object.hasOwn(names, ref) ? names[ref] : undefined;
  return name === undefined || name === ref ? escapeText(ref) : `${escapeText(name)} (${escapeText(ref)})`;
}

/** One refusal on one line: the guest, the file, the reason code and what would make it safe. */
function refusalLine(blocked: Blocked, names: OwnerNames, hints: Partial<Record<BlockReason, Hint>>): string {
  const others = blocked.users.filter((u) => u !== blocked.guest);
  const othersText = (others.length > 0 ? others : blocked.users).map((u) => ownerLabel(u, names)).join(", ");
  const hint: Hint | undefined = hints[blocked.reason] ?? (HINTS as Record<string, Hint>)[blocked.reason];
  const what = hint === undefined ? "see docs/diagnostics.md" : hint(blocked, othersText || "another owner");
  const file = blocked.ref === blocked.guest ? "the guest" : escapeText(blocked.ref);
  return `  ${ownerLabel(blocked.guest, names)}: ${file}: ${blocked.reason}: ${what}`;
}

/**
 * The lines a refused restore prints on stderr before anything else, in every format: `NOT SAFE:`
 * and one line per refusal. Null when the restore is safe.
 */
export function renderRestoreRefusal(
  result: Pick<RestoreResult, "safe" | "blocked" | "names">,
  hints: Partial<Record<BlockReason, Hint>> = {},
): string | null {
  if (result.safe) return null;
  const names = result.names ?? {};
  const count = result.blocked.length;
  const lines = [
    `NOT SAFE: the restore is refused (${count} reason${count === 1 ? "" : "s"}): copy nothing`,
    ...result.blocked.map((b) => refusalLine(b, names, hints)),
  ];
  return `${lines.join("\n")}\n`;
}
