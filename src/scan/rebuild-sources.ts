// What a rebuild sheet needs beyond the scan: the guest's vm.cfg settings (memory, vcpus, vifs) and, from its
// backed-up root file system, `etc/hosts` and the network scripts. Read only, capped, never through a link.
import path from "node:path";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { MAX_SOURCE_BYTES, readVmCfg } from "../parse/index.js";
import type { RebuildSources } from "../schema/rebuild.js";
import type { Owner, ScanResult } from "../schema/scan.js";
import { guestMatcher } from "./guest-backups.js";
import { FsCache, listFolder } from "./io.js";

/** A hosts file or a network script is small; a bigger one is not one. */
const MAX_GUEST_FILE_BYTES = 1024 * 1024;
/** More network scripts than this in one folder is not a guest's network configuration. */
const MAX_NETWORK_SCRIPTS = 256;

/** The folder of the network scripts, relative to the guest's backup folder. */
const NETWORK_SCRIPTS = ["etc", "sysconfig", "network-scripts"];

/** Options of `readRebuildSources`. */
export interface RebuildSourceOptions {
  /** The `--guest-backups` folder (absolute), null without one. */
  guestBackups: string | null;
}

const at = (file: string) => ({ file, line: null, column: null });

/**
 * Whether every folder of `parts` below `top` is a real folder: `ok`, `absent` (one is not there), or the
 * folder that is something else — a link, which could leave the backup, is never followed.
 */
async function foldersInside(
  top: string,
  parts: readonly string[],
  fs: FsCache,
): Promise<"ok" | "absent" | { notAFolder: string }> {
  for (let i = 1; i <= parts.length; i++) {
    const folder = path.join(top, ...parts.slice(0, i));
    const outcome = await fs.lstat(folder);
    if (outcome.facts === null) return "absent";
    if (outcome.facts.type !== "directory") return { notAFolder: folder };
  }
  return "ok";
}

/** Read `DIR/...parts` inside a guest backup: null when absent; a diagnostic when there but unreadable. */
async function readGuestFile(
  top: string,
  parts: readonly string[],
  fs: FsCache,
  diagnostics: Diagnostic[],
): Promise<string | null> {
  const file = path.join(top, ...parts);
  const folders = await foldersInside(top, parts.slice(0, -1), fs);
  if (folders === "absent") return null;
  if (folders !== "ok") {
    // Unknown, never empty: what the guest's file says could not be read.
    diagnostics.push(
      diagnostic(
        "warning",
        "guest-file-unreadable",
        "a folder on its way is a link or no folder: not followed",
        at(folders.notAFolder),
      ),
    );
    return null;
  }
  const read = await fs.readRegularFile(file, MAX_GUEST_FILE_BYTES);
  if (read.bytes !== null) return read.bytes.toString("utf8");
  if (read.error !== "ENOENT")
    diagnostics.push(diagnostic("warning", "guest-file-unreadable", `cannot read (${read.error})`, at(file)));
  return null;
}

/** The vm.cfg settings of `owner`, read again (the scan keeps only what every command needs). */
async function readSettings(
  owner: Owner,
  fs: FsCache,
  diagnostics: Diagnostic[],
): Promise<RebuildSources["settings"]> {
  if (owner.configLinkTarget !== null) return null;
  const read = await fs.readRegularFile(owner.path, MAX_SOURCE_BYTES);
  if (read.bytes === null) {
    diagnostics.push(diagnostic("warning", "unreadable", `cannot read (${read.error})`, at(owner.path)));
    return null;
  }
  const { settings } = readVmCfg(read.bytes, { file: owner.path });
  return { memory: settings.memory, vcpus: settings.vcpus, vifs: settings.vifs };
}

/** The folder of `guestBackups` that is `owner`'s (the first, by name, when several are), or null. */
async function backupFolderOf(
  guestBackups: string,
  owner: Owner,
  scan: ScanResult,
  diagnostics: Diagnostic[],
): Promise<string | null> {
  const listed = await listFolder(guestBackups);
  if (listed.entries === null) return null; // the scan said so already (guest-backups-unreadable)
  const matches = guestMatcher(scan.guests);
  const folder = listed.entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .find((name) => matches(name).some((guest) => guest.ref === owner.ref));
  if (folder !== undefined) return path.join(guestBackups, folder);
  diagnostics.push(
    diagnostic(
      "warning",
      "guest-backup-not-found",
      `no folder is named after ${owner.simpleName ?? owner.name ?? owner.id}: NFS mounts and addresses unknown`,
      at(guestBackups),
    ),
  );
  return null;
}

/**
 * Read what a rebuild sheet of `owner` needs beyond `scan`: its vm.cfg settings again, and from its folder
 * in `guestBackups` (matched as the scan matches it) `etc/hosts` and the `ifcfg-*` network scripts. Links
 * are never followed: a link in a copy of a guest's file system would lead to the scanning host's files.
 */
export async function readRebuildSources(
  scan: ScanResult,
  owner: Owner,
  options: RebuildSourceOptions,
): Promise<RebuildSources> {
  const fs = new FsCache();
  const diagnostics: Diagnostic[] = [];
  const settings = await readSettings(owner, fs, diagnostics);
  const guestBackup =
    options.guestBackups === null
      ? null
      : await backupFolderOf(options.guestBackups, owner, scan, diagnostics);
  const files: RebuildSources["files"] = [];
  if (guestBackup === null) return { settings, guestBackup, files, diagnostics };
  const hosts = await readGuestFile(guestBackup, ["etc", "hosts"], fs, diagnostics);
  if (hosts !== null) files.push({ file: "etc/hosts", text: hosts });
  const scriptsFolder = await foldersInside(guestBackup, NETWORK_SCRIPTS, fs);
  if (typeof scriptsFolder === "object") {
    diagnostics.push(
      diagnostic(
        "warning",
        "guest-file-unreadable",
        "a folder on the way to the network scripts is a link or no folder: not followed",
        at(scriptsFolder.notAFolder),
      ),
    );
  } else if (scriptsFolder === "ok") {
    const folder = path.join(guestBackup, ...NETWORK_SCRIPTS);
    const listed = await listFolder(folder);
    if (listed.entries === null)
      diagnostics.push(
        diagnostic("warning", "guest-file-unreadable", `cannot list (${listed.error})`, at(folder)),
      );
    const scripts = (listed.entries ?? [])
      .map((e) => e.name)
      .filter((name) => name.startsWith("ifcfg-") && name !== "ifcfg-lo")
      .sort()
      .slice(0, MAX_NETWORK_SCRIPTS);
    for (const name of scripts) {
      const text = await readGuestFile(guestBackup, [...NETWORK_SCRIPTS, name], fs, diagnostics);
      if (text !== null) files.push({ file: [...NETWORK_SCRIPTS, name].join("/"), text });
    }
  }
  return { settings, guestBackup, files, diagnostics };
}
