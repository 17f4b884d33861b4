// Synthetic Oracle VM 3 estates: writes realistic repository trees and returns the manifest (the ground truth).
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join, posix, resolve } from "node:path";

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

// ---------------------------------------------------------------------------------------------
// Randomness: a small seeded PRNG, so a seed always gives the same estate.

/** mulberry32: tiny, fast, good enough for test data. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("Random.pick: empty list");
    return item;
  }

  hex(digits: number): string {
    let out = "";
    for (let i = 0; i < digits; i++) out += "0123456789abcdef"[this.int(16)];
    return out;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

// Object type numbers of Oracle VM ids (domain.md §2). Assemblies' 0009 is an assumption.
const TYPE = {
  repository: "0003",
  vm: "0006",
  disk: "0012",
  template: "0014",
  iso: "0015",
  assembly: "0009",
};

const ovmId = (rng: Random, type: string): string => `0004fb00${type}0000${rng.hex(16)}`;
const dashed = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
const uuid4Hex = (rng: Random): string =>
  `${rng.hex(12)}4${rng.hex(3)}${rng.pick(["8", "9", "a", "b"])}${rng.hex(15)}`;

// ---------------------------------------------------------------------------------------------
// Python literals, as the three writers print them.

type Py = string | number | boolean | Py[];

const pyString = (value: string, quote: "'" | '"'): string =>
  quote + value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`) + quote;

function pyRepr(value: Py, quote: "'" | '"', listSeparator = ", "): string {
  if (typeof value === "string") return pyString(value, quote);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  return `[${value.map((item) => pyRepr(item, quote)).join(listSeparator)}]`;
}

// ---------------------------------------------------------------------------------------------
// The estate being built: repositories, owners, and every file to write (paths relative to the estate).

type Entry =
  | { type: "text"; content: string }
  | { type: "disk"; header: string; bytes: number; simpleName: string | null }
  | { type: "link"; target: string };

interface DiskPlan {
  spec: string;
  kind: EstateDiskKind;
  path: string | null;
  repository: ManifestRepository | null;
  file: string | null;
  linkTarget: string | null;
}

interface OwnerPlan {
  type: "guest" | "template";
  repository: ManifestRepository;
  folder: string;
  uuid: string | null;
  name: string;
  simpleName: string | null;
  style: WriterStyle;
  memory: number;
  vcpus: number;
  disks: DiskPlan[];
  /** A disk list an earlier duplicate `disk` key held (humans edit; the last one wins). */
  staleDisks: string[];
  nfsMounts: ManifestNfsMount[];
  copyOf: OwnerPlan | null;
  quirks: string[];
  /** Set by the layout features before the system disk is attached. */
  layout: "standard" | "oda" | "raw";
  nextDisk: number;
  nextCdrom: number;
}

interface Estate {
  rng: Random;
  root: string;
  seed: number;
  example: boolean;
  diskBytes: number;
  guestCount: number;
  templateCount: number;
  on: (feature: EstateFeature) => boolean;
  repositories: ManifestRepository[];
  templatesRepository: ManifestRepository;
  guests: OwnerPlan[];
  templates: OwnerPlan[];
  /** Guests already given a special identity or layout, so features do not collide. */
  claimed: Set<OwnerPlan>;
  entries: Map<string, Entry>;
  symlinks: ManifestSymlink[];
  copiedConfigs: { uuid: string; original: string; copy: string }[];
  ignored: string[];
  unmatchedGuestBackups: string[];
  isoFiles: string[];
  xmListNames: Set<string> | null;
  guestBackupsWritten: boolean;
}

const WORDS = ["erp", "crm", "web", "db", "mail", "ldap", "build", "wiki", "app", "batch", "dwh", "soa"];
const repoPath = (repository: ManifestRepository, file: string): string =>
  `/OVS/Repositories/${repository.id}/${file}`;
const entryPath = (repository: ManifestRepository, file: string): string => `${repository.dir}/${file}`;
const ownerRef = (owner: OwnerPlan): string =>
  `${owner.repository.id}/${owner.type === "guest" ? "VirtualMachines" : "Templates"}/${owner.folder}`;
const configFile = (owner: OwnerPlan): string =>
  `${owner.type === "guest" ? "VirtualMachines" : "Templates"}/${owner.folder}/vm.cfg`;
/** How many of `total` a feature touches: a share, but at least `min`. */
const scaled = (total: number, share: number, min = 1): number => Math.max(min, Math.round(total * share));

/** Record a sparse disk (or ISO) file: a short header naming it, then holes up to the apparent size. */
function addDiskFile(
  estate: Estate,
  repository: ManifestRepository,
  file: string,
  simpleName: string | null,
): void {
  const header = `OVMDISK ${repository.id}/${file}\n`;
  const bytes = estate.example ? header.length : estate.diskBytes;
  estate.entries.set(entryPath(repository, file), { type: "disk", header, bytes, simpleName });
}

function addText(estate: Estate, path: string, content: string): void {
  estate.entries.set(path, { type: "text", content });
}

function addLink(
  estate: Estate,
  repository: ManifestRepository,
  file: string,
  target: string,
  leaves: boolean,
): void {
  estate.entries.set(entryPath(repository, file), { type: "link", target });
  estate.symlinks.push({ repository: repository.id, file, target, leaves });
}

function newOwner(
  fields: Pick<OwnerPlan, "type" | "repository" | "folder" | "uuid" | "name" | "simpleName" | "style">,
  rng: Random,
): OwnerPlan {
  return {
    ...fields,
    memory: rng.pick([2048, 4096, 8192, 16384, 32768, 65536]),
    vcpus: rng.pick([1, 2, 4, 8]),
    disks: [],
    staleDisks: [],
    nfsMounts: [],
    copyOf: null,
    quirks: [],
    layout: "standard",
    nextDisk: 0,
    nextCdrom: 2,
  };
}

