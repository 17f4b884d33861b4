// Schemas of the `scan` document: repositories, their files, guests and templates with classified disks.
import { z } from "zod";
import { CompletenessFields, DiagnosticSchema } from "./diagnostic.js";
import { LocatedDiskSchema } from "./parse.js";

/** What a repository is for: by naming convention ("Guests…"/"Templates…") or by policy. */
export const RoleSchema = z.enum(["guests", "resources"]).nullable();
/** What a repository is for. */
export type Role = z.infer<typeof RoleSchema>;

/** What a disk entry refers to, once the repositories are known (docs/domain.md, Disk entries). */
export const ReferenceKindSchema = z.enum([
  "virtual-disk",
  "iso",
  "empty-cdrom",
  "physical-disk",
  "external-file",
]);
/** What a disk entry refers to. */
export type ReferenceKind = z.infer<typeof ReferenceKindSchema>;

/** Which part of a repository a file sits in (the first folder of its path). */
export const AreaSchema = z.enum([
  "VirtualDisks",
  "ISOs",
  "Assemblies",
  "VirtualMachines",
  "Templates",
  "other",
]);
/** Which part of a repository a file sits in. */
export type Area = z.infer<typeof AreaSchema>;

/** What an lstat says a path is (a link is never followed). */
export const FileTypeSchema = z.enum([
  "file",
  "directory",
  "symlink",
  "fifo",
  "socket",
  "block-device",
  "character-device",
]);
/** What an lstat says a path is. */
export type FileType = z.infer<typeof FileTypeSchema>;

/**
 * The walker's verdict on a file a guest uses: `file` (a regular file inside its repository), `not-a-file`
 * (a folder, FIFO, socket or device: never opened), `missing`, `leaves` (a link out of its repository,
 * never followed), `dangling` (a link to nothing), `loop` (too many links), `unreadable` (a component could
 * not be examined).
 */
export const FileStateSchema = z.enum([
  "file",
  "not-a-file",
  "missing",
  "leaves",
  "dangling",
  "loop",
  "unreadable",
]);
/** The walker's verdict on a file a guest uses. */
export type FileState = z.infer<typeof FileStateSchema>;

/** A file (or symbolic link) found in a repository, with its sizes; never followed out of the repository. */
export const RepositoryFileSchema = z.object({
  /** Path relative to the repository root. */
  file: z.string(),
  area: AreaSchema,
  /** `file`, `symlink` (a link, inside or leaving), or `other` (device, socket…). */
  type: z.enum(["file", "symlink", "other"]),
  bytes: z.number().nullable(),
  allocatedBytes: z.number().nullable(),
  /** For a link that leaves the repository: the absolute, normalised path it points to. */
  linkTarget: z.string().nullable(),
  /** `SIMPLE_NAME` from `.ovsmeta`, where present. */
  simpleName: z.string().nullable(),
  /** What lstat says it is (for a link: `symlink`; `type` above groups the special files as `other`). */
  fileType: FileTypeSchema,
  /** Device and inode of the entry itself: two names with both equal are one file (hard links). */
  device: z.number(),
  inode: z.number(),
  /** Its hard-link count. */
  links: z.number(),
  /** Last modification, milliseconds since the epoch. */
  mtimeMs: z.number(),
  /** For a symbolic link: its target as written (relative or absolute); else null. */
  link: z.string().nullable(),
});
/** A file found in a repository. */
export type RepositoryFile = z.infer<typeof RepositoryFileSchema>;

/** A scanned repository (docs/json.md `Repository`, plus the names it is known by and its files). */
export const RepositorySchema = z.object({
  id: z.string(),
  /** The scanned folder (absolute). */
  root: z.string(),
  alias: z.string().nullable(),
  role: RoleSchema,
  /** The folder's own name. */
  folder: z.string(),
  /** `OVS_REPO_UUID` from `.ovsrepo`, when present. */
  uuid: z.string().nullable(),
  /** Every name a vm.cfg path may use for it: id, folder name, `--repository` names, alias (when unclaimed). */
  names: z.array(z.string()),
  /** The `KEY=VALUE` lines of `.ovsrepo`. */
  ovsrepo: z.record(z.string(), z.string()),
  /**
   * Symbolic links between the ROOT that holds the repository folder and that folder (absolute): a copy
   * with paths relative to that ROOT passes through them. Usually none.
   */
  linksAbove: z.array(z.string()),
  files: z.array(RepositoryFileSchema),
  /**
   * Every folder that was listed, relative to its root: `""` for its top (listed, not descended into), and
   * every folder of its areas (dot folders are not listed).
   */
  folders: z.array(z.string()),
  /** Folders inside it that could not be listed, with the error: what is below them is unknown. */
  unlisted: z.array(z.object({ file: z.string(), error: z.string() })),
  /**
   * Paths outside the listing that the walker examined while resolving links and disk paths (the top of the
   * repository, folders a link leads to): what lstat said (null with the error when it failed), and a link's
   * target as written.
   */
  examined: z.array(
    z.object({
      file: z.string(),
      fileType: FileTypeSchema.nullable(),
      error: z.string().nullable(),
      link: z.string().nullable(),
      /** What lstat said of it besides its type (null when it failed, or for a folder not entered). */
      bytes: z.number().nullable(),
      allocatedBytes: z.number().nullable(),
      device: z.number().nullable(),
      inode: z.number().nullable(),
      links: z.number().nullable(),
      mtimeMs: z.number().nullable(),
    }),
  ),
});
/** A scanned repository. */
export type Repository = z.infer<typeof RepositorySchema>;

