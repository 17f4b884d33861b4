// Guests and templates: who they are, where they live, and the identity and layout features.
import { dashed, ovmId, TYPE, uuid4Hex } from "./ids.js";
import {
  ALL_STYLES,
  addDiskFile,
  attachRepositoryDisk,
  type Estate,
  FILE_STYLES,
  newOwner,
  type OwnerPlan,
  ownerRef,
  unclaimed,
} from "./model.js";

const WORDS = ["erp", "crm", "web", "db", "mail", "ldap", "build", "wiki", "app", "batch", "dwh", "soa"];

/** Guests in rotating writer styles; Exadata-style ones live in the Exadata-style repositories. */
export function addGuests(estate: Estate): void {
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
export function addRenamedFolder(estate: Estate): void {
  const guest = unclaimed(estate, ["ovm-manager"])[0];
  if (!guest) return;
  estate.claimed.add(guest);
  guest.folder = ovmId(estate.rng, TYPE.vm);
  guest.quirks.push("renamed-folder");
}

/** One guest in an uppercase-id folder (older setups) whose system disk is a `.raw` file. */
export function addUppercaseRaw(estate: Estate): void {
  const guest = unclaimed(estate, ["ovm-manager"])[0];
  if (!guest) return;
  estate.claimed.add(guest);
  guest.folder = guest.folder.toUpperCase();
  guest.name = guest.folder;
  guest.layout = "raw";
  guest.quirks.push("uppercase-folder", "raw-disk");
}

/** One guest keeping its disk inside its VM folder, as ODA does. */
export function addOdaLayout(estate: Estate): void {
  const guest = unclaimed(estate, ["human", "ovm-manager"]).at(-1);
  if (!guest) return;
  estate.claimed.add(guest);
  guest.layout = "oda";
  guest.quirks.push("oda-layout");
}

/** Templates in Templates-NFS, their disks in its VirtualDisks, shared with nothing. */
export function addTemplates(estate: Estate): void {
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

/** One guest living in Templates-NFS, against the segregation convention. */
export function addGuestInResourceRepository(estate: Estate): void {
  const guest = unclaimed(estate, ["human"])[0];
  if (!guest) return;
  estate.claimed.add(guest);
  guest.repository = estate.templatesRepository;
  guest.quirks.push("guest-in-resource-repository");
}

/** A vm.cfg copied by hand into another repository: same uuid, a second owner. */
export function addCopiedConfig(estate: Estate): void {
  const original = unclaimed(estate, ["ovm-manager"])[0];
  if (!original) return;
  const elsewhere = estate.repositories.filter((r) => r.role === "guests" && r !== original.repository);
  const repository = elsewhere[0] ?? original.repository;
  const folder = repository === original.repository ? ovmId(estate.rng, TYPE.vm) : original.folder;
  const copy: OwnerPlan = { ...original, repository, folder, copyOf: original, quirks: ["copied-config"] };
  estate.guests.push(copy);
  estate.copiedConfigs.push({ uuid: original.uuid!, original: ownerRef(original), copy: ownerRef(copy) });
}