const nextDiskVdev = (owner: OwnerPlan): string => `xvd${String.fromCharCode(97 + owner.nextDisk++)}`;
/** IDE CD-ROM drives start at hdc, as xend's examples do. */
const nextHdCdrom = (owner: OwnerPlan): string => `hd${String.fromCharCode(97 + owner.nextCdrom++)}:cdrom`;
/** Oracle VM Manager numbers CD-ROMs among the xvd disks; humans use IDE names. */
const nextCdromVdev = (owner: OwnerPlan): string =>
  owner.style === "ovm-manager" ? `${nextDiskVdev(owner)}:cdrom` : nextHdCdrom(owner);

/** The legacy `uname` prefix a writer uses for file-backed disks. */
const fileUname = (owner: OwnerPlan, path: string): string =>
  owner.style === "human" && owner.nextDisk % 2 === 1 ? `tap:aio:${path}` : `file:${path}`;

/** Attach a file in a repository as a disk of `owner`: `mode` `w` or `w!`. */
function attachRepositoryDisk(
  owner: OwnerPlan,
  repository: ManifestRepository,
  file: string,
  mode: "w" | "w!" = "w",
): DiskPlan {
  const path = repoPath(repository, file);
  const vdev = nextDiskVdev(owner);
  const disk: DiskPlan = {
    spec: `${fileUname(owner, path)},${vdev},${mode}`,
    kind: "virtual-disk",
    path,
    repository,
    file,
    linkTarget: null,
  };
  owner.disks.push(disk);
  return disk;
}

/** Guests of the given styles that no layout feature has claimed yet. */
function unclaimed(estate: Estate, styles: readonly WriterStyle[]): OwnerPlan[] {
  return estate.guests.filter((g) => !estate.claimed.has(g) && styles.includes(g.style));
}

/** Pick `count` distinct guests (of the given styles) at random. */
function pickGuests(estate: Estate, count: number, styles: readonly WriterStyle[]): OwnerPlan[] {
  return estate.rng.shuffle(estate.guests.filter((g) => styles.includes(g.style))).slice(0, count);
}

const FILE_STYLES: readonly WriterStyle[] = ["ovm-manager", "human"];
const ALL_STYLES: readonly WriterStyle[] = ["ovm-manager", "exadata", "human"];

// ---------------------------------------------------------------------------------------------
// Features: each adds one thing of domain.md to the estate.

/** Guest repositories ("Guests-PoolN", every third one Exadata-style), then one "Templates-NFS". */
function planRepositories(rng: Random, count: number, exadata: boolean): ManifestRepository[] {
  const plan = (alias: string, role: "guests" | "resources", isExadata: boolean): ManifestRepository => {
    // Exadata names its repositories by plain uuid4 hex, Oracle VM Manager by type-0003 ids.
    const id = isExadata ? uuid4Hex(rng) : ovmId(rng, TYPE.repository);
    return { id, alias, role, dir: `repositories/${id}`, exadata: isExadata };
  };
  const guests = Array.from({ length: count }, (_, i) =>
    plan(`Guests-Pool${i + 1}`, "guests", exadata && count >= 2 && i % 3 === 1),
  );
  return [...guests, plan("Templates-NFS", "resources", false)];
}

/** Each repository's `.ovsrepo`, `.generic_fs_stamp` and `lost+found/`. */
function addRepositoryFiles(estate: Estate): void {
  const { rng } = estate;
  const managerUuid = rng.hex(32);
  for (const repository of estate.repositories) {
    addText(
      estate,
      entryPath(repository, ".ovsrepo"),
      [
        `OVS_REPO_UUID=${repository.id}`,
        `OVS_REPO_VERSION=3.0`,
        `OVS_REPO_MGR_UUID=${managerUuid}`,
        `OVS_REPO_ALIAS=${repository.alias}`,
        "",
      ].join("\n"),
    );
    addText(estate, entryPath(repository, ".generic_fs_stamp"), "OCFS2 generic filesystem stamp\n");
    // fsck names recovered files by inode; a file keeps the folder in git.
    const recovered = entryPath(repository, `lost+found/#${1000 + rng.int(9000)}`);
    addText(estate, recovered, "recovered by fsck\n");
    estate.ignored.push(recovered);
  }
}

/** Guests in rotating writer styles; Exadata-style ones live in the Exadata-style repositories. */
function addGuests(estate: Estate): void {
  const { rng } = estate;
  const styles = estate.on("exadata") ? ALL_STYLES : FILE_STYLES;
  const guestRepositories = estate.repositories.filter((r) => r.role === "guests");
  const exadataHomes = guestRepositories.filter((r) => r.exadata);
  const fileHomes = guestRepositories.filter((r) => !r.exadata);
  for (let i = 0; i < estate.guestCount; i++) {
    const style = styles[i % styles.length]!;
    const homes = style === "exadata" && exadataHomes.length > 0 ? exadataHomes : fileHomes;
    const repository = homes[Math.floor(i / styles.length) % homes.length]!;
    const word = WORDS[i % WORDS.length]!;
    const number = String(i + 1).padStart(4, "0");
    if (style === "ovm-manager") {
      const id = ovmId(rng, TYPE.vm);
      const fields = { folder: id, uuid: dashed(id), name: id, simpleName: `${word}-${number}` };
      estate.guests.push(newOwner({ type: "guest", repository, style, ...fields }, rng));
    } else if (style === "exadata") {
      const name = `exaadm01vm${number}.example.com`;
      const fields = { folder: name, uuid: uuid4Hex(rng), name, simpleName: `exaclu-${number}` };
      estate.guests.push(newOwner({ type: "guest", repository, style, ...fields }, rng));
    } else {
      // Humans name guests by hand and sometimes leave the uuid out.
      const name = `${word}${number}`;
      const uuid = i % 2 === 0 ? dashed(uuid4Hex(rng)) : null;
      estate.guests.push(
        newOwner({ type: "guest", repository, style, folder: name, uuid, name, simpleName: null }, rng),
      );
    }
  }
}

