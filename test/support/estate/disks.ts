// Disk entries: system disks, Exadata links, ISOs, CD-ROMs, cross-repository and shared disks, LUNs,
// xl-form entries and external paths.
import { posix } from "node:path";
import { ovmId, TYPE, uuid4Hex } from "./ids.js";
import {
  addDiskFile,
  addLink,
  attachRepositoryDisk,
  type Estate,
  FILE_STYLES,
  fileUname,
  nextCdromVdev,
  nextDiskVdev,
  nextHdCdrom,
  type OwnerPlan,
  pickGuests,
  repoPath,
  scaled,
} from "./model.js";
import type { ManifestRepository } from "./types.js";

/** Each guest's system disk (and a second disk for some): files, or Exadata links and external files. */
export function addSystemDisks(estate: Estate): void {
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

/** ISOs in Templates-NFS, mounted as CD-ROMs by about a third of the guests. */
export function addIsos(estate: Estate): void {
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
export function attachIso(
  guest: OwnerPlan,
  repository: ManifestRepository,
  written: string,
  file: string,
): void {
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
export function addEmptyCdroms(estate: Estate): void {
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
export function addCrossRepositoryDisks(estate: Estate): void {
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
export function addSharedDisks(estate: Estate): void {
  const nodes = pickGuests(estate, scaled(estate.guestCount, 0.15, 2), FILE_STYLES);
  for (const cluster of clusters(estate, nodes)) {
    const repository = cluster[0]!.repository;
    const file = `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`;
    addDiskFile(estate, repository, file, "rac-ocr-voting");
    for (const node of cluster) attachRepositoryDisk(node, repository, file, "w!");
  }
}

/** SAN LUNs: shared by RAC clusters (`w!`) and private to a few guests. */
export function addLuns(estate: Estate): void {
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
export function addXlDisks(estate: Estate): void {
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
export function addExternalPaths(estate: Estate): void {
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

/** An ISO kept in the first guest repository and mounted by a guest there, against the convention. */
export function addIsoInGuestRepository(estate: Estate): void {
  const repository = estate.repositories[0]!;
  const guest = estate.rng
    .shuffle(estate.guests)
    .find((g) => g.repository === repository && g.style !== "exadata");
  if (!guest) return;
  const file = `ISOs/${ovmId(estate.rng, TYPE.iso)}.iso`;
  addDiskFile(estate, repository, file, null);
  attachIso(guest, repository, file, file);
}
