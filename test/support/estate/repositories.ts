// Repositories and what lies in them beside guests: `.ovsrepo`, `lost+found/`, `.snapshot/`, assemblies, `.ovsmeta`.
import { posix } from "node:path";
import { ovmId, TYPE, uuid4Hex } from "./ids.js";
import { addDiskFile, addText, configFile, type Estate, entryPath } from "./model.js";
import type { Random } from "./random.js";
import type { ManifestRepository } from "./types.js";

/** Guest repositories ("Guests-PoolN", every third one Exadata-style), then one "Templates-NFS". */
export function planRepositories(rng: Random, count: number, exadata: boolean): ManifestRepository[] {
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
export function addRepositoryFiles(estate: Estate): void {
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

/** A NetApp/ZFS `.snapshot/` folder in the first repository: copies of a guest's files, to be ignored. */
export function addSnapshot(estate: Estate): void {
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
export function addAssemblies(estate: Estate): void {
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
export function addOvsmeta(estate: Estate): void {
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
