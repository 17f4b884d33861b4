// The `rebuild` document: what it takes to recreate one guest elsewhere or from an in-guest backup.
import { z } from "zod";
import { type Diagnostic, DiagnosticSchema } from "./diagnostic.js";
import type { Vif } from "./parse.js";
import { ReferenceKindSchema } from "./scan.js";

/** One disk entry of the guest's vm.cfg, with what the scan found of it. */
export const RebuildDiskSchema = z.object({
  vdev: z.string(),
  devtype: z.enum(["disk", "cdrom"]),
  kind: ReferenceKindSchema,
  /** The scanned repository that holds it, null outside them. */
  repository: z.string().nullable(),
  /** Its path relative to `repository`, null outside the scanned repositories. */
  file: z.string().nullable(),
  /** The target as the vm.cfg names it (a file, a device, a script target); null for an empty CD-ROM. */
  path: z.string().nullable(),
  bytes: z.number().nullable(),
  allocatedBytes: z.number().nullable(),
  shareable: z.boolean(),
});
/** One disk entry of a rebuild sheet. */
export type RebuildDisk = z.infer<typeof RebuildDiskSchema>;

/** An address the guest's backup names: an `/etc/hosts` line, or an `IPADDR` of a network script. */
export const RebuildAddressSchema = z.object({
  /** `hosts` (`etc/hosts`) or `network-script` (`etc/sysconfig/network-scripts/ifcfg-*`). */
  source: z.enum(["hosts", "network-script"]),
  /** The file it is from, relative to the guest's backup folder. */
  file: z.string(),
  address: z.string(),
  /** The host names of a hosts line; for a network script, its `DEVICE` (else the file's suffix). */
  names: z.array(z.string()),
  /** Network scripts: `NETMASK`, `PREFIX`, `GATEWAY`, `HWADDR` as written (null when absent; always null for hosts). */
  netmask: z.string().nullable(),
  prefix: z.string().nullable(),
  gateway: z.string().nullable(),
  hwaddr: z.string().nullable(),
});
/** An address from a guest's backup. */
export type RebuildAddress = z.infer<typeof RebuildAddressSchema>;

/** The `rebuild` document (`ovm-deps rebuild --format json`). */
export const RebuildSheetSchema = z.object({
  /** The guest's owner reference. */
  owner: z.string(),
  name: z.string().nullable(),
  simpleName: z.string().nullable(),
  uuid: z.string().nullable(),
  domainType: z.string().nullable(),
  /** MiB, as the vm.cfg states it; null when it states none or could not be read. */
  memory: z.number().nullable(),
  vcpus: z.number().nullable(),
  /** Each disk entry of the vm.cfg, in its order (base images of overlays are not listed). */
  disks: z.array(RebuildDiskSchema),
  /** Each `vif` entry, in order. */
  vifs: z.array(z.object({ mac: z.string().nullable(), bridge: z.string().nullable() })),
  /** The guest's backup folder (absolute) that was read, null when none (no `--guest-backups`, or no folder matched). */
  guestBackup: z.string().nullable(),
  /** False when the NFS mounts are unknown: no guest backup was read, or its fstab could not be. */
  nfsMountsKnown: z.boolean(),
  /** The NFS mounts of its backed-up `/etc/fstab`; `options` null when the scan did not keep them. */
  nfsMounts: z.array(
    z.object({
      source: z.string(),
      mountPoint: z.string(),
      fstype: z.string(),
      options: z.string().nullable(),
    }),
  ),
  /** Addresses from the backed-up `/etc/hosts` (loopback left out) and network scripts. */
  addresses: z.array(RebuildAddressSchema),
  /** The rsync exclusion patterns for an in-guest backup of `/`, one anchored pattern each. */
  exclude: z.array(z.string()),
  diagnostics: z.array(DiagnosticSchema),
});
/** The `rebuild` document. */
export type RebuildSheet = z.infer<typeof RebuildSheetSchema>;

/** What a rebuild sheet needs beyond the scan, as the scan layer's `readRebuildSources` reads it. */
export interface RebuildSources {
  /** From the guest's vm.cfg; null when it could not be read again (a diagnostic says why). */
  settings: { memory: number | null; vcpus: number | null; vifs: Vif[] } | null;
  /** The guest's backup folder that was read (absolute), null when none. */
  guestBackup: string | null;
  /** `etc/hosts` and each `etc/sysconfig/network-scripts/ifcfg-*` read, by path relative to the folder. */
  files: Array<{ file: string; text: string }>;
  diagnostics: Diagnostic[];
}