/** One guest whose VM folder is not its `name` (renamed by hand after creation). */
function addRenamedFolder(estate: Estate): void {
  const guest = unclaimed(estate, ["ovm-manager"])[0];
  if (!guest) return;
  estate.claimed.add(guest);
  guest.folder = ovmId(estate.rng, TYPE.vm);
  guest.quirks.push("renamed-folder");
}

/** One guest in an uppercase-id folder (older setups) whose system disk is a `.raw` file. */
function addUppercaseRaw(estate: Estate): void {
  const guest = unclaimed(estate, ["ovm-manager"])[0];
  if (!guest) return;
  estate.claimed.add(guest);
  guest.folder = guest.folder.toUpperCase();
  guest.name = guest.folder;
  guest.layout = "raw";
  guest.quirks.push("uppercase-folder", "raw-disk");
}

/** One guest keeping its disk inside its VM folder, as ODA does. */
function addOdaLayout(estate: Estate): void {
  const guest = unclaimed(estate, ["human", "ovm-manager"]).at(-1);
  if (!guest) return;
  estate.claimed.add(guest);
  guest.layout = "oda";
  guest.quirks.push("oda-layout");
}

/** Each guest's system disk (and a second disk for some): files, or Exadata links and external files. */
function addSystemDisks(estate: Estate): void {
  for (const guest of estate.guests) {
    if (guest.style === "exadata") {
      addExadataDisks(estate, guest);
      continue;
    }
    if (guest.layout === "oda") {
      const file = `VirtualMachines/${guest.folder}/System.img`;
      addDiskFile(estate, guest.repository, file, guest.simpleName);
      attachRepositoryDisk(guest, guest.repository, file);
      continue;
    }
    const extension = guest.layout === "raw" ? "raw" : "img";
    const count = estate.rng.next() < 0.3 ? 2 : 1;
    for (let d = 0; d < count; d++) {
      const file = `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.${extension}`;
      addDiskFile(estate, guest.repository, file, guest.simpleName);
      attachRepositoryDisk(guest, guest.repository, file);
    }
  }
}

/** Exadata: `VirtualDisks/*` are links into /EXAVMIMAGES/GuestImages/<fqdn>/, plus direct external files. */
function addExadataDisks(estate: Estate, guest: OwnerPlan): void {
  const images = `/EXAVMIMAGES/GuestImages/${guest.name}`;
  for (const image of ["System.img", "grid19.0.0.0.img"]) {
    const file = `VirtualDisks/${uuid4Hex(estate.rng)}.img`;
    const target = `${images}/${image}`;
    addLink(estate, guest.repository, file, target, true);
    const disk = attachRepositoryDisk(guest, guest.repository, file);
    disk.linkTarget = target;
  }
  const external = `${images}/u02_extra.img`;
  guest.disks.push({
    spec: `file://${external},${nextDiskVdev(guest)},w`,
    kind: "external-file",
    path: external,
    repository: null,
    file: null,
    linkTarget: null,
  });
}

/** Templates in Templates-NFS, their disks in its VirtualDisks, shared with nothing. */
function addTemplates(estate: Estate): void {
  const { rng } = estate;
  const repository = estate.templatesRepository;
  for (let t = 0; t < estate.templateCount; t++) {
    const id = ovmId(rng, TYPE.template);
    const simpleName = `OVM_OL${7 + (t % 2)}U${t + 1}_X86_64_PVHVM`;
    const template = newOwner(
      {
        type: "template",
        repository,
        folder: id,
        uuid: dashed(id),
        name: id,
        simpleName,
        style: "ovm-manager",
      },
      rng,
    );
    const file = `VirtualDisks/${ovmId(rng, TYPE.disk)}.img`;
    addDiskFile(estate, repository, file, `${simpleName}-System.img`);
    attachRepositoryDisk(template, repository, file);
    estate.templates.push(template);
  }
}

/** ISOs in Templates-NFS, mounted as CD-ROMs by about a third of the guests. */
function addIsos(estate: Estate): void {
  const { rng } = estate;
  const repository = estate.templatesRepository;
  for (let i = 0; i < scaled(estate.guestCount, 0.01, 2); i++) {
    const file = `ISOs/${ovmId(rng, TYPE.iso)}.iso`;
    addDiskFile(estate, repository, file, null);
    estate.isoFiles.push(file);
  }
  for (const guest of pickGuests(estate, scaled(estate.guestCount, 0.3), FILE_STYLES)) {
    const iso = rng.pick(estate.isoFiles);
    attachIso(guest, repository, iso, iso);
  }
}

/** Mount an ISO: `written` is the path in the vm.cfg, `file` the file it resolves to. */
function attachIso(guest: OwnerPlan, repository: ManifestRepository, written: string, file: string): void {
  const path = repoPath(repository, written);
  guest.disks.push({
    spec: `file:${path},${nextCdromVdev(guest)},r`,
    kind: "iso",
    path,
    repository,
    file,
    linkTarget: null,
  });
}

/** Empty CD-ROM drives: `,hdc:cdrom,r`. */
function addEmptyCdroms(estate: Estate): void {
  for (const guest of pickGuests(estate, scaled(estate.guestCount, 0.15), FILE_STYLES)) {
    guest.disks.push({
      spec: `,${nextHdCdrom(guest)},r`,
      kind: "empty-cdrom",
      path: null,
      repository: null,
      file: null,
      linkTarget: null,
    });
  }
}

/** Guests with a data disk in another guest repository. */
function addCrossRepositoryDisks(estate: Estate): void {
  const guestRepositories = estate.repositories.filter((r) => r.role === "guests");
  for (const guest of pickGuests(estate, scaled(estate.guestCount, 0.1), FILE_STYLES)) {
    const others = guestRepositories.filter((r) => r !== guest.repository);
    if (others.length === 0) return;
    const repository = estate.rng.pick(others);
    const file = `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`;
    addDiskFile(estate, repository, file, `${guest.simpleName ?? guest.name}-data`);
    attachRepositoryDisk(guest, repository, file);
  }
}

