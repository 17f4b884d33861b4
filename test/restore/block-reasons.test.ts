// planRestore over hand-built scans of real temp trees: each refusal with a case that triggers it and one that does not.
import { spawnSync } from "node:child_process";
import {
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import {
  type BlockReason,
  isSelectionError,
  type Owner,
  planRestore,
  type Reference,
  type RestoreOptions,
  type RestoreResult,
  RestoreResultSchema,
  renderRestoreList,
  type ScanResult,
  sameContent,
  scanRepositories,
} from "ovm-deps";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { materialise, ownerAt, repositoryAt, scanAt, tempDir } from "../plan/helpers.js";
import { inRepository, reference } from "../support/scan-factory.js";

/** One side of a restore: repositories by id with their files, owners with their disks as `REPO:file`. */
interface Layout {
  repositories: Record<string, string[]>;
  owners: Array<{ folder: string; disks: Array<string | Reference>; fields?: Partial<Owner> }>;
}

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir("ovm-deps-restore-");
});
afterEach(() => temp.remove());

/** Build the scan of one side under `<temp>/<name>` and write its files. */
function side(name: string, layout: Layout): ScanResult {
  const root = path.join(temp.dir, name);
  const repositories = Object.entries(layout.repositories).map(([id, files]) =>
    repositoryAt(root, id, files),
  );
  const owners = layout.owners.map(({ folder, disks, fields }) =>
    ownerAt(
      root,
      "R",
      folder,
      disks.map((d) => {
        if (typeof d !== "string") return d;
        const [repo, file] = d.split(":") as [string, string];
        return inRepository(repo, file, { present: layout.repositories[repo]?.includes(file) ?? false });
      }),
      { uuid: `0004fb00-0006-0000-0000-00000000000${folder.at(-1)}`, ...fields },
    ),
  );
  const scan = scanAt(root, repositories, owners);
  materialise(scan, name);
  return scan;
}

const DISKS = ["VirtualDisks/a.img", "VirtualDisks/b.img", "VirtualDisks/c.img"];
/** vm1 uses a.img, vm2 uses b.img: nothing shared. */
const BASE: Layout = {
  repositories: { R: DISKS },
  owners: [
    { folder: "vm1", disks: ["R:VirtualDisks/a.img"], fields: { running: false } },
    { folder: "vm2", disks: ["R:VirtualDisks/b.img"], fields: { running: false } },
  ],
};

async function restore(
  backup: Layout,
  live: Layout,
  options: Partial<RestoreOptions> = {},
): Promise<RestoreResult> {
  const result = await planRestore(side("live", live), side("backup", backup), {
    guests: ["vm1"],
    ...options,
  });
  if (isSelectionError(result)) throw new Error(JSON.stringify(result.problems));
  return RestoreResultSchema.parse(result);
}

const reasons = (result: RestoreResult): BlockReason[] => result.blocked.map((b) => b.reason);
/** A layout with vm1's and vm2's entries changed. */
const withOwners = (layout: Layout, owners: Layout["owners"]): Layout => ({ ...layout, owners });
const vm1 = "R/VirtualMachines/vm1";
const vm2 = "R/VirtualMachines/vm2";

// Links made after a scan are not seen by the restore: it reads only what the scan recorded. These cases
// build the tree, links included, and scan it with the real scanner.
/** Write the side's files and real vm.cfg files (disk paths by `/OVS/Repositories/<id>/…`), return its ROOT. */
function tree(name: string, layout: Layout): string {
  const scan = side(name, layout);
  for (const o of scan.guests) {
    const disks = o.disks.map((d) => `'file:/OVS/Repositories/${d.repository}/${d.file},${d.vdev},w'`);
    writeFileSync(o.path, `name = '${o.id}'\nuuid = '${o.uuid}'\ndisk = [${disks.join(", ")}]\n`);
  }
  return path.join(temp.dir, name);
}
const scanned = (root: string) => scanRepositories([root]);

