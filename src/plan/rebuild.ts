// The rebuild sheet of a guest: what it takes to recreate it elsewhere or from an in-guest backup. Pure: the
// scan's owner and what readRebuildSources read in, the sheet out.
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { NFS_MOUNTS_UNKNOWN } from "../scan/completeness.js";
import type { RebuildAddress, RebuildSheet, RebuildSources } from "../schema/rebuild.js";
import type { Owner } from "../schema/scan.js";

/**
 * What an in-guest rsync of `/` never copies: pseudo file systems (`/proc`, `/sys`, `/dev`, `/selinux` on
 * Oracle Linux 5 and 6), volatile ones (`/run`, `/tmp`, `/var/run`, `/var/lock`), and mount and lost-and-found
 * folders. Each as `DIR/*`: the folder itself is kept (the rebuilt guest needs its mount point), not what is in it.
 */
const VOLATILE = [
  "/dev",
  "/proc",
  "/sys",
  "/selinux",
  "/run",
  "/tmp",
  "/var/run",
  "/var/lock",
  "/mnt",
  "/media",
  "/lost+found",
] as const;

/** rsync's wildcard characters, escaped: a pattern with a wildcard is matched with `\` escaping. */
const escapePattern = (folder: string): string => folder.replace(/[\\*?[]/g, (c) => `\\${c}`);

/** The anchored pattern excluding what is in `mountPoint`, or null when no pattern can say it. */
function excludePattern(mountPoint: string): string | null {
  const folder = mountPoint.replace(/\/+$/, "");
  if (!folder.startsWith("/") || /[\r\n]/.test(folder)) return null;
  return `${escapePattern(folder)}/*`;
}

/** Loopback and IPv6 multicast/link-local names of a hosts file: the same on every host, nothing to rebuild. */
const isLocalOnly = (address: string): boolean =>
  /^127\./.test(address) || /^(::1|fe00::0?|ff0[0-2]::[0-9]?)$/i.test(address);

/** The address lines of an `/etc/hosts`, loopback left out. */
function hostsAddresses(file: string, text: string): RebuildAddress[] {
  const addresses: RebuildAddress[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const hash = raw.indexOf("#");
    const [address, ...names] = (hash === -1 ? raw : raw.slice(0, hash)).trim().split(/\s+/);
    if (address === undefined || address === "" || names.length === 0 || isLocalOnly(address)) continue;
    addresses.push({
      source: "hosts",
      file,
      address,
      names,
      netmask: null,
      prefix: null,
      gateway: null,
      hwaddr: null,
    });
  }
  return addresses;
}

/** The `KEY=VALUE` assignments of a shell-style network script, quotes removed. */
function scriptValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (match === null) continue;
    let value = match[2]!.trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted !== null) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, "");
    values.set(match[1]!, value);
  }
  return values;
}

/** Each `IPADDR` (`IPADDR`, `IPADDR0`, `IPADDR1`…) of an `ifcfg-*` network script, with its netmask and gateway. */
function scriptAddresses(file: string, text: string): RebuildAddress[] {
  const values = scriptValues(text);
  const device = values.get("DEVICE") ?? file.slice(file.lastIndexOf("/") + "/ifcfg-".length);
  const addresses: RebuildAddress[] = [];
  for (const suffix of ["", ...Array.from({ length: 256 }, (_, i) => String(i))]) {
    const address = values.get(`IPADDR${suffix}`);
    if (address === undefined || address === "") continue;
    addresses.push({
      source: "network-script",
      file,
      address,
      names: [device],
      netmask: values.get(`NETMASK${suffix}`) ?? null,
      prefix: values.get(`PREFIX${suffix}`) ?? null,
      gateway: values.get(`GATEWAY${suffix}`) ?? values.get("GATEWAY") ?? null,
      hwaddr: values.get("HWADDR") ?? null,
    });
  }
  return addresses;
}

/**
 * The rebuild sheet of `owner`: identity and sizes, disks, network interfaces, the NFS mounts of its
 * backed-up fstab, the addresses of its backed-up hosts file and network scripts, and the rsync exclusion
 * list for an in-guest backup of `/` (volatile file systems and every NFS mount point).
 */
export function rebuildSheet(owner: Owner, sources: RebuildSources): RebuildSheet {
  const diagnostics: Diagnostic[] = [...sources.diagnostics];
  const nfsMountsKnown =
    sources.guestBackup !== null && !owner.diagnostics.some((d) => NFS_MOUNTS_UNKNOWN.has(d.code));
  for (const d of owner.diagnostics) if (NFS_MOUNTS_UNKNOWN.has(d.code)) diagnostics.push(d);
  const exclude: string[] = VOLATILE.map((folder) => `${folder}/*`);
  for (const mount of owner.nfsMounts) {
    const pattern = excludePattern(mount.mountPoint);
    if (pattern === null) {
      diagnostics.push(
        diagnostic(
          "warning",
          "mount-point-not-excludable",
          `NFS mount point ${JSON.stringify(mount.mountPoint)} cannot be an rsync exclusion: exclude it by hand`,
          { file: sources.guestBackup, line: null, column: null },
        ),
      );
    } else if (!exclude.includes(pattern)) exclude.push(pattern);
  }
  return {
    owner: owner.ref,
    name: owner.name,
    simpleName: owner.simpleName,
    uuid: owner.uuid,
    domainType: owner.domainType,
    memory: sources.settings?.memory ?? null,
    vcpus: sources.settings?.vcpus ?? null,
    disks: owner.disks
      .filter((d) => d.backingOf === undefined)
      .map((d) => ({
        vdev: d.vdev,
        devtype: d.devtype,
        kind: d.kind,
        repository: d.repository,
        file: d.file,
        path: d.path,
        bytes: d.bytes,
        allocatedBytes: d.allocatedBytes,
        shareable: d.shareable,
      })),
    vifs: (sources.settings?.vifs ?? []).map((v) => ({ mac: v.mac, bridge: v.bridge })),
    guestBackup: sources.guestBackup,
    nfsMountsKnown,
    nfsMounts: owner.nfsMounts.map((m) => ({
      source: m.source,
      mountPoint: m.mountPoint,
      fstype: m.fstype,
      options: m.options ?? null,
    })),
    addresses: sources.files.flatMap(({ file, text }) =>
      file === "etc/hosts" ? hostsAddresses(file, text) : scriptAddresses(file, text),
    ),
    exclude,
    diagnostics,
  };
}
