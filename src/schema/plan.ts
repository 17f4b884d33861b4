// Schemas of the `plan` and `restore` documents: backup sets and restore plans.
import { z } from "zod";
import { CompletenessFields, DiagnosticSchema, WarningSchema } from "./diagnostic.js";

/** A file a repository-level copy must take for a guest. */
export const PlanFileSchema = z.object({
  repository: z.string(),
  file: z.string(),
  /**
   * `config`, `disk`, or `link`: a symbolic link inside the repository on the way to the vm.cfg or a
   * disk (`a.img -> a-real.img`), copied as a link (its target is in the set too).
   */
  role: z.enum(["config", "disk", "link"]),
  /** Absolute, in the scanned tree. */
  path: z.string(),
  bytes: z.number().nullable(),
  allocatedBytes: z.number().nullable(),
  /** For a `link`: its text, as readlink gives it. */
  linkTo: z.string().optional(),
  /** With `plan --checksum`: the SHA-256 of its contents (hex), what `verify` compares a copy against. */
  sha256: z.string().optional(),
});
/** A file a repository-level copy must take for a guest. */
export type PlanFile = z.infer<typeof PlanFileSchema>;

/** An ISO in a scanned repository that a guest uses (backed up with the resources). */
export const ResourceSchema = z.object({ repository: z.string(), file: z.string(), path: z.string() });
/** An ISO a guest uses. */
export type Resource = z.infer<typeof ResourceSchema>;

/** What no repository copy covers: a LUN, an NFS export or a file outside every repository. */
export const OutsideSchema = z.object({
  kind: z.enum(["physical-disk", "nfs-mount", "external-file"]),
  /** The device or target, `host:/export`, or the absolute path (a link's `linkTarget`). */
  ref: z.string(),
  /** What it needs instead of a repository copy. */
  needs: z.string(),
});
/** What no repository copy covers. */
export type Outside = z.infer<typeof OutsideSchema>;

/** A disk, LUN or external file a guest shares with other owners; `users` includes the guest. */
export const SharedSchema = z.object({ ref: z.string(), users: z.array(z.string()) });
/** A shared disk, LUN or external file. */
export type Shared = z.infer<typeof SharedSchema>;

/** How much of a guest a repository-level copy covers. */
export const CoverageSchema = z.enum(["complete", "partial", "none"]);
/** How much of a guest a repository-level copy covers. */
export type Coverage = z.infer<typeof CoverageSchema>;

/** The backup set of one guest or template. */
export const PlanSchema = z.object({
  id: z.string(),
  uuid: z.string().nullable(),
  simpleName: z.string().nullable(),
  repository: z.string(),
  /** Its owner reference. */
  owner: z.string(),
  coverage: CoverageSchema,
  files: z.array(PlanFileSchema),
  resources: z.array(ResourceSchema),
  outside: z.array(OutsideSchema),
  shared: z.array(SharedSchema),
  running: z.boolean().nullable(),
  warnings: z.array(WarningSchema),
});
/** The backup set of one guest or template. */
export type Plan = z.infer<typeof PlanSchema>;

/** Backup space a rotation needs: allocated bytes × growth × (retain + adhoc). */
export const CapacitySchema = z.object({
  retain: z.number(),
  adhoc: z.number(),
  growth: z.number(),
  bytes: z.number(),
});
/** Backup space a rotation needs. */
export type Capacity = z.infer<typeof CapacitySchema>;

/** The `plan` document. */
export const PlanResultSchema = z.object({
  guests: z.array(PlanSchema),
  totals: z.object({ bytes: z.number(), allocatedBytes: z.number(), capacity: CapacitySchema.optional() }),
  ...CompletenessFields,
});
/** The `plan` document. */
export type PlanResult = z.infer<typeof PlanResultSchema>;

