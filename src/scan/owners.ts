// Guests and templates: reading each vm.cfg safely and resolving its disks against the scanned repositories.
import path from "node:path";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import type { LocatedDisk } from "../schema/parse.js";
import type { Owner, Reference } from "../schema/scan.js";
import { backingOf, CHAINED_FORMATS } from "./backing.js";
import type { ConfigReader, ConfigReading } from "./config-reader.js";
import type { RepositoryIdentity, RepositoryIndex } from "./identity.js";
import { OWNER_AREAS, type OwnerFolder } from "./inventory.js";
import type { FsCache, ReadOutcome } from "./io.js";
import { fileState, linkProblem, place, type Walk, walkInRepository, walkNow } from "./walk.js";

/** A vm.cfg bigger than this is not a configuration anyone wrote: reported, not read. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** A repository's own metadata files, at its top. */
const METADATA: ReadonlySet<string> = new Set([".ovsrepo", ".ovsmeta"]);

/** What a disk entry is before looking at any file: a device or script target, or a file path. */
function isDevice(disk: LocatedDisk, target: string): boolean {
  return (
    disk.backend === "phy" || disk.script !== null || (disk.backend === null && target.startsWith("/dev/"))
  );
}

/**
 * The one classifier: a disk entry of the vm.cfg at `config` (absolute) becomes a Reference — its kind,
 * its repository and file, and the walker's verdict on that file. Every later stage reads these fields;
 * none decides again whether an entry is a device or a file, or where a file is.
 */
function resolveDisk(
  disk: LocatedDisk,
  config: string,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
  diagnostics: Diagnostic[],
): Reference {
  const cdrom = disk.devtype === "cdrom";
  const at = { file: config, line: disk.line, column: disk.column };
  if (disk.path === null) return referenceOf(disk, disk.path, "empty-cdrom", null, null);
  if (isDevice(disk, disk.path))
    return referenceOf(disk, disk.path, cdrom ? "iso" : "physical-disk", "device", null);
  const fileKind = cdrom ? "iso" : "external-file";
  if (!disk.path.startsWith("/")) {
    diagnostics.push(
      diagnostic(
        "warning",
        "relative-disk-path",
        `${disk.path} is relative: xend took it from its own working folder`,
        at,
      ),
    );
    return referenceOf(disk, disk.path, fileKind, "file", null);
  }
  const normalised = path.posix.normalize(disk.path);
  const placed = place(index, normalised);
  const written = place(index, disk.path);
  if (
    written.where === "repository" &&
    (placed.where !== "repository" || placed.repository !== written.repository)
  ) {
    diagnostics.push(
      diagnostic(
        "warning",
        "path-escapes-repository",
        `${disk.path} leaves its repository through "..": ${normalised}`,
        at,
      ),
    );
  }
  if (placed.where === "unscanned") {
    const hint =
      placed.suggestion === null
        ? ""
        : `; names differ in case only from scanned repository ${placed.suggestion}`;
    diagnostics.push(
      diagnostic(
        "warning",
        placed.suggestion === null ? "repository-not-scanned" : "repository-name-case",
        `${normalised} is in repository ${placed.name}, which was not scanned${hint}`,
        at,
      ),
    );
  }
  if (placed.where !== "repository") return referenceOf(disk, normalised, fileKind, "file", null);
  const { repository } = placed;
  // After the listing nearly every path is known: the walk is answered at once, with no promise per step.
  const walk = walkNow(repository, placed.rest, index, fs);
  const problem = linkProblem(walk, repository.root, config);
  if (problem) diagnostics.push({ ...problem, line: disk.line, column: disk.column });
  // Repository metadata is a regular file, but never a disk: using it as one is the same mistake as a folder.
  const state = METADATA.has(walk.file) ? "not-a-file" : fileState(walk);
  if (state === "not-a-file") {
    diagnostics.push({
      ...diagnostic("warning", "not-a-file", `${normalised} is not a regular file`, at),
      subject: `${repository.root}/${walk.file}`,
    });
  }
  const regular = walk.state === "found" && state === "file";
  return referenceOf(disk, normalised, cdrom ? "iso" : "virtual-disk", "file", {
    repository: repository.id,
    named: placed.rest,
    file: walk.file,
    present:
      walk.state === "found" || walk.state === "leaves"
        ? true
        : walk.state === "missing" || walk.state === "dangling"
          ? false
          : null,
    bytes: regular ? walk.facts.size : null,
    allocatedBytes: regular ? walk.facts.allocatedBytes : null,
    linkTarget: walk.state === "leaves" ? walk.linkTarget : null,
    state,
  });
}

/** Where a file in a scanned repository is, and what the walker found there. */
type Found = Pick<
  Reference,
  "repository" | "named" | "file" | "present" | "bytes" | "allocatedBytes" | "linkTarget" | "state"
