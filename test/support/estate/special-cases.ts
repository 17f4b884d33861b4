// Problems and special cases: missing, orphaned and stray disks, a template's disk used by a guest, an inner link.
import { posix } from "node:path";
import { attachIso } from "./disks.js";
import { ovmId, TYPE } from "./ids.js";
import {
  addDiskFile,
  addLink,
  attachRepositoryDisk,
  type Estate,
  entryPath,
  FILE_STYLES,
  pickGuests,
  scaled,
} from "./model.js";

/** Disks referenced by a vm.cfg whose file is absent. */
export function addMissingDisks(estate: Estate): void {
  for (const guest of pickGuests(estate, scaled(estate.guestCount, 0.02), FILE_STYLES)) {
    attachRepositoryDisk(guest, guest.repository, `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`);
  }
}

/** Disk files in VirtualDisks that nothing uses. */
export function addOrphanDisks(estate: Estate): void {
  const guestRepositories = estate.repositories.filter((r) => r.role === "guests" && !r.exadata);
  for (let i = 0; i < scaled(estate.guestCount, 0.03); i++) {
    const repository = guestRepositories[i % guestRepositories.length]!;
    addDiskFile(estate, repository, `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`, `orphan-${i + 1}`);
  }
}

/** `*.img.CLONE` files left beside real disks by clone scripts. */
export function addStrayClones(estate: Estate): void {
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
export function addTemplateSharedDisk(estate: Estate): void {
  const template = estate.templates[0];
  const guest = pickGuests(estate, 1, ["ovm-manager"])[0];
  const disk = template?.disks[0];
  if (!guest || !disk) return;
  attachRepositoryDisk(guest, disk.repository!, disk.file!);
}

/** A link inside Templates-NFS that stays inside it (`ISOs/OracleLinux-latest.iso`), mounted by one guest. */
export function addInnerSymlink(estate: Estate): void {
  const target = estate.isoFiles[0];
  const guest = pickGuests(estate, 1, ["human"])[0];
  if (!target || !guest) return;
  const link = "ISOs/OracleLinux-latest.iso";
  addLink(estate, estate.templatesRepository, link, posix.basename(target), false);
  attachIso(guest, estate.templatesRepository, link, target);
}