/** One file to copy back from the backup into the live tree. */
export const RestoreActionSchema = z.object({
  guest: z.string(),
  repository: z.string(),
  file: z.string(),
  source: z.string(),
  target: z.string(),
  /**
   * `create` (nothing at the target), `overwrite`, or `unchanged`: the target has the source's size and
   * mtime (rsync's quick check), so nothing is copied — `list` and `script` leave it out.
   */
  action: z.enum(["create", "overwrite", "unchanged"]),
  /** The source's apparent size. */
  bytes: z.number().nullable(),
  /** The source's allocated size: what a sparse-preserving copy writes (a thin disk stays thin). */
  allocatedBytes: z.number().nullable(),
  /** The source's mtime (milliseconds since the epoch), as the scan saw it. */
  mtimeMs: z.number().nullable(),
  /** The target as the live scan saw it: size and mtime, null for `create`. A copy checks it is unchanged. */
  targetBytes: z.number().nullable(),
  targetMtimeMs: z.number().nullable(),
  /**
   * Symbolic links on the way to the source or target that stay inside their repository. A copy
   * goes through them; rsync replaces them with real folders, so `list` refuses such an action.
   */
  links: z.array(z.string()),
  /**
   * Present when the file is a symbolic link inside the repository that the set carries as a link (a disk
   * or vm.cfg reached through it): its text. A copy makes the link (`ln -s`, rsync `-l`), never follows it.
   */
  linkTo: z.string().optional(),
});
/** One file to copy back. */
export type RestoreAction = z.infer<typeof RestoreActionSchema>;

/** Why a restore is refused. */
export const BlockReasonSchema = z.enum([
  "shared",
  "used-by-other",
  "missing-in-backup",
  "outside-repository",
  "unsafe-symlink",
  "guest-running",
  "uuid-conflict",
  /** The repository a file belongs to has no counterpart among the live ROOTs (docs/diagnostics.md). */
  "no-live-repository",
  /** A FIFO, socket, device or folder where a disk or vm.cfg should be, on either side: never copied. */
  "not-a-regular-file",
  /** A file of the restore, or a folder on its way, could not be examined: what a copy would do is unknown. */
  "unreadable",
  /** A file shares its inode with another owner's file, or has names the scanned trees do not show. */
  "hard-linked",
  /** Source and target are one file (one inode): the backup is not independent of the live tree. */
  "same-file",
  /** The backup and live repositories paired by name declare different `OVS_REPO_UUID`s. */
  "repository-mismatch",
  /**
   * A disk or vm.cfg (or a link on its way) is a link on one side and a regular file on the other, or a
   * link with another text: the copy would not put back what the guest opens.
   */
  "type-changed",
  /** A vm.cfg that could not be read fully (or a folder of vm.cfg files that could not be listed) may use the file. */
  "users-unknown",
  /** The backed-up vm.cfg of the guest could not be read fully: its disk list cannot be trusted. */
  "config-unreadable",
  /** `--xm-list` was given but is not an `xm list` table (or could not be read): running guests are unknown. */
  "xm-list-invalid",
  /** `restore --as-new`: the guest uses a LUN (`phy:`), which a second guest would be attached to too. */
  "physical-disk",
  /** `restore --as-new`: the guest's OS mounts an NFS export, which the restored guest would mount too. */
  "nfs-mount",
  /** `restore --as-new`: the guest uses a file outside every repository, which the restored guest would use too. */
  "external-file",
  /** `restore --as-new`: something is already where a new folder or disk would be created. */
  "target-exists",
]);
/** Why a restore is refused. */
export type BlockReason = z.infer<typeof BlockReasonSchema>;

/** A refusal: which guest, which file or thing, why, and who else is involved. */
export const BlockedSchema = z.object({
  guest: z.string(),
  ref: z.string(),
  reason: BlockReasonSchema,
  users: z.array(z.string()),
});
/** A refusal. */
export type Blocked = z.infer<typeof BlockedSchema>;