>;

/**
 * A Reference written out field by field (no spread): every later stage reads tens of thousands of them,
 * and objects of one shape are read fast.
 */
function referenceOf(
  disk: LocatedDisk,
  path: string | null,
  kind: Reference["kind"],
  backing: Reference["backing"],
  found: Found | null,
): Reference {
  return {
    spec: disk.spec,
    path,
    vdev: disk.vdev,
    access: disk.access,
    devtype: disk.devtype,
    readonly: disk.readonly,
    shareable: disk.shareable,
    format: disk.format,
    form: disk.form,
    backend: disk.backend,
    script: disk.script,
    line: disk.line,
    column: disk.column,
    kind,
    repository: found?.repository ?? null,
    named: found?.named ?? null,
    file: found?.file ?? null,
    present: found?.present ?? null,
    bytes: found?.bytes ?? null,
    allocatedBytes: found?.allocatedBytes ?? null,
    linkTarget: found?.linkTarget ?? null,
    state: found?.state ?? null,
    backing,
  };
}

/** Apparent and allocated size of a file, null when unknown. */
type Size = { bytes: number | null; allocatedBytes: number | null };

/** A vm.cfg as read: its bytes (null when it could not or must not be read), where it leads, its size. */
interface ConfigRead {
  bytes: Uint8Array | null;
  linkTarget: string | null;
  size: Size;
}

/**
 * What the walk to a vm.cfg decides: the file to read (its path in the scanned tree) and its size, or the
 * outcome without reading it (links leaving the repository are never followed).
 */
function configWalked(
  walk: Walk,
  repository: RepositoryIdentity,
  file: string,
  diagnostics: Diagnostic[],
): ConfigRead | { read: string; size: Size } {
  const at = { file, line: null, column: null };
  const problem = linkProblem(walk, repository.root, file);
  if (problem) diagnostics.push({ ...problem, severity: "error" });
  const unknown: Size = { bytes: null, allocatedBytes: null };
  if (walk.state === "leaves") return { bytes: null, linkTarget: walk.linkTarget, size: unknown };
  if (walk.state !== "found") {
    if (walk.state === "missing") diagnostics.push(diagnostic("error", "unreadable", "vm.cfg is gone", at));
    return { bytes: null, linkTarget: null, size: unknown };
  }
  if (walk.facts.type !== "file") {
    diagnostics.push(diagnostic("error", "unreadable", "vm.cfg is not a regular file", at));
    return { bytes: null, linkTarget: null, size: unknown };
  }
  const size: Size = { bytes: walk.facts.size, allocatedBytes: walk.facts.allocatedBytes };
  if (walk.facts.size > MAX_CONFIG_BYTES) {
    diagnostics.push(
      diagnostic("error", "vm-cfg-too-large", `vm.cfg is ${size.bytes} bytes (over 4 MiB): not read`, at),
    );
    return { bytes: null, linkTarget: null, size };
  }
  return { read: `${repository.root}/${walk.file}`, size };
}

/** The read of a vm.cfg the walk said to read. */
function configBytes(read: ReadOutcome, size: Size, file: string, diagnostics: Diagnostic[]): ConfigRead {
  if (read.bytes === null) {
    const at = { file, line: null, column: null };
    diagnostics.push(diagnostic("error", "unreadable", `cannot read vm.cfg (${read.error})`, at));
  }
  return { bytes: read.bytes, linkTarget: null, size };
}

/**
 * Read the bytes of a vm.cfg, or say why not. The walk saw the folder as a real folder and, usually, the
 * vm.cfg as a plain file: then one lstat is enough; a link (or anything unexpected) takes the
 * component-by-component walk.
 */
async function readConfig(
  repository: RepositoryIdentity,
  folder: OwnerFolder,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
  diagnostics: Diagnostic[],
): Promise<ConfigRead> {
  const rel = `${folder.area}/${folder.folder}/vm.cfg`;
  const file = `${repository.root}/${rel}`;
  const direct = folder.configIsLink ? null : await fs.lstat(file);
  const walk: Walk =
    direct?.facts && direct.facts.type !== "symlink"
      ? { state: "found", file: rel, facts: direct.facts, links: [] }
      : await walkInRepository(repository, rel, index, fs);
  const walked = configWalked(walk, repository, file, diagnostics);
  if (!("read" in walked)) return walked;
  return configBytes(await fs.readFile(walked.read), walked.size, file, diagnostics);
}