describe("planRestore", () => {
  it("restores a guest's vm.cfg and own disks, overwriting, with absolute source and target", async () => {
    const result = await restore(BASE, BASE);
    expect(result.safe).toBe(true);
    expect(result.guests).toEqual([vm1]);
    expect(result.actions).toEqual([
      {
        guest: vm1,
        repository: "R",
        file: "VirtualMachines/vm1/vm.cfg",
        source: path.join(temp.dir, "backup/R/VirtualMachines/vm1/vm.cfg"),
        target: path.join(temp.dir, "live/R/VirtualMachines/vm1/vm.cfg"),
        action: "overwrite",
        // No size for the vm.cfg in this hand-built scan: its size is unknown.
        bytes: null,
        allocatedBytes: null,
        mtimeMs: expect.any(Number),
        // Nor of the live one: unknown, never 0.
        targetBytes: null,
        targetMtimeMs: expect.any(Number),
        links: [],
      },
      {
        guest: vm1,
        repository: "R",
        file: "VirtualDisks/a.img",
        source: path.join(temp.dir, "backup/R/VirtualDisks/a.img"),
        target: path.join(temp.dir, "live/R/VirtualDisks/a.img"),
        action: "overwrite",
        bytes: 1000,
        allocatedBytes: 500,
        mtimeMs: expect.any(Number),
        targetBytes: 1000,
        targetMtimeMs: expect.any(Number),
        links: [],
      },
    ]);
    expect(result.space).toEqual([
      { repository: "R", root: path.join(temp.dir, "live/R"), neededBytes: 500 },
    ]);
    expect(result.roots).toEqual({
      live: [path.join(temp.dir, "live")],
      backup: [path.join(temp.dir, "backup")],
    });
  });

  it("creates what the live tree lacks and says there is no live counterpart", async () => {
    const live: Layout = { repositories: { R: ["VirtualDisks/b.img"] }, owners: [BASE.owners[1]!] };
    const result = await restore(BASE, live);
    expect(result.safe).toBe(true);
    expect(result.actions.map((a) => a.action)).toEqual(["create", "create"]);
    expect(result.warnings.map((w) => w.code)).toContain("no-live-counterpart");
  });

  describe("shared", () => {
    const sharing = withOwners(BASE, [
      { folder: "vm1", disks: ["R:VirtualDisks/a.img"], fields: { running: false } },
      { folder: "vm2", disks: ["R:VirtualDisks/b.img", "R:VirtualDisks/a.img"], fields: { running: false } },
    ]);

    it("blocks a file another owner uses in the backup", async () => {
      const result = await restore(sharing, BASE);
      expect(result.blocked).toEqual([
        {
          guest: vm1,
          ref: path.join(temp.dir, "backup/R/VirtualDisks/a.img"),
          reason: "shared",
          users: [vm1, vm2],
        },
      ]);
      expect(result.safe).toBe(false);
    });

    it("blocks a file another owner uses in the live tree beside the guest", async () => {
      expect(reasons(await restore(BASE, sharing))).toEqual(["shared"]);
    });

    it("is lifted by allowShared, and does not apply when every user is restored together", async () => {
      expect((await restore(sharing, sharing, { allowShared: true })).safe).toBe(true);
      const both = await restore(sharing, sharing, { guests: ["vm1", "vm2"] });
      expect(both.safe).toBe(true);
      // The shared file is one action, however many restored guests use it.
      expect(both.actions.filter((a) => a.file === "VirtualDisks/a.img")).toHaveLength(1);
    });
  });

  describe("used-by-other", () => {
    const taken = withOwners(BASE, [
      { folder: "vm1", disks: ["R:VirtualDisks/c.img"], fields: { running: false } },
      { folder: "vm2", disks: ["R:VirtualDisks/a.img"], fields: { running: false } },
    ]);

    it("blocks a live file that became another owner's, even with allowShared", async () => {
      const result = await restore(BASE, taken, { allowShared: true });
      expect(result.blocked).toEqual([
        {
          guest: vm1,
          ref: path.join(temp.dir, "live/R/VirtualDisks/a.img"),
          reason: "used-by-other",
          users: [vm1, vm2],
        },
      ]);
    });

    it("does not block a live file nobody uses", async () => {
      const unused = withOwners(BASE, [
        { folder: "vm1", disks: ["R:VirtualDisks/c.img"], fields: { running: false } },
      ]);
      const result = await restore(BASE, unused);
      expect(result.safe).toBe(true);
      // c.img, which the live vm1 gained since the backup, is a warning and never an action.
      expect(result.warnings.map((w) => w.code)).toContain("disk-gained");
      expect(result.actions.map((a) => a.file)).not.toContain("VirtualDisks/c.img");
    });
  });

  it("blocks a disk missing from the backup (missing-in-backup), and not a present one", async () => {
    const lost: Layout = { ...BASE, repositories: { R: ["VirtualDisks/b.img"] } };
    const result = await restore(lost, BASE);
    expect(result.blocked).toEqual([
      {
        guest: vm1,
        ref: path.join(temp.dir, "backup/R/VirtualDisks/a.img"),
        reason: "missing-in-backup",
        users: [],
      },
    ]);
    expect(result.actions.map((a) => a.file)).toEqual(["VirtualMachines/vm1/vm.cfg"]);
    expect(reasons(await restore(BASE, BASE))).toEqual([]);
  });

  describe("outside-repository", () => {
    it("blocks a target reached through a link that leaves the live repository", async () => {
      const live = tree("live", { repositories: { R: [] }, owners: [] });
      const elsewhere = path.join(temp.dir, "elsewhere");
      mkdirSync(elsewhere);
      mkdirSync(path.join(live, "R/VirtualMachines"), { recursive: true });
      symlinkSync(elsewhere, path.join(live, "R/VirtualDisks"));
      const result = await planRestore(await scanned(live), await scanned(tree("backup", BASE)), {
        guests: ["vm1"],
      });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.blocked.map((b) => [b.reason, b.ref])).toEqual([
        ["outside-repository", path.join(live, "R/VirtualDisks")],
      ]);
    });

    it("blocks a source reached through a link that leaves the backup repository", async () => {
      const live = tree("live", BASE);
      const backup = tree("backup", { ...BASE, repositories: { R: [] } });
      mkdirSync(path.join(backup, "R/VirtualMachines"), { recursive: true });
      symlinkSync(path.join(live, "R/VirtualDisks"), path.join(backup, "R/VirtualDisks"));
      const result = await planRestore(await scanned(live), await scanned(backup), { guests: ["vm1"] });
      if (isSelectionError(result)) throw new Error("selection");
      // The scan sees the disk as a link leaving the repository: not copied, listed outside, never read through.
      expect(result.actions.map((a) => a.file)).toEqual(["VirtualMachines/vm1/vm.cfg"]);
      expect(result.outside.map((o) => o.ref)).toEqual([path.join(live, "R/VirtualDisks/a.img")]);
      // Through the same link, the backup's vm.cfg folder is fine; only its disk leaves.
      expect(reasons(result)).toEqual([]);
    });

    it("accepts a link that stays inside its repository, and says the copy goes through it", async () => {
      const live = tree("live", { repositories: { R: ["Disks/a.img"] }, owners: [] });
      mkdirSync(path.join(live, "R/VirtualMachines"), { recursive: true });
      symlinkSync("Disks", path.join(live, "R/VirtualDisks"));
      const result = await planRestore(await scanned(live), await scanned(tree("backup", BASE)), {
        guests: ["vm1"],
      });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.safe).toBe(true);
      const disk = result.actions.find((a) => a.file === "VirtualDisks/a.img");
      expect(disk?.action).toBe("overwrite");
      expect(disk?.links).toEqual([path.join(live, "R/VirtualDisks")]);
      expect(result.warnings.map((w) => w.code)).toContain("symlink-on-the-way");
      // rsync would replace the link by a folder: the list refuses, json is the way.
      expect(renderRestoreList(result, true).ok).toBe(false);
    });

    it("blocks a vm.cfg target that a link inside the repository makes another guest's vm.cfg", async () => {
      const live = tree("live", withOwners(BASE, [BASE.owners[1]!]));
      const vm1Folder = path.join(live, "R/VirtualMachines/vm1");
      mkdirSync(vm1Folder, { recursive: true });
      symlinkSync("../vm2/vm.cfg", path.join(vm1Folder, "vm.cfg"));
      const result = await planRestore(await scanned(live), await scanned(tree("backup", BASE)), {
        guests: ["vm1"],
        allowShared: true,
      });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.blocked.map((b) => [b.reason, b.ref])).toEqual([
        // The live vm.cfg is a link where the backup has a file…
        ["type-changed", path.join(vm1Folder, "vm.cfg")],
        // …and what it leads to is another guest's.
        ["used-by-other", path.join(vm1Folder, "vm.cfg")],
      ]);
    });

    it("blocks a target that a link inside the repository turns into another owner's file", async () => {
      // Live: VirtualDisks is a link to Disks, and vm2 uses Disks/a.img — what vm1's VirtualDisks/a.img really is.
      const live = tree("live", {
        repositories: { R: ["Disks/a.img"] },
        owners: [{ folder: "vm2", disks: ["R:Disks/a.img"], fields: { running: false } }],
      });
      symlinkSync("Disks", path.join(live, "R/VirtualDisks"));
      const result = await planRestore(await scanned(live), await scanned(tree("backup", BASE)), {
        guests: ["vm1"],
        allowShared: true,
      });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.blocked.map((b) => [b.reason, b.users])).toEqual([["used-by-other", [vm1, vm2]]]);
    });

    it("blocks a target whose folder is a file another guest uses (creating the path would destroy it)", async () => {
      // Backup: vm1's disk is VirtualDisks/sub/a.img. Live: VirtualDisks/sub is vm2's disk file.
      const backup = tree("backup", {
        repositories: { R: ["VirtualDisks/sub/a.img"] },
        owners: [{ folder: "vm1", disks: ["R:VirtualDisks/sub/a.img"], fields: { running: false } }],
      });
      const live = tree("live", {
        repositories: { R: ["VirtualDisks/sub"] },
        owners: [{ folder: "vm2", disks: ["R:VirtualDisks/sub"], fields: { running: false } }],
      });
      const result = await planRestore(await scanned(live), await scanned(backup), { guests: ["vm1"] });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.blocked.map((b) => [b.reason, b.ref])).toEqual([
        ["not-a-regular-file", path.join(live, "R/VirtualDisks/sub")],
      ]);
    });

    it("never calls a place the scan did not look into absent: a snapshot folder, a name it left out", async () => {
      const backup = tree("backup", {
        repositories: { R: ["VirtualDisks/.snap/a.img"] },
        owners: [{ folder: "vm1", disks: ["R:VirtualDisks/.snap/a.img"], fields: { running: false } }],
      });
      const live = tree("live", BASE);
      mkdirSync(path.join(live, "R/VirtualDisks/.snap"));
      // The live .snap holds a link out of the repository where the disk would be written.
      symlinkSync("/etc/passwd", path.join(live, "R/VirtualDisks/.snap/a.img"));
      const result = await planRestore(await scanned(live), await scanned(backup), { guests: ["vm1"] });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.blocked.map((b) => [b.reason, b.ref])).toEqual([
        ["unreadable", path.join(live, "R/VirtualDisks/.snap/a.img")],
      ]);
    });

    it("records a repository folder reached through a link under its ROOT, which a list for rsync must not pass", async () => {
      // The repository folder lives elsewhere; the ROOT holds a link to it, named with --repository.
      const live = tree("live", BASE);
      renameSync(path.join(live, "R"), path.join(temp.dir, "real-R"));
      symlinkSync(path.join(temp.dir, "real-R"), path.join(live, "R"));
      const liveScan = await scanRepositories([live], {
        repositoryNames: [{ name: "R", dir: path.join(live, "R") }],
      });
      const result = await planRestore(liveScan, await scanned(tree("backup", BASE)), { guests: ["vm1"] });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.safe).toBe(true);
      expect(result.actions.map((a) => a.links)).toEqual([[path.join(live, "R")], [path.join(live, "R")]]);
      expect(renderRestoreList(result, true).ok).toBe(false);
    });

    it("blocks a target that is not a regular file, and a target the live scan could not list", async () => {
      const live = tree("live", BASE);
      rmSync(path.join(live, "R/VirtualDisks/a.img"));
      mkdirSync(path.join(live, "R/VirtualDisks/a.img"));
      const backup = await scanned(tree("backup", BASE));
      const result = await planRestore(await scanned(live), backup, { guests: ["vm1"] });
      if (isSelectionError(result)) throw new Error("selection");
      expect(result.blocked.map((b) => [b.reason, b.ref])).toEqual([
        ["not-a-regular-file", path.join(live, "R/VirtualDisks/a.img")],
      ]);
      // A live scan that could not list VirtualDisks knows nothing of what is there: never "create".
      const unlisted = await scanned(live);
      unlisted.repositories[0]!.folders = unlisted.repositories[0]!.folders.filter(
        (f) => !f.startsWith("VirtualDisks"),
      );
      unlisted.repositories[0]!.unlisted = [{ file: "VirtualDisks", error: "EACCES" }];
      unlisted.repositories[0]!.files = unlisted.repositories[0]!.files.filter(
        (f) => !f.file.startsWith("VirtualDisks/"),
      );
      const blind = await planRestore(unlisted, backup, { guests: ["vm1"] });
      if (isSelectionError(blind)) throw new Error("selection");
      expect(blind.blocked.map((b) => [b.reason, b.ref])).toEqual([
        ["unreadable", path.join(live, "R/VirtualDisks/a.img")],
      ]);
    });
  });

  it("blocks a vm.cfg that is a link leaving its repository (unsafe-symlink), and copies no such vm.cfg", async () => {
    const linked = withOwners(BASE, [
      {
        folder: "vm1",
        disks: [],
        fields: { running: false, configLinkTarget: "/etc/xen/vm1.cfg", ok: false },
      },
    ]);
    const result = await restore(linked, BASE);
    expect(result.blocked.map((b) => b.reason)).toEqual(["unsafe-symlink"]);
    expect(result.actions).toEqual([]);
    expect(result.outside.map((o) => o.ref)).toEqual(["/etc/xen/vm1.cfg"]);
    expect(reasons(await restore(BASE, BASE))).not.toContain("unsafe-symlink");
  });

  describe("guest-running", () => {
    const running = (value: boolean | null): Layout =>
      withOwners(BASE, [{ folder: "vm1", disks: ["R:VirtualDisks/a.img"], fields: { running: value } }]);

    it("blocks a guest the live xm list shows running", async () => {
      const result = await restore(running(null), running(true));
      expect(result.blocked).toEqual([{ guest: vm1, ref: vm1, reason: "guest-running", users: [vm1] }]);
    });

    it("does not block a stopped guest, and warns when the running state is unknown", async () => {
      expect((await restore(running(false), running(false))).warnings).toEqual([]);
      const unknown = await restore(running(null), running(null));
      expect(unknown.safe).toBe(true);
      expect(unknown.warnings.map((w) => w.code)).toEqual(["running-unknown"]);
    });
  });

  describe("uuid-conflict", () => {
    it("blocks when a live vm.cfg in another folder has the guest's uuid (any case, any dashes)", async () => {
      const live = withOwners(BASE, [
        ...BASE.owners,
        {
          folder: "vm9",
          disks: [],
          fields: { uuid: "0004FB0000060000000000000000000 1".replace(" ", ""), running: false },
        },
      ]);
      const result = await restore(BASE, live);
      expect(result.blocked).toEqual([
        {
          guest: vm1,
          ref: "0004fb00-0006-0000-0000-000000000001",
          reason: "uuid-conflict",
          users: ["R/VirtualMachines/vm9"],
        },
      ]);
    });

    it("does not block the live counterpart's own uuid", async () => {
      expect(reasons(await restore(BASE, BASE))).not.toContain("uuid-conflict");
    });
  });

  it("blocks a file whose repository has no live counterpart (no-live-repository)", async () => {
    const cross: Layout = {
      repositories: { R: DISKS, S: ["VirtualDisks/x.img"] },
      owners: [
        {
          folder: "vm1",
          disks: ["R:VirtualDisks/a.img", "S:VirtualDisks/x.img"],
          fields: { running: false },
        },
      ],
    };
    const result = await restore(cross, BASE);
    expect(result.blocked.map((b) => [b.reason, b.ref])).toEqual([
      ["no-live-repository", path.join(temp.dir, "backup/S/VirtualDisks/x.img")],
    ]);
    expect((await restore(cross, cross)).safe).toBe(true);
  });

  it("lists LUNs and external files as outside, never restores ISOs", async () => {
    const extras = withOwners(BASE, [
      {
        folder: "vm1",
        disks: [
          "R:VirtualDisks/a.img",
          reference({ kind: "physical-disk", path: "/dev/mapper/36000", backend: "phy" }),
          inRepository("R", "ISOs/os.iso", { devtype: "cdrom", kind: "iso" }),
        ],
        fields: { running: false },
      },
    ]);
    const layout = { ...extras, repositories: { R: [...DISKS, "ISOs/os.iso"] } };
    const result = await restore(layout, layout);
    expect(result.safe).toBe(true);
    expect(result.outside).toEqual([
      { kind: "physical-disk", ref: "/dev/mapper/36000", needs: "LUN/array-level backup", guest: vm1 },
    ]);
    expect(result.actions.map((a) => a.file)).toEqual(["VirtualMachines/vm1/vm.cfg", "VirtualDisks/a.img"]);
  });

  it("matches a backup repository to the live one by a shared name, not by folder alone", async () => {
    const backup = side("backup", BASE);
    // The backup copy is mounted under another folder name but keeps its id (OVS_REPO_UUID).
    backup.repositories[0] = { ...backup.repositories[0]!, folder: "copy", names: ["R", "copy"] };
    const result = await planRestore(side("live", BASE), backup, { guests: ["vm1"] });
    if (isSelectionError(result)) throw new Error("selection");
    expect(result.actions[0]?.target).toBe(path.join(temp.dir, "live/R/VirtualMachines/vm1/vm.cfg"));
  });

  it("refuses a selector that names one guest in the backup and another in the live tree (renamed)", async () => {
    // In the live tree, the guest called vm1 in the backup is gone from folder vm1: folder vm3 is now named vm1.
    const live = side("live", {
      ...BASE,
      owners: [
        { folder: "vm2", disks: ["R:VirtualDisks/b.img"], fields: { running: false } },
        { folder: "vm3", disks: [], fields: { name: "vm1", simpleName: null, running: false } },
      ],
    });
    const result = await planRestore(live, side("backup", BASE), { guests: ["vm1"] });
    expect(isSelectionError(result) && result.problems).toEqual([
      {
        selector: "vm1",
        kind: "different-in-live",
        candidates: [vm1, "R/VirtualMachines/vm3"],
        // Both named as people know them: the backup's simple name, the live guest's name.
        names: { [vm1]: "simple vm1", "R/VirtualMachines/vm3": "vm1" },
      },
    ]);
    // By its owner reference, the backup's vm1 is meant: no selector problem.
    expect(isSelectionError(await planRestore(live, side("backup", BASE), { guests: [vm1] }))).toBe(false);
  });

  it("returns unknown and ambiguous selectors as a SelectionError", async () => {
    const result = await planRestore(side("live", BASE), side("backup", BASE), { guests: ["vm7"] });
    expect(isSelectionError(result) && result.problems.map((p) => p.kind)).toEqual(["unknown"]);
  });
});

