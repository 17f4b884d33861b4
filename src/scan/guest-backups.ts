// NFS mounts from guests' backed-up root file systems (`--guest-backups DIR`): `DIR/<guest>/etc/fstab`.
import path from "node:path";
import { type Diagnostic, type DiagnosticCode, diagnostic } from "../diagnostics.js";
import { uuidKey } from "../parse/index.js";
import type { NfsMount, Owner } from "../schema/scan.js";
import { type FsCache, listFolder } from "./io.js";

/** An fstab is small; a bigger file is not one. */
const MAX_FSTAB_BYTES = 4 * 1024 * 1024;

const NFS_TYPES: ReadonlySet<string> = new Set(["nfs", "nfs4"]);

/** fstab escapes blanks in fields as octal (`\040`). */
const unescapeField = (field: string): string =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

/** The `nfs`/`nfs4` entries of an fstab. */
export function parseFstab(text: string): NfsMount[] {
  const mounts: NfsMount[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const hash = raw.indexOf("#");
    const [source, mountPoint, fstype, options] = (hash === -1 ? raw : raw.slice(0, hash))
      .trim()
      .split(/\s+/);
    if (source && mountPoint && fstype && NFS_TYPES.has(fstype)) {
      mounts.push({
        source: unescapeField(source),
        mountPoint: unescapeField(mountPoint),
        fstype,
        options: options === undefined ? "defaults" : unescapeField(options),
      });
    }
  }
  return mounts;
}

/**
 * Read a backed-up fstab; null (with a diagnostic) when it cannot be. A link is not followed: in a copy of a
 * guest's file system an absolute link would lead to the scanning host's own files.
 */
async function readFstab(fstab: string, fs: FsCache, diagnostics: Diagnostic[]): Promise<string | null> {
  const read = await fs.readRegularFile(fstab, MAX_FSTAB_BYTES);
  if (read.bytes === null) {
    const at = { file: fstab, line: null, column: null };
    diagnostics.push(diagnostic("warning", "fstab-unreadable", `cannot read (${read.error})`, at));
    return null;
  }
  return read.bytes.toString("utf8");
}

/** Tell each of `guests` that its NFS mounts are unknown (an owner diagnostic: `plan` warns `nfs-mounts-unknown`). */
function mountsUnknown(guests: readonly Owner[], code: DiagnosticCode, message: string, file: string): void {
  for (const guest of guests)
    guest.diagnostics.push(diagnostic("warning", code, message, { file, line: null, column: null }));
}

/** The guests a backup folder name means: by simple name, `name`, folder id, or uuid (dashes and case ignored), looked up. */
export function guestMatcher(guests: readonly Owner[]): (folder: string) => Owner[] {
  const by = new Map<string, Owner[]>();
  const add = (key: string | null, guest: Owner): void => {
    if (key === null) return;
    const list = by.get(key);
    if (list === undefined) by.set(key, [guest]);
    else if (!list.includes(guest)) list.push(guest);
  };
  for (const guest of guests) {
    add(guest.simpleName, guest);
    add(guest.name, guest);
    add(guest.id, guest);
    if (guest.uuid !== null) add(`uuid:${uuidKey(guest.uuid)}`, guest);
  }
  // In the guests' order, each once, whichever spellings matched.
  const order = new Map(guests.map((guest, i) => [guest, i]));
  return (folder) =>
    [...new Set([...(by.get(folder) ?? []), ...(by.get(`uuid:${uuidKey(folder)}`) ?? [])])].sort(
      (a, b) => order.get(a)! - order.get(b)!,
    );
}

/**
 * Read each guest's backed-up fstab into its `nfsMounts`; unmatched and unreadable folders are diagnostics.
 * A guest whose NFS mounts are unknown — its fstab could not be read, the folder could not be listed, or a
 * folder matched no guest while this guest matched none (it may be its folder under another name) — gets
 * an owner diagnostic saying so (`fstab-unreadable`, `guest-backups-unreadable`, `guest-backup-unmatched`).
 */
export async function addNfsMounts(
  dir: string,
  guests: readonly Owner[],
  fs: FsCache,
  diagnostics: Diagnostic[],
): Promise<void> {
  const at = (file: string, line: number | null = null) => ({ file, line, column: null });
  const listed = await listFolder(dir);
  if (listed.entries === null) {
    diagnostics.push(
      diagnostic("error", "guest-backups-unreadable", `cannot list folder (${listed.error})`, at(dir)),
    );
    mountsUnknown(guests, "guest-backups-unreadable", `${dir} cannot be listed: NFS mounts unknown`, dir);
    return;
  }
  const matchGuests = guestMatcher(guests);
  const matchedGuests = new Set<Owner>();
  const unmatched: string[] = [];
  const folders = listed.entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  await Promise.all(
    folders.map(async (folder) => {
      const where = path.join(dir, folder);
      if (await fs.isInvalidName(dir, folder)) {
        diagnostics.push(
          diagnostic("warning", "non-utf8-name", "folder name is not valid UTF-8: skipped", at(where)),
        );
        return;
      }
      const matched = matchGuests(folder);
      for (const guest of matched) matchedGuests.add(guest);
      if (matched.length === 0) {
        unmatched.push(folder);
        diagnostics.push(
          diagnostic("warning", "guest-backup-unmatched", `no scanned guest is named ${folder}`, at(where)),
        );
        return;
      }
      if (matched.length > 1) {
        diagnostics.push(
          diagnostic(
            "warning",
            "guest-backup-ambiguous",
            `${folder} matches ${matched.map((g) => g.ref).join(", ")}: its mounts are given to each`,
            at(where),
          ),
        );
      }
      const fstab = path.join(where, "etc", "fstab");
      const text = await readFstab(fstab, fs, diagnostics);
      if (text === null) {
        mountsUnknown(matched, "fstab-unreadable", `${fstab} cannot be read: NFS mounts unknown`, fstab);
        return;
      }
      const mounts = parseFstab(text);
      for (const guest of matched) for (const mount of mounts) guest.nfsMounts.push(mount);
    }),
  );
  if (unmatched.length === 0) return;
  const names = unmatched.sort().slice(0, 3).join(", ") + (unmatched.length > 3 ? ", …" : "");
  mountsUnknown(
    guests.filter((guest) => !matchedGuests.has(guest)),
    "guest-backup-unmatched",
    `no guest-backups folder matched this guest, and ${unmatched.length} matched no guest (${names}): its NFS mounts may be there`,
    dir,
  );
}