/** Split `guests` into clusters of 2–3 (RAC nodes). */
function clusters(estate: Estate, guests: OwnerPlan[]): OwnerPlan[][] {
  const out: OwnerPlan[][] = [];
  for (let i = 0; i + 1 < guests.length; ) {
    const size = Math.min(guests.length - i, 2 + estate.rng.int(2));
    out.push(guests.slice(i, i + size));
    i += size;
  }
  return out;
}

/** RAC clusters sharing a `w!` virtual disk in the first node's repository. */
function addSharedDisks(estate: Estate): void {
  const nodes = pickGuests(estate, scaled(estate.guestCount, 0.15, 2), FILE_STYLES);
  for (const cluster of clusters(estate, nodes)) {
    const repository = cluster[0]!.repository;
    const file = `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`;
    addDiskFile(estate, repository, file, "rac-ocr-voting");
    for (const node of cluster) attachRepositoryDisk(node, repository, file, "w!");
  }
}

/** SAN LUNs: shared by RAC clusters (`w!`) and private to a few guests. */
function addLuns(estate: Estate): void {
  const { rng } = estate;
  const attachLun = (guest: OwnerPlan, wwid: string, mode: "w" | "w!"): void => {
    const path = `/dev/mapper/${wwid}`;
    guest.disks.push({
      spec: `phy:${path},${nextDiskVdev(guest)},${mode}`,
      kind: "physical-disk",
      path,
      repository: null,
      file: null,
      linkTarget: null,
    });
  };
  const wwid = (): string => `36${rng.hex(31)}`;
  for (const cluster of clusters(
    estate,
    pickGuests(estate, scaled(estate.guestCount, 0.15, 2), FILE_STYLES),
  )) {
    const shared = wwid();
    for (const node of cluster) attachLun(node, shared, "w!");
  }
  for (const guest of pickGuests(estate, scaled(estate.guestCount, 0.1), FILE_STYLES))
    attachLun(guest, wwid(), "w");
}

/** A few disks written in xl's `key=value` form. */
function addXlDisks(estate: Estate): void {
  for (const guest of pickGuests(estate, scaled(estate.guestCount, 0.05), FILE_STYLES)) {
    const file = `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`;
    const path = repoPath(guest.repository, file);
    addDiskFile(estate, guest.repository, file, `${guest.simpleName ?? guest.name}-xl`);
    guest.disks.push({
      spec: `format=raw,vdev=${nextDiskVdev(guest)},access=rw,target=${path}`,
      kind: "virtual-disk",
      path,
      repository: guest.repository,
      file,
      linkTarget: null,
    });
  }
}

/** Paths that look like repository files but are not: one escapes with `..`, one names an unscanned repository. */
function addExternalPaths(estate: Estate): void {
  const [escaping, unscanned] = pickGuests(estate, 2, FILE_STYLES);
  if (escaping) {
    const written = repoPath(escaping.repository, "VirtualDisks/../../../../srv/escape.img");
    addExternalFile(escaping, written, posix.normalize(written));
  }
  if (unscanned) {
    const path = `/OVS/Repositories/${ovmId(estate.rng, TYPE.repository)}/VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`;
    addExternalFile(unscanned, path, path);
  }
}

/** A file disk outside every generated repository: `written` in the vm.cfg, `path` normalised. */
function addExternalFile(guest: OwnerPlan, written: string, path: string): void {
  guest.disks.push({
    spec: `${fileUname(guest, written)},${nextDiskVdev(guest)},w`,
    kind: "external-file",
    path,
    repository: null,
    file: null,
    linkTarget: null,
  });
}

/** One guest living in Templates-NFS, against the segregation convention. */
function addGuestInResourceRepository(estate: Estate): void {
  const guest = unclaimed(estate, ["human"])[0];
  if (!guest) return;
  estate.claimed.add(guest);
  guest.repository = estate.templatesRepository;
  guest.quirks.push("guest-in-resource-repository");
}

/** An ISO kept in the first guest repository and mounted by a guest there, against the convention. */
function addIsoInGuestRepository(estate: Estate): void {
  const repository = estate.repositories[0]!;
  const guest = estate.rng
    .shuffle(estate.guests)
    .find((g) => g.repository === repository && g.style !== "exadata");
  if (!guest) return;
  const file = `ISOs/${ovmId(estate.rng, TYPE.iso)}.iso`;
  addDiskFile(estate, repository, file, null);
  attachIso(guest, repository, file, file);
}

/** Disks referenced by a vm.cfg whose file is absent. */
function addMissingDisks(estate: Estate): void {
  for (const guest of pickGuests(estate, scaled(estate.guestCount, 0.02), FILE_STYLES)) {
    attachRepositoryDisk(guest, guest.repository, `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`);
  }
}

/** Disk files in VirtualDisks that nothing uses. */
function addOrphanDisks(estate: Estate): void {
  const guestRepositories = estate.repositories.filter((r) => r.role === "guests" && !r.exadata);
  for (let i = 0; i < scaled(estate.guestCount, 0.03); i++) {
    const repository = guestRepositories[i % guestRepositories.length]!;
    addDiskFile(estate, repository, `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`, `orphan-${i + 1}`);
  }
}

/** `*.img.CLONE` files left beside real disks by clone scripts. */
function addStrayClones(estate: Estate): void {
  const written = estate.guests.flatMap((g) =>
    g.disks.filter(
      (d) =>
        d.kind === "virtual-disk" &&
        d.linkTarget === null &&
        d.file?.startsWith("VirtualDisks/") &&
        estate.entries.has(entryPath(d.repository!, d.file)),
    ),
  );
  for (const disk of estate.rng.shuffle(written).slice(0, scaled(estate.guestCount, 0.01))) {
    addDiskFile(estate, disk.repository!, `${disk.file}.CLONE`, null);
  }
}

