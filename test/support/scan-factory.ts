// Small factories of hand-built scan results, so layers above the scanner can be tested without a tree on disk.
import type { Owner, Reference, Repository, RepositoryFile, ScanResult } from "ovm-deps";

/** A repository file with sizes; area from its first folder. */
export function repoFile(file: string, fields: Partial<RepositoryFile> = {}): RepositoryFile {
  const first = file.split("/")[0] ?? "";
  const areas = ["VirtualDisks", "ISOs", "Assemblies", "VirtualMachines", "Templates"] as const;
  const area = areas.find((a) => a === first) ?? "other";
  const type = fields.type ?? "file";
  return {
    file,
    area,
    type,
    bytes: 1000,
    allocatedBytes: 500,
    linkTarget: null,
    simpleName: null,
    fileType: type === "symlink" ? "symlink" : type === "other" ? "fifo" : "file",
    device: 1,
    inode: nextInode,
    links: 1,
    // Each file its own mtime: two hand-built sides never look unchanged unless a test says so.
    mtimeMs: 1_700_000_000_000 + nextInode++,
    link: type === "symlink" ? (fields.linkTarget ?? "elsewhere") : null,
    ...fields,
  };
}

/** Inodes given out by repoFile: each file its own unless a test says otherwise. */
let nextInode = 1000;

