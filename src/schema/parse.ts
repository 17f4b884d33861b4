// Schemas of what the reader produces: disks, the typed guest configuration, the `parse` document.
import { z } from "zod";
import { DiagnosticSchema } from "./diagnostic.js";

/** Normalised access mode of a disk: `rw` → `w`, `ro` → `r`. */
export const AccessSchema = z.enum(["w", "r", "w!", "r!"]);
/** Normalised access mode of a disk. */
export type Access = z.infer<typeof AccessSchema>;

/** A disk entry of a vm.cfg as its backend sees it (docs/json.md `Disk`, plus how it was written). */
export const DiskSchema = z.object({
  spec: z.string(),
  /** The target as written (`file:///x` → `/x`, `phy:sda6` → `/dev/sda6`); null for an empty CD-ROM. */
  path: z.string().nullable(),
  vdev: z.string(),
  access: AccessSchema,
  devtype: z.enum(["disk", "cdrom"]),
  readonly: z.boolean(),
  shareable: z.boolean(),
  format: z.string().nullable(),
  /** Which syntax the entry used: legacy xm `uname,vdev,mode` or xl `key=value`/positional. */
  form: z.enum(["xm", "xl"]),
  /** The backend the spec names (`file`, `phy`, `tap`, `tap2`, `qdisk`), null when it names none. */
  backend: z.string().nullable(),
  /** A block script (`iscsi`, `drbd`, `nbd`, `enbd`, or `script=`): the target is then not a path. */
  script: z.string().nullable(),
});
/** A disk entry of a vm.cfg. */
export type Disk = z.infer<typeof DiskSchema>;

/** A disk entry with where it stands in its vm.cfg (1-based; null when unknown). */
export const LocatedDiskSchema = DiskSchema.extend({
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
});
/** A disk entry with its position in the vm.cfg. */
export type LocatedDisk = z.infer<typeof LocatedDiskSchema>;

/** A network interface entry (`vif`): its `key=value` items. */
export const VifSchema = z.object({
  spec: z.string(),
  mac: z.string().nullable(),
  bridge: z.string().nullable(),
  items: z.record(z.string(), z.string()),
});
/** A network interface entry. */
export type Vif = z.infer<typeof VifSchema>;

/** A JSON rendering of a Python literal (tuples as arrays, dict keys as strings, big ints as strings). */
export type PyJson = string | number | boolean | null | PyJson[] | { [key: string]: PyJson };
/** A JSON rendering of a Python literal. */
export const PyJsonSchema: z.ZodType<PyJson> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(PyJsonSchema),
    z.record(z.string(), PyJsonSchema),
  ]),
);

/** Identity of a guest as its vm.cfg states it. */
export const GuestIdentitySchema = z.object({
  uuid: z.string().nullable(),
  name: z.string().nullable(),
  simpleName: z.string().nullable(),
});
/** Identity of a guest as its vm.cfg states it. */
export type GuestIdentity = z.infer<typeof GuestIdentitySchema>;

/** The typed guest configuration read from a vm.cfg; `values` holds every readable assignment. */
export const GuestConfigSchema = GuestIdentitySchema.extend({
  /** `OVM_domain_type` when present (`xen_hvm`, `xen_pvm`, `xen_hvm_pv`…), else `hvm`/`pv` from `builder`. */
  domainType: z.string().nullable(),
  memory: z.number().nullable(),
  maxmem: z.number().nullable(),
  vcpus: z.number().nullable(),
  maxvcpus: z.number().nullable(),
  disks: z.array(LocatedDiskSchema),
  vifs: z.array(VifSchema),
  values: z.record(z.string(), PyJsonSchema),
});
/** The typed guest configuration read from a vm.cfg. */
export type GuestConfig = z.infer<typeof GuestConfigSchema>;

/** One element of the `parse` document. */
export const ParsedFileSchema = z.object({
  file: z.string(),
  ok: z.boolean(),
  guest: GuestIdentitySchema,
  disks: z.array(LocatedDiskSchema),
  diagnostics: z.array(DiagnosticSchema),
  config: GuestConfigSchema,
});
/** One element of the `parse` document. */
export type ParsedFile = z.infer<typeof ParsedFileSchema>;

/** The `parse` document: one element per file. */
export const ParseDocumentSchema = z.array(ParsedFileSchema);
/** The `parse` document. */
export type ParseDocument = z.infer<typeof ParseDocumentSchema>;