/** A guest using the first template's disk: a thin clone gone wrong, shared with the template. */
function addTemplateSharedDisk(estate: Estate): void {
  const template = estate.templates[0];
  const guest = pickGuests(estate, 1, ["ovm-manager"])[0];
  const disk = template?.disks[0];
  if (!guest || !disk) return;
  attachRepositoryDisk(guest, disk.repository!, disk.file!);
}

/** A link inside Templates-NFS that stays inside it (`ISOs/OracleLinux-latest.iso`), mounted by one guest. */
function addInnerSymlink(estate: Estate): void {
  const target = estate.isoFiles[0];
  const guest = pickGuests(estate, 1, ["human"])[0];
  if (!target || !guest) return;
  const link = "ISOs/OracleLinux-latest.iso";
  addLink(estate, estate.templatesRepository, link, posix.basename(target), false);
  attachIso(guest, estate.templatesRepository, link, target);
}

/** Human quirks: an earlier `memory` and an earlier, stale `disk` list that a later key overrides. */
function addDuplicateKeys(estate: Estate): void {
  for (const guest of estate.guests.filter((g) => g.style === "human")) {
    guest.quirks.push("duplicate-keys");
    if (estate.rng.next() < 0.5) {
      const path = repoPath(guest.repository, `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`);
      guest.staleDisks = [`file:${path},xvda,w`];
      guest.quirks.push("stale-disk-list");
    }
  }
}

/** A few CRLF files and one with a byte-order mark among the human-written ones. */
function addLineEndings(estate: Estate): void {
  const humans = estate.guests.filter((g) => g.style === "human");
  humans.forEach((guest, i) => {
    if (i % 3 === 1) guest.quirks.push("crlf");
  });
  humans[0]?.quirks.push("bom");
}

/** A vm.cfg copied by hand into another repository: same uuid, a second owner. */
function addCopiedConfig(estate: Estate): void {
  const original = unclaimed(estate, ["ovm-manager"])[0];
  if (!original) return;
  const elsewhere = estate.repositories.filter((r) => r.role === "guests" && r !== original.repository);
  const repository = elsewhere[0] ?? original.repository;
  const folder = repository === original.repository ? ovmId(estate.rng, TYPE.vm) : original.folder;
  const copy: OwnerPlan = { ...original, repository, folder, copyOf: original, quirks: ["copied-config"] };
  estate.guests.push(copy);
  estate.copiedConfigs.push({ uuid: original.uuid!, original: ownerRef(original), copy: ownerRef(copy) });
}

/** A NetApp/ZFS `.snapshot/` folder in the first repository: copies of a guest's files, to be ignored. */
function addSnapshot(estate: Estate): void {
  const repository = estate.repositories[0]!;
  const guest = estate.guests.find((g) => g.repository === repository && g.copyOf === null);
  if (!guest) return;
  const files = [
    configFile(guest),
    ...guest.disks.filter((d) => d.repository === repository).map((d) => d.file!),
  ];
  for (const file of files) {
    const entry = estate.entries.get(entryPath(repository, file));
    if (!entry) continue;
    const copy = entryPath(repository, `.snapshot/hourly.0/${file}`);
    estate.entries.set(copy, entry);
    estate.ignored.push(copy);
  }
}

/** An assembly in Templates-NFS: the .ova package and its unpacked contents. */
function addAssemblies(estate: Estate): void {
  const repository = estate.templatesRepository;
  const folder = `Assemblies/${ovmId(estate.rng, TYPE.assembly)}`;
  addDiskFile(estate, repository, `${folder}/package.ova`, null);
  addText(
    estate,
    entryPath(repository, `${folder}/imports/ol8-appliance.ovf`),
    '<?xml version="1.0"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>\n',
  );
  addText(
    estate,
    entryPath(repository, `${folder}/imports/ol8-appliance.mf`),
    "SHA1(ol8-appliance.ovf)= 0\n",
  );
  addDiskFile(estate, repository, `${folder}/imports/ol8-appliance-disk1.img`, null);
}

/** `.ovsmeta` in every other repository: the simple names of its virtual disks. */
function addOvsmeta(estate: Estate): void {
  estate.repositories.forEach((repository, index) => {
    if (index % 2 === 1) return;
    const meta: Record<string, { OBJECT_TYPE: string; SIMPLE_NAME: string }> = {};
    const prefix = entryPath(repository, "VirtualDisks/");
    for (const [path, entry] of estate.entries) {
      if (entry.type === "disk" && entry.simpleName !== null && path.startsWith(prefix)) {
        meta[posix.basename(path)] = { OBJECT_TYPE: "VIRTUAL_DISK", SIMPLE_NAME: entry.simpleName };
      }
    }
    addText(estate, entryPath(repository, ".ovsmeta"), `${JSON.stringify(meta)}\n`);
  });
}

/** `guest-backups/<simple name or name>/etc/fstab` with NFS mounts, plus one folder matching no guest. */
function addGuestBackups(estate: Estate): void {
  const { rng } = estate;
  for (const guest of estate.guests) {
    if (guest.copyOf) {
      guest.nfsMounts = guest.copyOf.nfsMounts;
      continue;
    }
    if (rng.next() < 0.4) {
      const host = `nfs0${1 + rng.int(3)}`;
      guest.nfsMounts.push({
        source: `${host}:/export/${guest.name}/app`,
        mountPoint: "/u01/app",
        fstype: "nfs",
      });
      if (rng.next() < 0.5) {
        guest.nfsMounts.push({ source: "nfs02:/export/home", mountPoint: "/home", fstype: "nfs4" });
      }
    }
    addText(estate, `guest-backups/${guest.simpleName ?? guest.name}/etc/fstab`, fstab(guest.nfsMounts));
  }
  estate.unmatchedGuestBackups.push("guest-backups/decommissioned-host");
  addText(
    estate,
    "guest-backups/decommissioned-host/etc/fstab",
    fstab([{ source: "nfs09:/export/old", mountPoint: "/u01/old", fstype: "nfs" }]),
  );
  estate.guestBackupsWritten = true;
}