/** The `restore` document. */
export const RestoreResultSchema = z.object({
  safe: z.boolean(),
  guests: z.array(z.string()),
  actions: z.array(RestoreActionSchema),
  blocked: z.array(BlockedSchema),
  outside: z.array(OutsideSchema.extend({ guest: z.string() })),
  warnings: z.array(WarningSchema),
  /** The ROOTs as scanned (absolute): `list` output is relative to them. */
  roots: z.object({ live: z.array(z.string()), backup: z.array(z.string()) }),
  /**
   * Per live repository written to: the allocated bytes the copies write (unchanged files excepted), to
   * hold against the free space of its file system when copying (free space changes by the second, so it
   * is checked by the copy step, not recorded here).
   */
  space: z.array(z.object({ repository: z.string(), root: z.string(), neededBytes: z.number() })),
  /**
   * The name people know each owner the document mentions by (its simple name, else `name`), by owner
   * reference: the backup's, then the live tree's. Owners without a name are left out.
   */
  names: z.record(z.string(), z.string()).optional(),
  ...CompletenessFields,
});
/** The `restore` document. */
export type RestoreResult = z.infer<typeof RestoreResultSchema>;

/** A file of the resource set: a template's vm.cfg or disk, an ISO, or a file of an assembly. */
export const ResourceFileSchema = z.object({
  repository: z.string(),
  file: z.string(),
  role: z.enum(["config", "disk", "link", "iso", "assembly"]),
  /** Absolute, in the scanned tree. */
  path: z.string(),
  bytes: z.number().nullable(),
  allocatedBytes: z.number().nullable(),
  /** The template it belongs to (owner reference), null for ISOs and assemblies. */
  owner: z.string().nullable(),
  /** For a `link` (inside the repository, on the way to a template's vm.cfg or disk): its text. */
  linkTo: z.string().optional(),
});
/** A file of the resource set. */
export type ResourceFile = z.infer<typeof ResourceFileSchema>;

/** The `plan --resources` document: what resources repositories hold, backed up on their own schedule. */
export const ResourcePlanSchema = z.object({
  repositories: z.array(z.object({ id: z.string(), alias: z.string().nullable(), root: z.string() })),
  /**
   * Repositories that hold templates, ISOs or assemblies but have no `resources` role: this plan does not
   * copy them (give them the role with an alias or a policy). Absent in documents of earlier versions.
   */
  uncovered: z.array(z.object({ id: z.string(), alias: z.string().nullable(), root: z.string() })).optional(),
  /** The backup set of each template in those repositories (as `plan --guest` gives it). */
  templates: z.array(PlanSchema),
  /** Every file to copy, each once: templates' vm.cfg and disks, ISOs, assemblies. */
  files: z.array(ResourceFileSchema),
  /** Links in those repositories that leave them, and what templates need outside any repository. */
  outside: z.array(OutsideSchema.extend({ owner: z.string().nullable() })),
  totals: z.object({ bytes: z.number(), allocatedBytes: z.number(), capacity: CapacitySchema.optional() }),
  ...CompletenessFields,
});
/** The `plan --resources` document. */
export type ResourcePlan = z.infer<typeof ResourcePlanSchema>;

/** What `verify` found of one file of a manifest in the trees it checked. */
export const VerifiedFileSchema = z.object({
  repository: z.string(),
  file: z.string(),
  /** `ok`, `missing`, `size-differs`, or `changed` (the SHA-256 differs, or a link's text). */
  status: z.enum(["ok", "missing", "size-differs", "changed"]),
  /** How it was compared: by `sha256` (the manifest has one) or by `size` only. */
  compared: z.enum(["sha256", "size"]),
  /** Where it was looked for (absolute), null when no ROOT holds its repository. */
  path: z.string().nullable(),
});
/** What `verify` found of one file. */
export type VerifiedFile = z.infer<typeof VerifiedFileSchema>;

/** The `verify` document: each selected guest of a manifest (a saved `plan --format json`) against trees. */
export const VerifyResultSchema = z.object({
  /** True when every selected guest is `ok`. */
  ok: z.boolean(),
  guests: z.array(
    z.object({
      owner: z.string(),
      /** Its simple name, else null. */
      name: z.string().nullable(),
      /** `ok`, `incomplete` (a file is missing), or `changed` (a file differs). */
      status: z.enum(["ok", "incomplete", "changed"]),
      files: z.array(VerifiedFileSchema),
    }),
  ),
  diagnostics: z.array(DiagnosticSchema),
  ...CompletenessFields,
});
/** The `verify` document. */
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

