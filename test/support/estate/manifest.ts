// The manifest, derived from the in-memory plan the files were written from (nothing is read back).
import { configFile, type DiskPlan, type Estate, entryPath, ownerRef } from "./model.js";
import type {
  EstateManifest,
  ManifestDisk,
  ManifestExpected,
  ManifestFile,
  ManifestOutside,
  ManifestOwner,
} from "./types.js";

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

export function buildManifest(estate: Estate): EstateManifest {
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