function fstab(mounts: readonly ManifestNfsMount[]): string {
  const nfsOptions: Record<string, string> = { nfs: "rw,hard 0 0", nfs4: "rw,hard,intr 0 0" };
  return [
    "# /etc/fstab",
    "/dev/mapper/vg_root-lv_root /                       ext4    defaults        1 1",
    "UUID=3f1c0c86-5b1e-4f4e-9a43-0c9e8b7c7e11 /boot     ext4    defaults        1 2",
    "tmpfs                   /dev/shm                tmpfs   defaults        0 0",
    "# nfs01:/export/retired /mnt/retired nfs rw 0 0",
    ...mounts.map((m) => `${m.source} ${m.mountPoint} ${m.fstype} ${nfsOptions[m.fstype]}`),
    "",
  ].join("\n");
}

/** Saved `xm list` output: Domain-0 and about a quarter of the guests, by `name`. */
function addXmList(estate: Estate): void {
  const running = pickGuests(estate, scaled(estate.guestCount, 0.25), ALL_STYLES).filter((g) => !g.copyOf);
  const row = (
    name: string,
    id: number,
    memory: number,
    vcpus: number,
    state: string,
    time: string,
  ): string =>
    `${name.padEnd(40)}${String(id).padStart(6)}${String(memory).padStart(6)}${String(vcpus).padStart(6)}     ${state}${time.padStart(10)}`;
  const lines = [
    "Name                                        ID   Mem VCPUs      State   Time(s)",
    row("Domain-0", 0, 2048, 4, "r-----", "48211.3"),
    ...running.map((g, i) => row(g.name, i + 1, g.memory, g.vcpus, "-b----", ((i + 1) * 137.4).toFixed(1))),
    "",
  ];
  addText(estate, "xm-list.txt", lines.join("\n"));
  estate.xmListNames = new Set(running.map((g) => g.name));
}

// ---------------------------------------------------------------------------------------------
// vm.cfg writers.

function ovmManagerConfig(estate: Estate, owner: OwnerPlan): string {
  const mac = (): string => `00:21:f6:${estate.rng.hex(2)}:${estate.rng.hex(2)}:${estate.rng.hex(2)}`;
  const pairs: [string, Py][] = [
    ["vif", [`mac=${mac()},bridge=${estate.rng.hex(10)}`]],
    ["OVM_simple_name", owner.simpleName ?? ""],
    ["vnclisten", "127.0.0.1"],
    ["serial", "pty"],
    ["disk", owner.disks.map((d) => d.spec)],
    ["vncunused", 1],
    ["uuid", owner.uuid ?? ""],
    ["on_reboot", "restart"],
    ["boot", "dc"],
    ["cpu_weight", 27500],
    ["memory", owner.memory],
    ["cpu_cap", 0],
    ["maxvcpus", owner.vcpus],
    ["OVM_high_availability", estate.rng.next() < 0.5],
    ["vnc", 1],
    ["OVM_description", owner.type === "template" ? "Oracle Linux template" : ""],
    ["on_poweroff", "destroy"],
    ["on_crash", "restart"],
    ["guest_os_type", "linux"],
    ["name", owner.name],
    ["builder", "hvm"],
    ["vcpus", owner.vcpus],
    ["keymap", "en-us"],
    ["OVM_os_type", "Oracle Linux 7"],
    ["OVM_cpu_compat_group", ""],
    ["OVM_domain_type", estate.rng.pick(["xen_hvm", "xen_pvm", "xen_hvm_pv"])],
  ];
  return estate.rng
    .shuffle(pairs)
    .map(([key, value]) => `${key} = ${pyRepr(value, "'")}\n`)
    .join("");
}

function exadataConfig(estate: Estate, owner: OwnerPlan): string {
  const { rng } = estate;
  const pkey = `0xa${rng.hex(3)}`;
  const pkeys = ["1", "2"]
    .map((port) => `{'pf':'03:00.0','port':'${port}','pkey':['0x2a12','${pkey}',]},`)
    .join("");
  const lines = [
    "acpi = 1",
    "apic = 1",
    "pae = 1",
    "builder = 'hvm'",
    "kernel = '/usr/lib/xen/boot/hvmloader'",
    "device_model = '/usr/lib/xen/bin/qemu-dm'",
    "# To make VMs with more than 12 vCPUs work on exadata server",
    "#   edx register:",
    "#     12 bit - Memory Type Range Registers. Force to 0 set uncached access mode to memory ranges.",
    "cpuid = ['1:edx=xxxxxxxxxxxxxxxxxxx0xxxxxxxxxxxx']",
    `disk = ${pyRepr(
      owner.disks.map((d) => d.spec),
      "'",
      ",",
    )}`,
    `memory = '${owner.memory}'`,
    `maxmem = '${owner.memory}'`,
    `OVM_simple_name = u${pyString(owner.simpleName ?? "", "'")}`,
    `name = ${pyString(owner.name, "'")}`,
    "OVM_os_type = u'Oracle Linux 7'",
    `vcpus = ${owner.vcpus}`,
    `maxvcpus = ${owner.vcpus * 4}`,
    `uuid = ${pyString(owner.uuid ?? "", "'")}`,
    "on_crash = 'coredump-restart'",
    "on_reboot = 'restart'",
    "serial = 'pty'",
    "keymap = 'en-us'",
    `vif = ['type=netfront,mac=00:16:3e:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)},bridge=vmbondeth0']`,
    "timer_mode = 2",
    "ib_pfs = ['03:00.0']",
    `ib_pkeys = [${pkeys}]`,
  ];
  return lines.map((line) => (line.startsWith("#") ? `${line}\n` : `${line}  \n`)).join("");
}

