// The estate being built: repositories, owners, and every file to write (paths relative to the estate),
// with the helpers every feature uses to record files and attach disks.
import type { Random } from "./random.js";
import type {
  EstateDiskKind,
  EstateFeature,
  ManifestNfsMount,
  ManifestRepository,
  ManifestSymlink,
  WriterStyle,
} from "./types.js";

type Entry =
  | { type: "text"; content: string }
  | { type: "disk"; header: string; bytes: number; simpleName: string | null }
  | { type: "link"; target: string };

export interface DiskPlan {
  spec: string;
  kind: EstateDiskKind;
  path: string | null;
  repository: ManifestRepository | null;
  file: string | null;
  linkTarget: string | null;
}

export interface OwnerPlan {
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

export interface Estate {
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

export const repoPath = (repository: ManifestRepository, file: string): string =>
  `/OVS/Repositories/${repository.id}/${file}`;
export const entryPath = (repository: ManifestRepository, file: string): string =>
  `${repository.dir}/${file}`;
export const ownerRef = (owner: OwnerPlan): string =>
  `${owner.repository.id}/${owner.type === "guest" ? "VirtualMachines" : "Templates"}/${owner.folder}`;
export const configFile = (owner: OwnerPlan): string =>
  `${owner.type === "guest" ? "VirtualMachines" : "Templates"}/${owner.folder}/vm.cfg`;
/** How many of `total` a feature touches: a share, but at least `min`. */
export const scaled = (total: number, share: number, min = 1): number =>
  Math.max(min, Math.round(total * share));

/** Record a sparse disk (or ISO) file: a short header naming it, then holes up to the apparent size. */
export function addDiskFile(
  estate: Estate,
  repository: ManifestRepository,
  file: string,
  simpleName: string | null,
): void {
  const header = `OVMDISK ${repository.id}/${file}\n`;
  const bytes = estate.example ? header.length : estate.diskBytes;
  estate.entries.set(entryPath(repository, file), { type: "disk", header, bytes, simpleName });
}

export function addText(estate: Estate, path: string, content: string): void {
  estate.entries.set(path, { type: "text", content });
}

export function addLink(
  estate: Estate,
  repository: ManifestRepository,
  file: string,
  target: string,
  leaves: boolean,
): void {
  estate.entries.set(entryPath(repository, file), { type: "link", target });
  estate.symlinks.push({ repository: repository.id, file, target, leaves });
}

export function newOwner(
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

export const nextDiskVdev = (owner: OwnerPlan): string => `xvd${String.fromCharCode(97 + owner.nextDisk++)}`;
/** IDE CD-ROM drives start at hdc, as xend's examples do. */
export const nextHdCdrom = (owner: OwnerPlan): string =>
  `hd${String.fromCharCode(97 + owner.nextCdrom++)}:cdrom`;
/** Oracle VM Manager numbers CD-ROMs among the xvd disks; humans use IDE names. */
export const nextCdromVdev = (owner: OwnerPlan): string =>
  owner.style === "ovm-manager" ? `${nextDiskVdev(owner)}:cdrom` : nextHdCdrom(owner);

/** The legacy `uname` prefix a writer uses for file-backed disks. */
export const fileUname = (owner: OwnerPlan, path: string): string =>
  owner.style === "human" && owner.nextDisk % 2 === 1 ? `tap:aio:${path}` : `file:${path}`;

/** Attach a file in a repository as a disk of `owner`: `mode` `w` or `w!`. */
export function attachRepositoryDisk(
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
export function unclaimed(estate: Estate, styles: readonly WriterStyle[]): OwnerPlan[] {
  return estate.guests.filter((g) => !estate.claimed.has(g) && styles.includes(g.style));
}

/** Pick `count` distinct guests (of the given styles) at random. */
export function pickGuests(estate: Estate, count: number, styles: readonly WriterStyle[]): OwnerPlan[] {
  return estate.rng.shuffle(estate.guests.filter((g) => styles.includes(g.style))).slice(0, count);
}

export const FILE_STYLES: readonly WriterStyle[] = ["ovm-manager", "human"];
export const ALL_STYLES: readonly WriterStyle[] = ["ovm-manager", "exadata", "human"];
