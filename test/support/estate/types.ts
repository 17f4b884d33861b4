// The generated estate as its users see it: options, switchable features, and the manifest (the ground truth).

/** The three kinds of vm.cfg writers of domain.md §3. */
export type WriterStyle = "ovm-manager" | "exadata" | "human";

/** What a disk entry refers to (the `kind` of interfaces.md). */
export type EstateDiskKind = "virtual-disk" | "iso" | "empty-cdrom" | "physical-disk" | "external-file";

/** Every feature the generator can put into an estate; all are on unless switched off. */
export const ESTATE_FEATURES = [
  "exadata",
  "isos",
  "emptyCdroms",
  "crossRepositoryDisks",
  "sharedDisks",
  "sharedLuns",
  "xlDisks",
  "externalPaths",
  "segregationBreaches",
  "missingDisks",
  "orphanDisks",
  "strayClones",
  "templateSharedDisk",
  "odaLayout",
  "renamedFolder",
  "uppercaseRaw",
  "innerSymlink",
  "copiedConfig",
  "duplicateKeys",
  "lineEndings",
  "snapshot",
  "assemblies",
  "ovsmeta",
  "guestBackups",
  "xmList",
] as const;

/** One switchable feature of a generated estate. */
export type EstateFeature = (typeof ESTATE_FEATURES)[number];

/** What to generate; every field is optional. */
export interface EstateOptions {
  /** Number of guests (default 12). */
  guests?: number;
  /** Number of templates (default max(2, guests / 1000)). */
  templates?: number;
  /** Number of guest repositories (default max(2, guests / 200)); one "Templates-NFS" repository is added. */
  repositories?: number;
  /** PRNG seed: the same seed and options give the same tree, byte for byte (default 1). */
  seed?: number;
  /** Apparent size of each virtual disk, written sparse (default 8 GiB). */
  diskBytes?: number;
  /** Tiny files only (a short header, no large apparent sizes): for the estate kept in git. */
  example?: boolean;
  /** Switch features off (`{ exadata: false }`); all are on by default. */
  features?: Partial<Record<EstateFeature, boolean>>;
}

/** A generated repository. */
export interface ManifestRepository {
  /** Its folder name, also `OVS_REPO_UUID` in its `.ovsrepo`. */
  id: string;
  alias: string;
  role: "guests" | "resources";
  /** Its folder, relative to the estate root (`repositories/<id>`). */
  dir: string;
  /** Exadata-style repositories hold `VirtualDisks/*` links into `/EXAVMIMAGES`. */
  exadata: boolean;
}

/** One disk entry of a generated vm.cfg (the winning `disk` list when the key is duplicated). */
export interface ManifestDisk {
  /** The entry exactly as written in the vm.cfg. */
  spec: string;
  kind: EstateDiskKind;
  /** Normalised target path; null for an empty CD-ROM. */
  path: string | null;
  /** Repository id for a file inside a generated repository, else null. */
  repository: string | null;
  /** Path relative to that repository's root, links that stay inside resolved; else null. */
  file: string | null;
  /** Whether that file exists (for repository files), else null. */
  present: boolean | null;
  /** Apparent size written, null when absent, a link or not a repository file. */
  bytes: number | null;
  /** Where a link that leaves its repository points (never created), else null. */
  linkTarget: string | null;
  /** Owner references of every guest and template using the same file, LUN or external file. */
  users: string[];
  /** Used by more than one owner (ISOs and empty CD-ROMs never count as shared). */
  shared: boolean;
}

/** An NFS mount from a guest's backed-up `etc/fstab`. */
export interface ManifestNfsMount {
  source: string;
  mountPoint: string;
  fstype: string;
  /** The mount options as the fstab line writes them. */
  options: string;
}

/** Something no repository-level copy covers (as `plan` lists it in `outside`). */
export interface ManifestOutside {
  kind: "physical-disk" | "nfs-mount" | "external-file";
  ref: string;
}

/** What `plan` should derive for an owner: the files of a repository copy, its resources and what is outside. */
export interface ManifestExpected {
  files: { repository: string; file: string; role: "config" | "disk" }[];
  resources: { repository: string; file: string }[];
  outside: ManifestOutside[];
  coverage: "complete" | "partial";
}

/** A generated guest or template: one per vm.cfg file. */
export interface ManifestOwner {
  /** Owner reference `<repository-id>/VirtualMachines/<folder>` or `…/Templates/<folder>`. */
  ref: string;
  type: "guest" | "template";
  repository: string;
  folder: string;
  /** Its vm.cfg relative to the repository root. */
  config: string;
  uuid: string | null;
  name: string;
  simpleName: string | null;
  style: WriterStyle;
  /** The winning `memory` value in MiB. */
  memory: number;
  disks: ManifestDisk[];
  nfsMounts: ManifestNfsMount[];
  /** Listed in xm-list.txt; null when no xm-list.txt was written. */
  running: boolean | null;
  /** Owner reference of the vm.cfg this one is a copy of, else null. */
  copyOf: string | null;
  /** Quirks of its vm.cfg text: `crlf`, `bom`, `duplicate-keys`, `stale-disk-list`, `renamed-folder`… */
  quirks: string[];
  expected: ManifestExpected;
}

/** A file in a repository (or the reference to one), by repository id and relative path. */
export interface ManifestFile {
  repository: string;
  file: string;
}

/** A symbolic link written into a repository. */
export interface ManifestSymlink extends ManifestFile {
  /** The link's target as written. */
  target: string;
  /** True when it resolves outside its repository. */
  leaves: boolean;
}

/** The ground truth of a generated estate. */
export interface EstateManifest {
  /** The estate folder (absolute). */
  root: string;
  seed: number;
  example: boolean;
  /** The folder holding the repository folders, relative to `root`. */
  repositoriesDir: string;
  /** `guest-backups` when written, else null. */
  guestBackupsDir: string | null;
  /** `xm-list.txt` when written, else null. */
  xmList: string | null;
  repositories: ManifestRepository[];
  owners: ManifestOwner[];
  /** Files in `VirtualDisks/` that no vm.cfg references (stray clones included). */
  orphans: ManifestFile[];
  /** Referenced repository files that were not written. */
  missing: (ManifestFile & { owner: string })[];
  copiedConfigs: { uuid: string; original: string; copy: string }[];
  symlinks: ManifestSymlink[];
  /** Paths (relative to `root`) that scanners must ignore: `.snapshot/`, `lost+found/` contents. */
  ignored: string[];
  /** Guest-backup folders that match no guest. */
  unmatchedGuestBackups: string[];
  /** Counts of what was written to disk. */
  counts: { files: number; symlinks: number; apparentBytes: number };
}