/** The same read, now (direct calls): the lstat was made by the listing that found the vm.cfg. */
function readConfigNow(
  repository: RepositoryIdentity,
  folder: OwnerFolder,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
  diagnostics: Diagnostic[],
): ConfigRead {
  const rel = `${folder.area}/${folder.folder}/vm.cfg`;
  const file = `${repository.root}/${rel}`;
  const direct = folder.configIsLink ? null : fs.lstatSync(file);
  const walk: Walk =
    direct?.facts && direct.facts.type !== "symlink"
      ? { state: "found", file: rel, facts: direct.facts, links: [] }
      : walkNow(repository, rel, index, fs);
  const walked = configWalked(walk, repository, file, diagnostics);
  if (!("read" in walked)) return walked;
  return configBytes(fs.readFileNow(walked.read), walked.size, file, diagnostics);
}

/** A guest's or template's vm.cfg, read and parsed, its disks not yet resolved. */
export interface ReadOwner {
  repository: RepositoryIdentity;
  folder: OwnerFolder;
  /** What the owner keeps of the parse; null when the vm.cfg could not be read. */
  parsed: Omit<ConfigReading, "diagnostics"> | null;
  /** Where the vm.cfg points when it is a link leaving its repository (then it is not read). */
  configLinkTarget: string | null;
  /** The vm.cfg's own size. */
  configSize: Size;
  /** Its text when it was read but has errors (to find what it may use), else null. */
  text: string | null;
  diagnostics: Diagnostic[];
}

/** A guest's or template's vm.cfg as read, not yet parsed: `bytes` null when it could not be read. */
export interface UnparsedOwner {
  owner: ReadOwner;
  bytes: Uint8Array | null;
}

/**
 * Read one guest's or template's vm.cfg without parsing it (links leaving the repository are not followed).
 * With direct calls the bytes are read in the listing's own pass.
 */
export async function readUnparsed(
  repository: RepositoryIdentity,
  folder: OwnerFolder,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
): Promise<UnparsedOwner> {
  const diagnostics: Diagnostic[] = [];
  const read =
    fs.mode === "direct"
      ? readConfigNow(repository, folder, index, fs, diagnostics)
      : await readConfig(repository, folder, index, fs, diagnostics);
  return unparsed(repository, folder, read, diagnostics);
}

function unparsed(
  repository: RepositoryIdentity,
  folder: OwnerFolder,
  read: ConfigRead,
  diagnostics: Diagnostic[],
): UnparsedOwner {
  const owner: ReadOwner = {
    repository,
    folder,
    parsed: null,
    configLinkTarget: read.linkTarget,
    configSize: read.size,
    text: null,
    diagnostics,
  };
  return { owner, bytes: read.bytes };
}

/**
 * Parse the bytes of a vm.cfg read by `readUnparsed` into its ReadOwner (a new one; `owner` is kept as it
 * is). Its bytes and text are not kept (only the text of one with errors).
 */
export async function parseOwner(
  { owner, bytes }: { owner: ReadOwner; bytes: Uint8Array },
  reader: Pick<ConfigReader, "read">,
): Promise<ReadOwner> {
  const file = `${owner.repository.root}/${owner.folder.area}/${owner.folder.folder}/vm.cfg`;
  const { ok, config, diagnostics } = await reader.read(bytes, file);
  const all = owner.diagnostics.slice();
  for (const d of diagnostics) all.push(d);
  return {
    repository: owner.repository,
    folder: owner.folder,
    parsed: { ok, config },
    configLinkTarget: owner.configLinkTarget,
    configSize: owner.configSize,
    text: ok ? null : Buffer.from(bytes).toString("utf8"),
    diagnostics: all,
  };
}

/**
 * Read and parse one guest's or template's vm.cfg (links leaving the repository are not followed). With
 * direct calls the bytes are read before this returns (in the listing's own pass); only the parse may wait
 * (for a worker).
 */
export function readOwner(
  repository: RepositoryIdentity,
  folder: OwnerFolder,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
  reader: Pick<ConfigReader, "read">,
): Promise<ReadOwner> {
  const diagnostics: Diagnostic[] = [];
  const parsed = (read: ConfigRead): Promise<ReadOwner> => {
    const { owner, bytes } = unparsed(repository, folder, read, diagnostics);
    return bytes === null ? Promise.resolve(owner) : parseOwner({ owner, bytes }, reader);
  };
  if (fs.mode === "direct") return parsed(readConfigNow(repository, folder, index, fs, diagnostics));
  return readConfig(repository, folder, index, fs, diagnostics).then(parsed);
}

/**
 * Resolve the disks of a read vm.cfg into the Owner. Run once every repository has been listed, so that
 * the files' lstat results are cached. `running` and `nfsMounts` are filled in later.
 */