describe("what the copy step needs to trust", () => {
  const restoreReal = async (live: string, backup: string, options: Partial<RestoreOptions> = {}) => {
    const result = await planRestore(await scanned(live), await scanned(backup), {
      guests: ["vm1"],
      ...options,
    });
    if (isSelectionError(result)) throw new Error("selection");
    return result;
  };

  it("calls a file with the backup's size and mtime unchanged, and leaves it out of the list", async () => {
    const backup = tree("backup", BASE);
    const live = tree("live", BASE);
    // The same bytes and mtime on both sides for the disk; the vm.cfg differs.
    const when = new Date("2026-01-02T03:04:05Z");
    writeFileSync(path.join(backup, "R/VirtualDisks/a.img"), "same data");
    writeFileSync(path.join(live, "R/VirtualDisks/a.img"), "same data");
    utimesSync(path.join(backup, "R/VirtualDisks/a.img"), when, when);
    utimesSync(path.join(live, "R/VirtualDisks/a.img"), when, when);
    writeFileSync(path.join(live, "R/VirtualMachines/vm1/vm.cfg"), "name = 'vm1'\n# edited\n");
    const result = await restoreReal(live, backup);
    expect(result.actions.map((a) => [a.file, a.action])).toEqual([
      ["VirtualMachines/vm1/vm.cfg", "overwrite"],
      ["VirtualDisks/a.img", "unchanged"],
    ]);
    const list = renderRestoreList(result, false);
    expect(list.ok && list.output).toBe("R/VirtualMachines/vm1/vm.cfg\n");
    // A different mtime is enough to copy again.
    utimesSync(path.join(live, "R/VirtualDisks/a.img"), new Date(), new Date());
    const touched = await restoreReal(live, backup);
    expect(touched.actions.find((a) => a.file === "VirtualDisks/a.img")?.action).toBe("overwrite");
  });

  it("with sameContent (--checksum), decides unchanged by content: not by mtime, not fooled by it", async () => {
    const backup = tree("backup", BASE);
    const live = tree("live", BASE);
    const when = new Date("2026-01-02T03:04:05Z");
    // The disk: same bytes, another mtime. The vm.cfg: same size and mtime, other bytes.
    writeFileSync(path.join(backup, "R/VirtualDisks/a.img"), "same data");
    writeFileSync(path.join(live, "R/VirtualDisks/a.img"), "same data");
    utimesSync(path.join(live, "R/VirtualDisks/a.img"), when, new Date("2026-02-03T04:05:06Z"));
    const config = "R/VirtualMachines/vm1/vm.cfg";
    writeFileSync(
      path.join(live, config),
      readFileSync(path.join(backup, config), "utf8").replace("vm1", "vmX"),
    );
    utimesSync(path.join(backup, config), when, when);
    utimesSync(path.join(live, config), when, when);
    const quick = await restoreReal(live, backup);
    expect(quick.actions.map((a) => [a.file, a.action])).toEqual([
      ["VirtualMachines/vm1/vm.cfg", "unchanged"],
      ["VirtualDisks/a.img", "overwrite"],
    ]);
    const checked = await restoreReal(live, backup, { sameContent });
    expect(checked.actions.map((a) => [a.file, a.action])).toEqual([
      ["VirtualMachines/vm1/vm.cfg", "overwrite"],
      ["VirtualDisks/a.img", "unchanged"],
    ]);
    // What the copies write follows: only the vm.cfg.
    expect(checked.space.map((s) => s.neededBytes)).toEqual([checked.actions[0]!.allocatedBytes]);
  });

  it("refuses a disk that is a link inside its repository in the backup and a regular file in the live tree", async () => {
    // Backup: VirtualDisks/a.img -> a-real.img. Live: a.img is the guest's (damaged) regular file.
    const backup = tree("backup", {
      ...BASE,
      repositories: { R: ["VirtualDisks/a-real.img", "VirtualDisks/b.img"] },
    });
    symlinkSync("a-real.img", path.join(backup, "R/VirtualDisks/a.img"));
    const live = tree("live", BASE);
    const result = await restoreReal(live, backup);
    // Writing a-real.img would leave the guest opening its damaged a.img: refused, not a false "disk-gained".
    expect(result.blocked.map((b) => [b.reason, b.ref])).toEqual([
      ["type-changed", path.join(live, "R/VirtualDisks/a.img")],
    ]);
  });

  describe("a disk reached through a link inside its repository (a.img -> a-real.img)", () => {
    /** The backup: vm1's a.img is a link to a-real.img. */
    const linkedBackup = (): string => {
      const backup = tree("backup", {
        ...BASE,
        repositories: { R: ["VirtualDisks/a-real.img", "VirtualDisks/b.img"] },
      });
      symlinkSync("a-real.img", path.join(backup, "R/VirtualDisks/a.img"));
      return backup;
    };
    const actionsOf = (result: RestoreResult) =>
      result.actions.map((a) => [a.file, a.action, a.linkTo ?? null]);

    it("creates the link and its target where the live tree has neither, the link after its target", async () => {
      const live = tree("live", { ...BASE, repositories: { R: ["VirtualDisks/b.img"] } });
      const result = await restoreReal(live, linkedBackup());
      expect(result.blocked).toEqual([]);
      expect(actionsOf(result)).toEqual([
        ["VirtualMachines/vm1/vm.cfg", "overwrite", null],
        ["VirtualDisks/a-real.img", "create", null],
        ["VirtualDisks/a.img", "create", "a-real.img"],
      ]);
      // No false alarm: the live guest uses what it used in the backup, once links are followed.
      expect(result.warnings.map((w) => w.code)).not.toContain("disk-gained");
    });

    it("leaves the same link alone and never re-points another one", async () => {
      const same = tree("live", {
        ...BASE,
        repositories: { R: ["VirtualDisks/a-real.img", "VirtualDisks/b.img"] },
      });
      symlinkSync("a-real.img", path.join(same, "R/VirtualDisks/a.img"));
      const backup = linkedBackup();
      const kept = await restoreReal(same, backup);
      expect(kept.blocked).toEqual([]);
      expect(kept.actions.find((a) => a.file === "VirtualDisks/a.img")?.action).toBe("unchanged");

      rmSync(path.join(same, "R/VirtualDisks/a.img"));
      symlinkSync("b.img", path.join(same, "R/VirtualDisks/a.img"));
      const repointed = await restoreReal(same, backup);
      expect(repointed.blocked.map((b) => [b.reason, b.ref])).toContainEqual([
        "type-changed",
        path.join(same, "R/VirtualDisks/a.img"),
      ]);
    });

    it("refuses a relative link that would lead elsewhere from where the live tree puts its folder", async () => {
      // Backup: VirtualDisks/a.img -> ../Shared/a-real.img. Live: VirtualDisks is a link to Pool/Disks, so the
      // same text made there would lead to Pool/Shared/a-real.img: another file.
      const backup = tree("backup", {
        ...BASE,
        repositories: { R: ["Shared/a-real.img", "VirtualDisks/b.img"] },
        owners: [{ folder: "vm1", disks: ["R:VirtualDisks/a.img"], fields: { running: false } }],
      });
      symlinkSync("../Shared/a-real.img", path.join(backup, "R/VirtualDisks/a.img"));
      const live = tree("live", {
        repositories: { R: ["Pool/Disks/b.img", "Shared/a-real.img", "Pool/Shared/a-real.img"] },
        owners: [{ folder: "vm1", disks: ["R:VirtualDisks/a.img"], fields: { running: false } }],
      });
      symlinkSync("Pool/Disks", path.join(live, "R/VirtualDisks"));
      const result = await restoreReal(live, backup);
      expect(result.blocked.map((b) => [b.reason, b.ref])).toContainEqual([
        "type-changed",
        path.join(live, "R/VirtualDisks/a.img"),
      ]);
    });

    it("refuses to make the link where a live guest names a missing disk by it", async () => {
      const live = tree("live", {
        repositories: { R: ["VirtualDisks/b.img"] },
        owners: [
          { folder: "vm1", disks: ["R:VirtualDisks/b.img"], fields: { running: false } },
          { folder: "vm2", disks: ["R:VirtualDisks/a.img"], fields: { running: false } },
        ],
      });
      const result = await restoreReal(live, linkedBackup());
      expect(result.blocked.map((b) => [b.reason, b.ref, b.users])).toContainEqual([
        "used-by-other",
        path.join(live, "R/VirtualDisks/a.img"),
        [vm2],
      ]);
    });
  });

  it("judges a disk outside the listed areas (at the repository's top) by what the scan saw of it", async () => {
    const layout: Layout = {
      repositories: { R: ["top.img"] },
      owners: [{ folder: "vm1", disks: ["R:top.img"], fields: { running: false } }],
    };
    const backup = tree("backup", layout);
    const live = tree("live", layout);
    const result = await restoreReal(live, backup);
    expect(result.blocked).toEqual([]);
    const disk = result.actions.find((a) => a.file === "top.img");
    // Different contents (the trees were written with different bytes): overwritten, with real sizes.
    expect([disk?.action, disk?.targetBytes]).toEqual(["overwrite", 4]);
  });

  it("refuses a backup that is the live file itself (same inode: a backup made with hard links)", async () => {
    const live = tree("live", BASE);
    const backup = path.join(temp.dir, "hardlinked");
    expect(spawnSync("cp", ["-al", live, backup]).status).toBe(0);
    const result = await restoreReal(live, backup);
    expect(result.safe).toBe(false);
    expect(result.blocked.map((b) => b.reason)).toContain("same-file");
  });

  it("refuses a live target with a hard link outside the trees, or to another guest's disk", async () => {
    const backup = tree("backup", BASE);
    const live = tree("live", BASE);
    const outside = path.join(temp.dir, "elsewhere.img");
    linkSync(path.join(live, "R/VirtualDisks/a.img"), outside);
    const unknown = await restoreReal(live, backup);
    expect(unknown.blocked.map((b) => [b.reason, b.ref])).toEqual([
      ["hard-linked", path.join(live, "R/VirtualDisks/a.img")],
    ]);
    // Now the other name is vm2's disk, in the scanned tree: vm2 uses the same file.
    rmSync(outside);
    rmSync(path.join(live, "R/VirtualDisks/b.img"));
    linkSync(path.join(live, "R/VirtualDisks/a.img"), path.join(live, "R/VirtualDisks/b.img"));
    const shared = await restoreReal(live, backup);
    expect(shared.blocked.map((b) => [b.reason, b.users])).toEqual([["hard-linked", [vm1, vm2]]]);
  });

  it("refuses to overwrite a shared file while another user runs, even with allowShared", async () => {
    const layout: Layout = {
      repositories: { R: DISKS },
      owners: [
        { folder: "vm1", disks: ["R:VirtualDisks/a.img"], fields: { running: false } },
        { folder: "vm2", disks: ["R:VirtualDisks/a.img"], fields: { running: false } },
      ],
    };
    const backup = tree("backup", layout);
    const live = tree("live", layout);
    const xmList = path.join(temp.dir, "xm-list.txt");
    writeFileSync(
      xmList,
      "Name ID Mem VCPUs State Time(s)\nDomain-0 0 1024 2 r----- 1.0\nvm2 3 2048 2 -b---- 9.0\n",
    );
    const liveScan = await scanRepositories([live], { xmList });
    const result = await planRestore(liveScan, await scanned(backup), { guests: ["vm1"], allowShared: true });
    if (isSelectionError(result)) throw new Error("selection");
    expect(result.blocked.map((b) => [b.reason, b.users])).toEqual([["guest-running", [vm2]]]);
  });

  it("without --xm-list, warns that the other users of an overwritten file may be running, naming them", async () => {
    const layout: Layout = {
      repositories: { R: DISKS },
      owners: [
        { folder: "vm1", disks: ["R:VirtualDisks/a.img"] },
        { folder: "vm2", disks: ["R:VirtualDisks/a.img"] },
      ],
    };
    const result = await planRestore(
      await scanned(tree("live", layout)),
      await scanned(tree("backup", layout)),
      {
        guests: ["vm1"],
        allowShared: true,
      },
    );
    if (isSelectionError(result)) throw new Error("selection");
    expect(result.safe).toBe(true);
    const unknown = result.warnings.filter((w) => w.code === "running-unknown").map((w) => w.message);
    expect(unknown.some((m) => m.includes(vm2) && m.includes("VirtualDisks/a.img"))).toBe(true);
  });

  it("refuses repositories paired by folder name whose OVS_REPO_UUIDs differ", async () => {
    const backup = tree("backup", BASE);
    const live = tree("live", BASE);
    writeFileSync(path.join(backup, "R/.ovsrepo"), "OVS_REPO_UUID=0004fb0000030000aaaa\n");
    writeFileSync(path.join(live, "R/.ovsrepo"), "OVS_REPO_UUID=0004fb0000030000bbbb\n");
    const result = await restoreReal(live, backup);
    expect(result.blocked.map((b) => b.reason)).toContain("repository-mismatch");
  });
});
