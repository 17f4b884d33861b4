// Each disk classification of interfaces.md, and the repository layouts beyond the standard one.
import { closeSync, ftruncateSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { type Reference, ScanResultSchema, scanRepositories } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { live, owner, repository, tempDir, write } from "./helpers.js";

const REPO = "0004fb00000300001111222233334444";

/** Scan a ROOT holding one repository with one guest whose vm.cfg has `disks`; return that guest's disks. */
async function disksOf(disks: string[], prepare: (root: string) => void = () => {}): Promise<Reference[]> {
  const parent = tempDir();
  const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
  prepare(root);
  owner(root, "0004fb00000600000000000000000001", { name: "0004fb00000600000000000000000001", disks });
  const result = await scanRepositories([parent]);
  expect(ScanResultSchema.parse(result)).toEqual(result);
  expect(result.guests).toHaveLength(1);
  return result.guests[0]!.disks;
}

describe("classification", () => {
  it("a file in a scanned repository is a virtual-disk with its sizes", async () => {
    const [disk] = await disksOf([`file:${live(REPO, "VirtualDisks/a.img")},xvda,w`], (root) =>
      write(path.join(root, "VirtualDisks/a.img"), "12345"),
    );
    expect(disk).toMatchObject({
      kind: "virtual-disk",
      repository: REPO,
      file: "VirtualDisks/a.img",
      present: true,
      bytes: 5,
      linkTarget: null,
    });
    expect(disk!.allocatedBytes).toBeGreaterThanOrEqual(0);
  });

  it("a referenced file that is not there is a virtual-disk with present false", async () => {
    const [disk] = await disksOf([`tap:aio:${live(REPO, "VirtualDisks/gone.img")},xvda,w`]);
    expect(disk).toMatchObject({
      kind: "virtual-disk",
      file: "VirtualDisks/gone.img",
      present: false,
      bytes: null,
    });
  });

  it("a CD-ROM with a file in a repository is an iso, with its repository file", async () => {
    const [disk] = await disksOf([`file:${live(REPO, "ISOs/boot.iso")},hdc:cdrom,r`], (root) =>
      write(path.join(root, "ISOs/boot.iso"), "iso"),
    );
    expect(disk).toMatchObject({
      kind: "iso",
      repository: REPO,
      file: "ISOs/boot.iso",
      present: true,
      bytes: 3,
    });
  });

  it("a CD-ROM outside every repository or on a device is still an iso", async () => {
    const disks = await disksOf(["file:/srv/isos/x.iso,hdc:cdrom,r", "phy:/dev/cdrom,hdd:cdrom,r"]);
    expect(disks.map((d) => [d.kind, d.repository, d.path])).toEqual([
      ["iso", null, "/srv/isos/x.iso"],
      ["iso", null, "/dev/cdrom"],
    ]);
  });

  it("a CD-ROM without media is an empty-cdrom", async () => {
    const [disk] = await disksOf([",hdc:cdrom,r"]);
    expect(disk).toMatchObject({ kind: "empty-cdrom", path: null, repository: null, present: null });
  });

  it("phy:, backendtype=phy, script backends and unprefixed xl /dev/ targets are physical-disks", async () => {
    const disks = await disksOf([
      "phy:/dev/mapper/36000c29a,xvdb,w!",
      "format=raw, vdev=xvdc, access=w, backendtype=phy, target=/dev/sdc",
      "iscsi:iqn.2001-05.com.example:disk1,xvdd,w",
      "/dev/vg0/lv1,raw,xvde,w",
    ]);
    expect(disks.map((d) => d.kind)).toEqual([
      "physical-disk",
      "physical-disk",
      "physical-disk",
      "physical-disk",
    ]);
    expect(disks.every((d) => d.repository === null && d.bytes === null)).toBe(true);
  });

  it("a file outside every scanned repository is an external-file and is not examined", async () => {
    const [disk] = await disksOf(["file:/EXAVMIMAGES/GuestImages/vm1/System.img,xvda,w"]);
    expect(disk).toMatchObject({
      kind: "external-file",
      path: "/EXAVMIMAGES/GuestImages/vm1/System.img",
      repository: null,
      file: null,
      present: null,
      bytes: null,
    });
  });

  it("a sparse file has an allocated size below its apparent size", async () => {
    const [disk] = await disksOf([`file:${live(REPO, "VirtualDisks/thin.img")},xvda,w`], (root) => {
      const fd = openSync(path.join(root, "VirtualDisks/thin.img"), "w");
      writeSync(fd, "header");
      ftruncateSync(fd, 64 * 1024 * 1024);
      closeSync(fd);
    });
    expect(disk!.bytes).toBe(64 * 1024 * 1024);
    expect(disk!.allocatedBytes).not.toBeNull();
    expect(disk!.allocatedBytes!).toBeLessThan(disk!.bytes!);
  });

  it("paths are normalised before they are placed", async () => {
    const [disk] = await disksOf([`file:${live(REPO, "VirtualDisks/./sub/../a.img")},xvda,w`], (root) =>
      write(path.join(root, "VirtualDisks/a.img")),
    );
    expect(disk).toMatchObject({
      kind: "virtual-disk",
      path: live(REPO, "VirtualDisks/a.img"),
      file: "VirtualDisks/a.img",
    });
  });
});

describe("layouts", () => {
  it("ODA: disks inside the VM folder, repository named by its alias", async () => {
    const parent = tempDir();
    const root = repository(parent, "odarepo1", { OVS_REPO_ALIAS: "odarepo1" });
    write(path.join(root, "VirtualMachines/vm_oda1/System.img"));
    owner(root, "vm_oda1", {
      name: "vm_oda1",
      disks: [`file:${live("odarepo1", "VirtualMachines/vm_oda1/System.img")},xvda,w`],
    });
    const result = await scanRepositories([root]);
    expect(result.guests[0]!.disks[0]).toMatchObject({
      kind: "virtual-disk",
      repository: "odarepo1",
      file: "VirtualMachines/vm_oda1/System.img",
      present: true,
    });
    // Every file of a VM folder is part of the repository's inventory, its vm.cfg too.
    expect(result.repositories[0]!.files.map((f) => [f.file, f.area])).toEqual([
      ["VirtualMachines/vm_oda1/System.img", "VirtualMachines"],
      ["VirtualMachines/vm_oda1/vm.cfg", "VirtualMachines"],
    ]);
  });

  it("upper-case and plain uuid4 ids, dashed-uuid folders, .raw disks, a folder named unlike `name`", async () => {
    const parent = tempDir();
    const id = "484F3E32248C41E8AAF9ED025601C567";
    const root = repository(parent, id, { OVS_REPO_UUID: id });
    write(path.join(root, "VirtualDisks/d1f0c2b4-5a6e-4f7a-8b9c-0d1e2f3a4b5c.raw"));
    const folder = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    owner(root, folder, {
      name: "cloudstack-vm-42",
      uuid: folder,
      disks: [`file:${live(id, "VirtualDisks/d1f0c2b4-5a6e-4f7a-8b9c-0d1e2f3a4b5c.raw")},xvda,w`],
    });
    const result = await scanRepositories([root]);
    const guest = result.guests[0]!;
    expect(guest).toMatchObject({
      id: folder,
      name: "cloudstack-vm-42",
      repository: id,
      ref: `${id}/VirtualMachines/${folder}`,
      config: `VirtualMachines/${folder}/vm.cfg`,
    });
    expect(guest.disks[0]).toMatchObject({ kind: "virtual-disk", present: true });
  });

  it("templates are owners of their own list, referenced as REPOSITORY/Templates/FOLDER", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO, OVS_REPO_ALIAS: "Templates NFS" });
    write(path.join(root, "VirtualDisks/t.img"));
    owner(
      root,
      "tmpl1",
      { name: "tmpl1", disks: [`file:${live(REPO, "VirtualDisks/t.img")},xvda,w`] },
      "Templates",
    );
    const result = await scanRepositories([parent]);
    expect(result.guests).toEqual([]);
    expect(result.templates.map((t) => [t.ref, t.type])).toEqual([[`${REPO}/Templates/tmpl1`, "template"]]);
    expect(result.repositories[0]!.role).toBe("resources");
  });

  it("a copied vm.cfg with the same uuid is a second owner", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    const guest = { name: "web", uuid: "0004fb00-0006-0000-aaaa-000000000001", disks: [] };
    owner(root, "web", guest);
    owner(root, "web-copy", guest);
    const result = await scanRepositories([parent]);
    expect(result.guests.map((g) => g.ref)).toEqual([
      `${REPO}/VirtualMachines/web`,
      `${REPO}/VirtualMachines/web-copy`,
    ]);
  });

  it("snapshot, lost+found and tool folders are not repository content", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    write(path.join(root, "VirtualDisks/real.img"));
    write(path.join(root, "VirtualDisks/.snapshot/hourly.0/real.img"));
    write(path.join(root, ".snapshot/hourly.0/VirtualMachines/x/vm.cfg"), "name = 'x'\n");
    write(path.join(root, "lost+found/#1234"));
    write(path.join(root, ".generic_fs_stamp"), "stamp");
    mkdirSync(path.join(parent, "lost+found"));
    mkdirSync(path.join(parent, ".snapshot"));
    const result = await scanRepositories([parent]);
    expect(result.repositories.map((r) => r.id)).toEqual([REPO]);
    expect(result.repositories[0]!.files.map((f) => f.file)).toEqual(["VirtualDisks/real.img"]);
    expect(result.guests).toEqual([]);
    expect(statSync(path.join(root, ".generic_fs_stamp")).size).toBe(5);
  });

  it("a guest folder without vm.cfg is reported", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    mkdirSync(path.join(root, "VirtualMachines/empty"));
    const result = await scanRepositories([parent]);
    expect(result.guests).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toContainEqual([
      "missing-vm-cfg",
      path.join(root, "VirtualMachines/empty"),
    ]);
  });
});
