// Symbolic links: followed only inside their repository; leaving, looping and dangling links are reported.
import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { scanRepositories } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { live, owner, repository, tempDir, write } from "./helpers.js";

const REPO = "0004fb0000030000cafe000000000001";

/** One repository with one guest using `VirtualDisks/<name>` for each name; `prepare` makes the links. */
async function scanWith(names: string[], prepare: (root: string, outside: string) => void) {
  const parent = tempDir();
  const outside = tempDir();
  const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
  prepare(root, outside);
  const vmcfg = owner(root, "vm1", {
    name: "vm1",
    disks: names.map((n, i) => `file:${live(REPO, `VirtualDisks/${n}`)},xvd${"abcdefgh"[i]},w`),
  });
  const result = await scanRepositories([parent]);
  return { result, root, outside, vmcfg, guest: result.guests[0]! };
}

describe("symbolic links", () => {
  it("a link staying inside the repository is followed: the file is its target, with its sizes", async () => {
    const { guest, result } = await scanWith(["latest.img"], (root) => {
      write(path.join(root, "VirtualDisks/real.img"), "12345678");
      symlinkSync("real.img", path.join(root, "VirtualDisks/latest.img"));
    });
    expect(guest.disks[0]).toMatchObject({
      kind: "virtual-disk",
      file: "VirtualDisks/real.img",
      present: true,
      bytes: 8,
      linkTarget: null,
    });
    const link = result.repositories[0]!.files.find((f) => f.file === "VirtualDisks/latest.img");
    expect(link).toMatchObject({ type: "symlink", bytes: 8, linkTarget: null });
    expect(result.diagnostics.map((d) => d.code)).not.toContain("unsafe-symlink");
  });

  it("a link through a folder elsewhere in the repository, by an absolute /OVS path, stays inside", async () => {
    const { guest } = await scanWith(["moved.img"], (root) => {
      write(path.join(root, "VirtualMachines/vm1/data.img"), "abc");
      symlinkSync(live(REPO, "VirtualMachines/vm1/data.img"), path.join(root, "VirtualDisks/moved.img"));
    });
    expect(guest.disks[0]).toMatchObject({ file: "VirtualMachines/vm1/data.img", present: true, bytes: 3 });
  });

  it("a link leaving the repository gets linkTarget, no size, and an unsafe-symlink diagnostic", async () => {
    const { guest, result, outside, root, vmcfg } = await scanWith(["exa.img"], (root, outside) => {
      write(path.join(outside, "System.img"), "secret data outside");
      symlinkSync(path.join(outside, "System.img"), path.join(root, "VirtualDisks/exa.img"));
    });
    const target = path.join(outside, "System.img");
    expect(guest.disks[0]).toMatchObject({
      kind: "virtual-disk",
      file: "VirtualDisks/exa.img",
      present: true,
      bytes: null,
      allocatedBytes: null,
      linkTarget: target,
    });
    expect(result.repositories[0]!.files).toContainEqual(
      expect.objectContaining({
        file: "VirtualDisks/exa.img",
        type: "symlink",
        linkTarget: target,
        bytes: null,
      }),
    );
    expect(result.diagnostics.map((d) => [d.code, d.file])).toContainEqual([
      "unsafe-symlink",
      path.join(root, "VirtualDisks/exa.img"),
    ]);
    expect(guest.diagnostics.map((d) => [d.code, d.file, d.line])).toContainEqual([
      "unsafe-symlink",
      vmcfg,
      2,
    ]);
  });

  it("a relative link climbing out of the repository is taken from the link's own folder", async () => {
    const { guest } = await scanWith(["up.img"], (root) => {
      symlinkSync("../../elsewhere/x.img", path.join(root, "VirtualDisks/up.img"));
    });
    expect(guest.disks[0]!.linkTarget).toBe(path.join(path.dirname(guest.path), "../../../elsewhere/x.img"));
  });

  it("a folder on the way that is a link leaving the repository makes the disk's linkTarget", async () => {
    const parent = tempDir();
    const outside = tempDir();
    const root = path.join(parent, REPO);
    mkdirSync(path.join(root, "VirtualMachines/vm1"), { recursive: true });
    write(path.join(root, ".ovsrepo"), `OVS_REPO_UUID=${REPO}\n`);
    write(path.join(outside, "a.img"));
    symlinkSync(outside, path.join(root, "VirtualDisks"));
    owner(root, "vm1", { name: "vm1", disks: [`file:${live(REPO, "VirtualDisks/a.img")},xvda,w`] });
    const result = await scanRepositories([parent]);
    expect(result.guests[0]!.disks[0]).toMatchObject({
      file: "VirtualDisks/a.img",
      linkTarget: path.join(outside, "a.img"),
      bytes: null,
    });
    expect(result.repositories[0]!.files).toEqual([
      expect.objectContaining({ file: "VirtualDisks", type: "symlink", linkTarget: outside, link: outside }),
      expect.objectContaining({ file: "VirtualMachines/vm1/vm.cfg", type: "file", fileType: "file" }),
    ]);
  });

  it("a loop of links is a symlink-loop diagnostic, never a hang", async () => {
    const { guest, result } = await scanWith(["a.img"], (root) => {
      symlinkSync("b.img", path.join(root, "VirtualDisks/a.img"));
      symlinkSync("a.img", path.join(root, "VirtualDisks/b.img"));
    });
    expect(guest.disks[0]).toMatchObject({ kind: "virtual-disk", present: null, bytes: null });
    expect(guest.diagnostics.map((d) => d.code)).toContain("symlink-loop");
    expect(result.diagnostics.filter((d) => d.code === "symlink-loop")).toHaveLength(2);
  });

  it("a dangling link is a dangling-symlink diagnostic and the disk is not present", async () => {
    const { guest, result } = await scanWith(["dangling.img"], (root) => {
      symlinkSync("nothing-here.img", path.join(root, "VirtualDisks/dangling.img"));
    });
    expect(guest.disks[0]).toMatchObject({ present: false, bytes: null, linkTarget: null });
    expect(guest.diagnostics.map((d) => d.code)).toContain("dangling-symlink");
    expect(result.diagnostics.map((d) => d.code)).toContain("dangling-symlink");
  });

  it("a vm.cfg that is a link leaving its repository is not read: configLinkTarget, ok false", async () => {
    const parent = tempDir();
    const outside = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    const foreign = write(path.join(outside, "vm.cfg"), "name = 'foreign'\ndisk = ['file:/x.img,xvda,w']\n");
    mkdirSync(path.join(root, "VirtualMachines/vm1"));
    symlinkSync(foreign, path.join(root, "VirtualMachines/vm1/vm.cfg"));
    const result = await scanRepositories([parent]);
    const guest = result.guests[0]!;
    expect(guest).toMatchObject({ id: "vm1", ok: false, configLinkTarget: foreign, name: null, disks: [] });
    expect(guest.diagnostics.map((d) => [d.severity, d.code])).toContainEqual(["error", "unsafe-symlink"]);
  });

  it("a vm.cfg link staying inside the repository is read", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    write(path.join(root, "VirtualMachines/vm1/vm.cfg.orig"), "name = 'vm1'\ndisk = []\n");
    symlinkSync("vm.cfg.orig", path.join(root, "VirtualMachines/vm1/vm.cfg"));
    const result = await scanRepositories([parent]);
    expect(result.guests[0]).toMatchObject({ ok: true, name: "vm1", configLinkTarget: null });
  });
});