function humanConfig(estate: Estate, owner: OwnerPlan): string {
  const q = (value: string): string => pyString(value, '"');
  const list = (items: readonly string[]): string => `[\n${items.map((item) => `\t${q(item)},\n`).join("")}]`;
  const duplicated = owner.quirks.includes("duplicate-keys");
  const lines = [
    "#  -*- mode: python; -*-",
    `name=${q(owner.name)}`,
    ...(owner.uuid ? [`uuid=${q(owner.uuid)}`] : []),
    ...(duplicated ? [`memory=${owner.memory / 2}`] : []),
    ...(owner.staleDisks.length > 0
      ? [`disk=${list(owner.staleDisks)}`, "# moved the system disk, see below"]
      : []),
    `kernel\t= "/usr/lib/xen/boot/hvmloader"`,
    `builder\t= "hvm"`,
    "# memory in MiB",
    `memory=${owner.memory}`,
    `vcpus=${owner.vcpus}`,
    "",
    "# disks: system first, then data",
    `disk=${list(owner.disks.map((d) => d.spec))}`,
    `vif=[ "mac=00:16:3e:${estate.rng.hex(2)}:${estate.rng.hex(2)}:${estate.rng.hex(2)},bridge=xenbr0", ]`,
    `on_crash="restart"`,
  ];
  return `${lines.join("\n")}\n`;
}

/** The vm.cfg text of an owner in its writer's style, with its line-ending and BOM quirks. */
function renderConfig(estate: Estate, owner: OwnerPlan): string {
  const writers: Record<WriterStyle, (estate: Estate, owner: OwnerPlan) => string> = {
    "ovm-manager": ovmManagerConfig,
    exadata: exadataConfig,
    human: humanConfig,
  };
  const text = writers[owner.style](estate, owner);
  const withEndings = owner.quirks.includes("crlf") ? text.replaceAll("\n", "\r\n") : text;
  return owner.quirks.includes("bom") ? `\uFEFF${withEndings}` : withEndings;
}