export function resolveOwner(
  read: ReadOwner,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
): Owner {
  const { repository, folder, parsed } = read;
  const config = `${folder.area}/${folder.folder}/vm.cfg`;
  const file = `${repository.root}/${config}`;
  const diskDiagnostics: Diagnostic[][] = parsed?.config.disks.map(() => []) ?? [];
  const disks = (parsed?.config.disks ?? []).map((disk, i) =>
    resolveDisk(disk, file, index, fs, diskDiagnostics[i]!),
  );
  // A vm.cfg with nothing to identify a guest and no disk (a truncated or emptied file) is no guest
  // description at all: xm could not have created a guest from it.
  const incomplete =
    parsed?.ok === true && parsed.config.name === null && parsed.config.uuid === null && disks.length === 0;
  const diagnostics = [...read.diagnostics, ...diskDiagnostics.flat()];
  if (incomplete) {
    diagnostics.push(
      diagnostic(
        "error",
        "incomplete-vm-cfg",
        "vm.cfg has no name, no uuid and no disk (empty or truncated?): it describes no guest",
        { file, line: null, column: null },
      ),
    );
  }
  const ok = (parsed?.ok ?? false) && !incomplete;
  return {
    id: folder.folder,
    uuid: parsed?.config.uuid ?? null,
    name: parsed?.config.name ?? null,
    simpleName: parsed?.config.simpleName ?? null,
    repository: repository.id,
    config,
    running: null,
    disks,
    nfsMounts: [],
    diagnostics,
    type: OWNER_AREAS[folder.area],
    ref: `${repository.id}/${folder.area}/${folder.folder}`,
    path: file,
    ok,
    domainType: parsed?.config.domainType ?? null,
    configLinkTarget: read.configLinkTarget,
    configBytes: read.configSize.bytes,
    configAllocatedBytes: read.configSize.allocatedBytes,
    // Filled in once every repository's files are known (`possibleUses` in scan.ts): none can be read yet.
    ...(ok ? {} : { possibleUses: null }),
  };
}

/** Parents followed down one disk's backing chain before it counts as a loop. */
const MAX_CHAIN = 16;

/**
 * Add the backing chain of each qcow/qcow2/vhd disk of `owner` to its disks: the base image an overlay reads
 * from is a dependency like the disk itself (it is in the backup set, the graph, and the restore's sharing
 * checks). Each parent is classified as any disk entry is (`resolveDisk`), read-only, with `backingOf` the
 * index of the entry whose chain it is. A header that cannot be read is a `backing-file-unknown` warning.
 */
export async function addBackingChains(
  owner: Owner,
  index: RepositoryIndex<RepositoryIdentity>,
  fs: FsCache,
): Promise<void> {
  const entries = owner.disks.length;
  for (let entry = 0; entry < entries; entry++) {
    const seen = new Set<string>();
    let disk: Reference = owner.disks[entry]!;
    for (let depth = 0; depth <= MAX_CHAIN; depth++) {
      if (disk.format === null || !CHAINED_FORMATS.has(disk.format)) break;
      if (disk.state !== "file" || disk.repository === null || disk.file === null) break;
      const repository = index.named(disk.repository);
      if (repository === undefined) break;
      const image = `${repository.root}/${disk.file}`;
      const at = { file: owner.path, line: disk.line, column: disk.column };
      if (seen.has(image) || depth === MAX_CHAIN) {
        const why = seen.has(image) ? "loops" : `is longer than ${MAX_CHAIN} images`;
        owner.diagnostics.push({
          ...diagnostic("warning", "backing-file-unknown", `the backing chain of ${image} ${why}`, at),
          subject: image,
        });
        break;
      }
      seen.add(image);
      const backing = await backingOf(disk.format, image);
      // A parent that is no image of the overlay's format is a raw base (the usual qcow2 overlay): the end.
      if (backing.error !== null && depth > 0 && backing.notAnImage) break;
      if (backing.error !== null) {
        owner.diagnostics.push({
          ...diagnostic(
            "warning",
            "backing-file-unknown",
            `cannot read the ${disk.format} header of ${image} (${backing.error}): its backing file is unknown`,
            at,
          ),
          subject: image,
        });
        break;
      }
      if (backing.parent === null) break;
      // A relative name is relative to the image's own folder (qemu, vhd-util): the same in the scanned tree.
      const parentPath = backing.parent.startsWith("/")
        ? backing.parent
        : path.posix.join(path.posix.dirname(image), backing.parent);
      const parentDisk: LocatedDisk = {
        ...disk,
        spec: backing.parent,
        path: parentPath,
        access: "r",
        readonly: true,
        shareable: false,
        // The parent's own format is unknown from the child: qcow2 chains are qcow2, VHD chains VHD.
        format: disk.format,
      };
      const parent = {
        ...resolveDisk(parentDisk, owner.path, index, fs, owner.diagnostics),
        backingOf: entry,
      };
      owner.disks.push(parent);
      disk = parent;
    }
  }
}
