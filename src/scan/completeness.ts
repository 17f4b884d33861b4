// What a scan could not see, defined once: every document made from a scan says `complete: false` with these.
import { diagnostic } from "../diagnostics.js";
import type { Gap } from "../schema/diagnostic.js";
import type { ScanResult } from "../schema/scan.js";
import { LIVE_REPOSITORIES } from "./walk.js";

/**
 * Codes of scan diagnostics that mean something could not be seen: a ROOT with no repository, a folder or
 * file that could not be listed or read, repository metadata, a guest-backups folder or fstab, an `xm list`
 * that could not be read or is not an `xm list` table.
 */
const GAP_CODES: ReadonlySet<string> = new Set([
  "root-not-found",
  "no-repositories",
  "unreadable",
  "metadata-not-read",
  "guest-backups-unreadable",
  "fstab-unreadable",
  "xm-list-unreadable",
  "xm-list-invalid",
  // In a scan (not a vm.cfg's own diagnostics): an --xm-list over its cap.
  "file-too-large",
  // Names the scan left out (a line break, bytes that are not UTF-8): what they are is unknown.
  "line-break-in-name",
  "non-utf8-name",
]);

/** Codes of an owner's diagnostics that mean a file could not be read: its vm.cfg, or a disk's place. */
const OWNER_GAP_CODES: ReadonlySet<string> = new Set([
  "unreadable",
  "vm-cfg-too-large",
  // A disk image header that could not be read: the base image it reads from is unknown.
  "backing-file-unknown",
]);

/** Owner diagnostics of `--guest-backups` that leave a guest's NFS mounts unknown (its fstab unread). */
export const NFS_MOUNTS_UNKNOWN: ReadonlySet<string> = new Set([
  "fstab-unreadable",
  "guest-backups-unreadable",
  "guest-backup-unmatched",
]);

/**
 * Everything a scan could not see, each once, in a stable order: the scan's own diagnostics of those
 * codes, each vm.cfg that could not be read and each disk that could not be examined, and no repository.
 */
export function gapsOf(scan: ScanResult): Gap[] {
  const gaps = new Map<string, Gap>();
  const add = (gap: Gap): void => {
    const key = `${gap.code}\u0000${gap.file ?? ""}\u0000${gap.message}`;
    if (!gaps.has(key)) gaps.set(key, gap);
  };
  for (const d of scan.diagnostics) {
    if (GAP_CODES.has(d.code)) add({ code: d.code, file: d.file, message: d.message });
  }
  // A vm.cfg that could not be read at all, a disk (or a folder on its way) that could not be examined. A
  // vm.cfg read with errors is not a gap: it was read, and `parse-error` (coverage none) says what is wrong.
  for (const owner of [...scan.guests, ...scan.templates]) {
    for (const d of owner.diagnostics) {
      if (OWNER_GAP_CODES.has(d.code)) add({ code: d.code, file: d.file, message: d.message });
    }
  }
  const said = [...gaps.values()].some((g) => g.code === "no-repositories" || g.code === "root-not-found");
  if (scan.repositories.length === 0 && !said) {
    const none = diagnostic("error", "no-repositories", "no repository was found under the ROOTs", {
      file: null,
      line: null,
      column: null,
    });
    add({ code: none.code, file: none.file, message: none.message });
  }
  return [...gaps.values()];
}

/** The `complete` and `incomplete` fields of a document made from these scans. */
export function completenessOf(...scans: ScanResult[]): { complete: boolean; incomplete: Gap[] } {
  const incomplete = scans.flatMap(gapsOf);
  return { complete: incomplete.length === 0, incomplete };
}

/**
 * The repositories a scan did not see though the estate reaches them: folders beside a ROOT that is one
 * repository, and repositories named in a disk path (`/OVS/Repositories/<X>/…`) that no ROOT holds. Their
 * guests may use the scanned files: no "not shared" or "safe" is complete about them. Names, sorted.
 */
export function unscannedRepositories(scan: ScanResult): string[] {
  const names = new Set((scan.unscanned ?? []).map((folder) => folder.slice(folder.lastIndexOf("/") + 1)));
  for (const owner of [...scan.guests, ...scan.templates]) {
    for (const disk of owner.disks) {
      if (disk.repository !== null || disk.path === null || !disk.path.startsWith(LIVE_REPOSITORIES))
        continue;
      const name = disk.path.slice(LIVE_REPOSITORIES.length).split("/", 1)[0];
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}