/** An id of the guest restored as new, before and after (`old` null where the backed-up vm.cfg had none). */
const RenamedSchema = z.object({ old: z.string().nullable(), new: z.string() });

/** A file `restore --as-new` creates: a copy of a backed-up disk, or the rewritten vm.cfg. */
export const AsNewFileSchema = z.object({
  role: z.enum(["config", "disk"]),
  /** Relative to its repository: in the backup (`old`), in the target repository (`new`). */
  old: z.string(),
  new: z.string(),
  /** The backed-up file (absolute); for the vm.cfg, the one it was rewritten from. */
  source: z.string(),
  /** Where it is created (absolute, in the live tree); nothing may be there. */
  target: z.string(),
  /** The disk entry of the vm.cfg before and after (null for the vm.cfg itself). */
  spec: z.object({ old: z.string(), new: z.string() }).nullable(),
  /** The source's apparent and allocated size and mtime, as the backup scan saw them (the vm.cfg: the new text's size). */
  bytes: z.number().nullable(),
  allocatedBytes: z.number().nullable(),
  mtimeMs: z.number().nullable(),
});
/** A file `restore --as-new` creates. */
export type AsNewFile = z.infer<typeof AsNewFileSchema>;

/** What the restored guest keeps using without a copy, and what to do about it. */
export const AsNewKeptSchema = z.object({
  kind: z.enum(["iso", "shared-disk", "physical-disk", "nfs-mount", "external-file", "base-image"]),
  /** The path, device or `host:/export`. */
  ref: z.string(),
  /** What the administrator should do (or know) about it. */
  todo: z.string(),
});
/** What the restored guest keeps using without a copy. */
export type AsNewKept = z.infer<typeof AsNewKeptSchema>;

/**
 * The `restore --as-new` document: a backed-up guest restored beside the live tree as a new guest — fresh
 * uuid, folder, name and disk file names, new MACs — with every id and file mapped old → new.
 */
export const AsNewRestoreSchema = z.object({
  safe: z.boolean(),
  /** The guest restored, as the backup scan names it (owner reference). */
  guest: z.string(),
  /** The live repository the new guest is created in. */
  repository: z.object({ id: z.string(), root: z.string() }),
  uuid: RenamedSchema,
  /** The folder under `VirtualMachines/` (or `Templates/`). */
  folder: RenamedSchema,
  /** The `name` key. */
  name: RenamedSchema,
  /** The `OVM_simple_name` key. */
  simpleName: RenamedSchema,
  /** The disks copied, then the vm.cfg, in the order the script creates them. */
  files: z.array(AsNewFileSchema),
  /** The new vm.cfg: its text and SHA-256 (the script checks what it wrote against it). */
  config: z.object({ text: z.string(), sha256: z.string() }),
  /** Each `vif` entry's MAC, before and after (`item`: its index in the `vif` list). */
  macs: z.array(z.object({ item: z.number().int(), old: z.string(), new: z.string() })),
  kept: z.array(AsNewKeptSchema),
  blocked: z.array(BlockedSchema),
  warnings: z.array(WarningSchema),
  roots: z.object({ live: z.array(z.string()), backup: z.array(z.string()) }),
  /** The allocated bytes the copies write into the target repository. */
  space: z.array(z.object({ repository: z.string(), root: z.string(), neededBytes: z.number() })),
  names: z.record(z.string(), z.string()).optional(),
  ...CompletenessFields,
});
/** The `restore --as-new` document. */
export type AsNewRestore = z.infer<typeof AsNewRestoreSchema>;

/** What `restore --as-new` reads beyond the scans (`readAsNewSources`): the vm.cfg of the guest, and the MACs the scanned vm.cfg files give their interfaces. */
export interface AsNewSources {
  /** The vm.cfg read (absolute): the backed-up guest's. */
  path: string;
  /** The backed-up vm.cfg's bytes, or why it could not be read. */
  config: { bytes: Uint8Array; error: null } | { bytes: null; error: string };
  /** Every `mac=` of every readable vm.cfg of the scans, lowercase. */
  macs: Set<string>;
  /** vm.cfg files whose MACs could not be read: a new MAC might equal one of theirs. */
  unread: string[];
}