/** A disk entry of a guest or template, resolved against the scanned repositories. */
export const ReferenceSchema = LocatedDiskSchema.extend({
  kind: ReferenceKindSchema,
  repository: z.string().nullable(),
  /**
   * The path relative to `repository` as the vm.cfg names it, before links inside the repository are
   * followed (`file` is where they lead); null outside the scanned repositories.
   */
  named: z.string().nullable(),
  file: z.string().nullable(),
  present: z.boolean().nullable(),
  bytes: z.number().nullable(),
  allocatedBytes: z.number().nullable(),
  linkTarget: z.string().nullable(),
  /** For a file in a scanned repository: the walker's verdict on it; else null. */
  state: FileStateSchema.nullable(),
  /** What backs the entry: a `file`, a `device` (or script target), or nothing (an empty CD-ROM). */
  backing: z.enum(["file", "device"]).nullable(),
  /**
   * Present on a base image (the backing file of a qcow/qcow2 overlay, the parent of a differencing VHD,
   * read-only): the index in `disks` of the vm.cfg entry whose chain it is. Absent on the vm.cfg's own entries.
   */
  backingOf: z.number().int().nonnegative().optional(),
});
/** A resolved disk entry. */
export type Reference = z.infer<typeof ReferenceSchema>;

/** An NFS mount from a guest's backed-up `etc/fstab`. */
export const NfsMountSchema = z.object({
  source: z.string(),
  mountPoint: z.string(),
  fstype: z.string(),
  /** The mount options (fstab's fourth field, `defaults` when it has none). Absent in documents of earlier versions. */
  options: z.string().optional(),
});
/** An NFS mount from a guest's backed-up `etc/fstab`. */
export type NfsMount = z.infer<typeof NfsMountSchema>;

/** A guest or a template: one per vm.cfg file. */
export const OwnerSchema = z.object({
  /** The folder name under `VirtualMachines/` or `Templates/`. */
  id: z.string(),
  uuid: z.string().nullable(),
  name: z.string().nullable(),
  simpleName: z.string().nullable(),
  /** The id of its repository. */
  repository: z.string(),
  /** Its vm.cfg, relative to the repository root. */
  config: z.string(),
  running: z.boolean().nullable(),
  disks: z.array(ReferenceSchema),
  nfsMounts: z.array(NfsMountSchema),
  diagnostics: z.array(DiagnosticSchema),
  /** `guest` (under `VirtualMachines/`) or `template` (under `Templates/`). */
  type: z.enum(["guest", "template"]),
  /** The owner reference `REPOSITORY/VirtualMachines/FOLDER` (or `…/Templates/…`). */
  ref: z.string(),
  /** Absolute path of its vm.cfg in the scanned tree. */
  path: z.string(),
  /** False when its vm.cfg could not be read or has error diagnostics: its disk list cannot be trusted. */
  ok: z.boolean(),
  domainType: z.string().nullable(),
  /** When the vm.cfg itself is a link leaving its repository: where it points (never followed). */
  configLinkTarget: z.string().nullable(),
  /** Apparent and allocated size of the vm.cfg, null when it could not be examined. */
  configBytes: z.number().nullable(),
  configAllocatedBytes: z.number().nullable(),
  /**
   * For a vm.cfg that could not be read fully (`ok` false): the files of the scanned repositories whose
   * name appears anywhere in its text, as `REPOSITORY/FILE` — a conservative over-approximation of what its
   * disk list meant; null when it could not be read at all (it may use any file). Absent when `ok`.
   */
  possibleUses: z.array(z.string()).nullable().optional(),
});
/** A guest or a template. */
export type Owner = z.infer<typeof OwnerSchema>;

/** The `scan` document. */
export const ScanResultSchema = z.object({
  repositories: z.array(RepositorySchema),
  guests: z.array(OwnerSchema),
  templates: z.array(OwnerSchema),
  diagnostics: z.array(DiagnosticSchema),
  /** The ROOT folders as scanned (absolute). */
  roots: z.array(z.string()),
  /**
   * Repository folders beside a ROOT that is one repository, which no ROOT scanned (absolute): guests there
   * may use the scanned files unseen. Absent in documents of earlier versions.
   */
  unscanned: z.array(z.string()).optional(),
  ...CompletenessFields,
});
/** The `scan` document. */
export type ScanResult = z.infer<typeof ScanResultSchema>;