/** Every folder above the files: what a scan records as listed. */
function foldersOf(files: readonly RepositoryFile[]): string[] {
  const folders = new Set<string>([""]);
  for (const { file } of files) {
    const parts = file.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  return [...folders].sort();
}

/** A repository `id` scanned at `/scan/<id>`, holding `files`. */
export function repository(
  id: string,
  files: RepositoryFile[],
  fields: Partial<Repository> = {},
): Repository {
  return {
    id,
    root: `/scan/${id}`,
    alias: null,
    role: null,
    folder: id,
    uuid: null,
    names: [id],
    ovsrepo: {},
    files,
    linksAbove: [],
    folders: foldersOf(files),
    unlisted: [],
    examined: [],
    ...fields,
  };
}

/** A disk entry resolved to a virtual disk (or ISO) in a repository, present unless said otherwise. */
export function inRepository(repositoryId: string, file: string, fields: Partial<Reference> = {}): Reference {
  const cdrom = fields.devtype === "cdrom";
  return reference({
    kind: cdrom ? "iso" : "virtual-disk",
    path: `/OVS/Repositories/${repositoryId}/${file}`,
    repository: repositoryId,
    file,
    present: true,
    bytes: 1000,
    allocatedBytes: 500,
    ...fields,
  });
}

/** A disk entry with defaults of a writable `file:` disk at xvda; override what the test is about. */
export function reference(fields: Partial<Reference>): Reference {
  return {
    spec: `file:${fields.path ?? ""},xvda,w`,
    path: null,
    vdev: "xvda",
    access: "w",
    devtype: "disk",
    readonly: false,
    shareable: false,
    format: null,
    form: "xm",
    backend: "file",
    script: null,
    line: 1,
    column: 1,
    kind: "virtual-disk",
    repository: null,
    file: null,
    present: null,
    bytes: null,
    allocatedBytes: null,
    linkTarget: null,
    ...fields,
    named: fields.named !== undefined ? fields.named : (fields.file ?? null),
    state: fields.state !== undefined ? fields.state : stateOf(fields),
    backing:
      fields.backing !== undefined
        ? fields.backing
        : fields.kind === "empty-cdrom"
          ? null
          : fields.kind === "physical-disk"
            ? "device"
            : "file",
  };
}

/** The walker's verdict a hand-built reference implies: from its repository, presence and link target. */
function stateOf(fields: Partial<Reference>): Reference["state"] {
  if (fields.repository === undefined || fields.repository === null) return null;
  if (fields.linkTarget) return "leaves";
  return fields.present === true ? "file" : fields.present === false ? "missing" : "unreadable";
}

/** A guest (or template) whose vm.cfg is `VirtualMachines/<folder>/vm.cfg` in `repositoryId`. */
export function owner(
  repositoryId: string,
  folder: string,
  disks: Reference[],
  fields: Partial<Owner> = {},
): Owner {
  const type = fields.type ?? "guest";
  const area = type === "guest" ? "VirtualMachines" : "Templates";
  return {
    id: folder,
    uuid: `uuid-${folder}`,
    name: folder,
    simpleName: `simple ${folder}`,
    repository: repositoryId,
    config: `${area}/${folder}/vm.cfg`,
    running: null,
    disks,
    nfsMounts: [],
    diagnostics: [],
    type,
    ref: `${repositoryId}/${area}/${folder}`,
    path: `/scan/${repositoryId}/${area}/${folder}/vm.cfg`,
    ok: true,
    domainType: null,
    configLinkTarget: null,
    configBytes: null,
    configAllocatedBytes: null,
    ...fields,
  };
}

/**
 * A scan result of these repositories and owners (templates split out by type). As the scanner does, each
 * repository records its owners' vm.cfg files among its files (a link when the vm.cfg is one that leaves).
 */
export function scanOf(repositories: Repository[], owners: Owner[]): ScanResult {
  for (const r of repositories) {
    const listed = new Set(r.files.map((f) => f.file));
    const configs = owners
      .filter((o) => o.repository === r.id && !listed.has(o.config))
      .map((o) =>
        o.configLinkTarget === null
          ? repoFile(o.config, { bytes: o.configBytes, allocatedBytes: o.configAllocatedBytes })
          : repoFile(o.config, {
              type: "symlink",
              bytes: null,
              allocatedBytes: null,
              linkTarget: o.configLinkTarget,
            }),
      );
    if (configs.length === 0) continue;
    r.files = [...r.files, ...configs];
    r.folders = [...new Set([...r.folders, ...foldersOf(r.files)])].sort();
  }
  return {
    repositories,
    guests: owners.filter((o) => o.type === "guest"),
    templates: owners.filter((o) => o.type === "template"),
    diagnostics: [],
    roots: repositories.map((r) => r.root),
  };
}

/** Guests repository `G` and resources repository `T` with the cases the graph must get right. */
export function sampleEstate(): ScanResult {
  const g = repository(
    "G",
    [
      repoFile("VirtualDisks/a.img", { simpleName: "vm1 system" }),
      repoFile("VirtualDisks/shared.img"),
      repoFile("VirtualDisks/orphan.img"),
      repoFile("VirtualDisks/exa.img", {
        type: "symlink",
        bytes: null,
        allocatedBytes: null,
        linkTarget: "/EXAVMIMAGES/GuestImages/vm2/System.img",
      }),
    ],
    { alias: "Guests A", role: "guests" },
  );
  const t = repository(
    "T",
    [
      repoFile("ISOs/os.iso"),
      repoFile("VirtualDisks/t.img"),
      repoFile("VirtualDisks/x.img"),
      repoFile("Assemblies/asm1/package.ova", { bytes: 10, allocatedBytes: 8 }),
      repoFile("Assemblies/asm1/disk.vmdk", { bytes: 20, allocatedBytes: 16 }),
    ],
    { alias: "Templates", role: "resources" },
  );
  const lun = reference({
    kind: "physical-disk",
    path: "/dev/mapper/3600a0b80",
    backend: "phy",
    vdev: "xvdd",
    access: "w!",
    shareable: true,
  });
  const vm1Disks = [
    inRepository("G", "VirtualDisks/a.img", { vdev: "xvda", line: 3 }),
    inRepository("G", "VirtualDisks/shared.img", { vdev: "xvdb", access: "w!", shareable: true, line: 4 }),
    inRepository("T", "VirtualDisks/x.img", { vdev: "xvdc", line: 5 }),
    inRepository("T", "ISOs/os.iso", { vdev: "hdc", devtype: "cdrom", access: "r", readonly: true, line: 6 }),
    reference({
      kind: "empty-cdrom",
      path: null,
      vdev: "hdd",
      devtype: "cdrom",
      spec: ",hdd:cdrom,r",
      line: 7,
    }),
    lun,
    inRepository("G", "VirtualDisks/a.img", { vdev: "xvde", line: 9 }),
  ];
  // A scan lists vm.cfg files as owners (with their sizes), not among the repository's files.
  const configSize = { configBytes: 1000, configAllocatedBytes: 500 };
  const vm1 = owner("G", "vm1", vm1Disks, {
    configBytes: 700,
    configAllocatedBytes: 4096,
    uuid: "0004fb00-0006-0000-0000-000000000001",
    running: true,
    nfsMounts: [{ source: "nas:/export/data", mountPoint: "/data", fstype: "nfs" }],
  });
  const vm1copy = owner("G", "vm1copy", vm1Disks, {
    ...configSize,
    uuid: "0004fb00-0006-0000-0000-000000000001",
    simpleName: vm1.simpleName,
  });
  const vm2 = owner(
    "G",
    "vm2",
    [
      inRepository("G", "VirtualDisks/shared.img", { vdev: "xvda", access: "w!", shareable: true }),
      inRepository("G", "VirtualDisks/missing.img", {
        vdev: "xvdb",
        present: false,
        bytes: null,
        allocatedBytes: null,
      }),
      inRepository("G", "VirtualDisks/exa.img", {
        vdev: "xvdc",
        bytes: null,
        allocatedBytes: null,
        linkTarget: "/EXAVMIMAGES/GuestImages/vm2/System.img",
      }),
      reference({ kind: "external-file", path: "/EXAVMIMAGES/conf/extra.img", vdev: "xvdd" }),
      { ...lun, vdev: "xvde" },
      reference({
        kind: "iso",
        path: "/var/tmp/tools.iso",
        devtype: "cdrom",
        vdev: "hdc",
        access: "r",
        readonly: true,
      }),
    ],
    {
      ...configSize,
      nfsMounts: [{ source: "nas:/export/data/", mountPoint: "/mnt/data", fstype: "nfs4" }],
      ok: false,
    },
  );
  const tpl = owner("T", "tpl", [inRepository("T", "VirtualDisks/t.img")], {
    ...configSize,
    type: "template",
  });
  return scanOf([g, t], [vm1, vm1copy, vm2, tpl]);
}