/** Write every owner's vm.cfg; a copy gets the original's exact text. */
function addConfigs(estate: Estate): void {
  const texts = new Map<OwnerPlan, string>();
  for (const owner of [...estate.templates, ...estate.guests]) {
    const text = owner.copyOf ? texts.get(owner.copyOf)! : renderConfig(estate, owner);
    texts.set(owner, text);
    addText(estate, entryPath(owner.repository, configFile(owner)), text);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing to disk and deriving the manifest from what was written.

/** Write every entry with plain synchronous calls: sparse disks by ftruncate, a few real bytes at 0. */
function writeEntries(estate: Estate): void {
  const made = new Set<string>();
  for (const [path, entry] of estate.entries) {
    const absolute = join(estate.root, path);
    const folder = posix.dirname(path);
    if (!made.has(folder)) {
      mkdirSync(join(estate.root, folder), { recursive: true });
      made.add(folder);
    }
    if (entry.type === "text") writeFileSync(absolute, entry.content);
    else if (entry.type === "link") symlinkSync(entry.target, absolute);
    else {
      const fd = openSync(absolute, "w");
      try {
        writeSync(fd, entry.header, 0);
        ftruncateSync(fd, entry.bytes);
      } finally {
        closeSync(fd);
      }
    }
  }
}

function manifestDisk(estate: Estate, disk: DiskPlan, users: Map<string, string[]>): ManifestDisk {
  const entry =
    disk.repository && disk.file ? estate.entries.get(entryPath(disk.repository, disk.file)) : undefined;
  const key = usageKey(disk);
  const diskUsers = key ? (users.get(key) ?? []) : [];
  return {
    spec: disk.spec,
    kind: disk.kind,
    path: disk.path,
    repository: disk.repository?.id ?? null,
    file: disk.file,
    present: disk.repository ? entry !== undefined : null,
    bytes: entry?.type === "disk" ? entry.bytes : null,
    linkTarget: disk.linkTarget,
    users: diskUsers,
    shared: disk.kind !== "iso" && diskUsers.length > 1,
  };
}

/** What identifies the thing a disk entry uses: the repository file, the device or the external path. */
function usageKey(disk: DiskPlan): string | null {
  if (disk.repository && disk.file) return `${disk.repository.id}/${disk.file}`;
  return disk.path;
}

/** What `plan` should list for an owner, from its manifest disks and mounts. */
function expectedFor(owner: Omit<ManifestOwner, "expected">): ManifestExpected {
  const files: ManifestExpected["files"] = [
    { repository: owner.repository, file: owner.config, role: "config" },
  ];
  const resources: ManifestExpected["resources"] = [];
  const outside: ManifestOutside[] = [];
  let missing = false;
  const seen = new Set<string>();
  for (const disk of owner.disks) {
    if (disk.kind === "virtual-disk" && disk.linkTarget) {
      outside.push({ kind: "external-file", ref: disk.linkTarget });
    } else if (disk.kind === "virtual-disk") {
      if (!disk.present) missing = true;
      else if (!seen.has(`${disk.repository}/${disk.file}`)) {
        seen.add(`${disk.repository}/${disk.file}`);
        files.push({ repository: disk.repository!, file: disk.file!, role: "disk" });
      }
    } else if (disk.kind === "iso" && disk.repository) {
      resources.push({ repository: disk.repository, file: disk.file! });
    } else if (disk.kind === "physical-disk" || disk.kind === "external-file") {
      outside.push({ kind: disk.kind, ref: disk.path! });
    }
  }
  for (const mount of owner.nfsMounts) outside.push({ kind: "nfs-mount", ref: mount.source });
  return { files, resources, outside, coverage: outside.length === 0 && !missing ? "complete" : "partial" };
}

function buildManifest(estate: Estate): EstateManifest {
  const owners = [...estate.guests, ...estate.templates];
  const users = new Map<string, string[]>();
  for (const owner of owners) {
    for (const disk of owner.disks) {
      const key = usageKey(disk);
      if (key === null) continue;
      const list = users.get(key) ?? [];
      if (!list.includes(ownerRef(owner))) list.push(ownerRef(owner));
      users.set(key, list);
    }
  }
  const manifestOwners = owners.map((owner): ManifestOwner => {
    const described: Omit<ManifestOwner, "expected"> = {
      ref: ownerRef(owner),
      type: owner.type,
      repository: owner.repository.id,
      folder: owner.folder,
      config: configFile(owner),
      uuid: owner.uuid,
      name: owner.name,
      simpleName: owner.simpleName,
      style: owner.style,
      memory: owner.memory,
      disks: owner.disks.map((d) => manifestDisk(estate, d, users)),
      nfsMounts: owner.nfsMounts,
      running: estate.xmListNames ? estate.xmListNames.has(owner.name) : null,
      copyOf: owner.copyOf ? ownerRef(owner.copyOf) : null,
      quirks: owner.quirks,
    };
    return { ...described, expected: expectedFor(described) };
  });
  const referenced = new Set(users.keys());
  const orphans: ManifestFile[] = [];
  for (const repository of estate.repositories) {
    const prefix = `${repository.dir}/VirtualDisks/`;
    for (const path of estate.entries.keys()) {
      const file = path.slice(repository.dir.length + 1);
      if (path.startsWith(prefix) && !referenced.has(`${repository.id}/${file}`)) {
        orphans.push({ repository: repository.id, file });
      }
    }
  }
  const missing = manifestOwners.flatMap((owner) =>
    owner.disks
      .filter((d) => d.present === false)
      .map((d) => ({ repository: d.repository!, file: d.file!, owner: owner.ref })),
  );
  const entries = [...estate.entries.values()];
  return {
    root: estate.root,
    seed: estate.seed,
    example: estate.example,
    repositoriesDir: "repositories",
    guestBackupsDir: estate.guestBackupsWritten ? "guest-backups" : null,
    xmList: estate.xmListNames ? "xm-list.txt" : null,
    repositories: estate.repositories,
    owners: manifestOwners,
    orphans,
    missing,
    copiedConfigs: estate.copiedConfigs,
    symlinks: estate.symlinks,
    ignored: estate.ignored,
    unmatchedGuestBackups: estate.unmatchedGuestBackups,
    counts: {
      files: entries.filter((e) => e.type !== "link").length,
      symlinks: entries.filter((e) => e.type === "link").length,
      apparentBytes: entries.reduce((sum, e) => sum + (e.type === "disk" ? e.bytes : 0), 0),
    },
  };
}

/** Default number of guest repositories for a guest count. */
const defaultRepositories = (guests: number): number => Math.max(2, Math.ceil(guests / 200));

/**
 * Write a synthetic Oracle VM 3 estate into `dir` (absent or empty) and return its manifest.
 * Throws when `dir` holds anything: the generator never writes over existing files.
 */
export function generateEstate(dir: string, options: EstateOptions = {}): EstateManifest {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  if (readdirSync(root).length > 0) throw new Error(`generateEstate: ${root} is not empty`);
  const guestCount = options.guests ?? 12;
  const seed = options.seed ?? 1;
  const rng = new Random(seed);
  const on = (feature: EstateFeature): boolean => options.features?.[feature] ?? true;
  const repositories = planRepositories(
    rng,
    options.repositories ?? defaultRepositories(guestCount),
    on("exadata"),
  );
  const estate: Estate = {
    rng,
    root,
    seed,
    example: options.example ?? false,
    diskBytes: options.diskBytes ?? 8 * 1024 ** 3,
    guestCount,
    templateCount: options.templates ?? Math.max(2, Math.ceil(guestCount / 1000)),
    on,
    repositories,
    templatesRepository: repositories.at(-1)!,
    guests: [],
    templates: [],
    claimed: new Set(),
    entries: new Map(),
    symlinks: [],
    copiedConfigs: [],
    ignored: [],
    unmatchedGuestBackups: [],
    isoFiles: [],
    xmListNames: null,
    guestBackupsWritten: false,
  };
  addRepositoryFiles(estate);
  addGuests(estate);
  // Identity and layout first: the disk paths written later depend on folders and layouts.
  const steps: [EstateFeature | null, (estate: Estate) => void][] = [
    ["renamedFolder", addRenamedFolder],
    ["uppercaseRaw", addUppercaseRaw],
    ["odaLayout", addOdaLayout],
    ["segregationBreaches", addGuestInResourceRepository],
    [null, addSystemDisks],
    [null, addTemplates],
    ["isos", addIsos],
    ["emptyCdroms", addEmptyCdroms],
    ["crossRepositoryDisks", addCrossRepositoryDisks],
    ["sharedDisks", addSharedDisks],
    ["sharedLuns", addLuns],
    ["xlDisks", addXlDisks],
    ["externalPaths", addExternalPaths],
    ["segregationBreaches", addIsoInGuestRepository],
    ["missingDisks", addMissingDisks],
    ["orphanDisks", addOrphanDisks],
    ["strayClones", addStrayClones],
    ["templateSharedDisk", addTemplateSharedDisk],
    ["innerSymlink", addInnerSymlink],
    ["duplicateKeys", addDuplicateKeys],
    ["lineEndings", addLineEndings],
    ["copiedConfig", addCopiedConfig],
    ["assemblies", addAssemblies],
    ["ovsmeta", addOvsmeta],
    ["guestBackups", addGuestBackups],
    ["xmList", addXmList],
    [null, addConfigs],
    // Last: the snapshot copies files as they were rendered.
    ["snapshot", addSnapshot],
  ];
  for (const [feature, step] of steps) if (feature === null || estate.on(feature)) step(estate);
  writeEntries(estate);
  return buildManifest(estate);
}
