// Repository identity: ids, names a vm.cfg path may use, aliases, roles, rebasing of copies, unscanned repositories.
import path from "node:path";
import { scanRepositories } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { live, owner, repository, tempDir, write } from "./helpers.js";

const UUID = "0004fb0000030000aaaabbbbccccdddd";

describe("repository identity", () => {
  it("id is OVS_REPO_UUID when present, else the folder name; alias and names are recorded", async () => {
    const parent = tempDir();
    repository(parent, "copy-of-guests", { OVS_REPO_UUID: UUID, OVS_REPO_ALIAS: "Guests Pool1" });
    repository(parent, "plainrepo");
    const result = await scanRepositories([parent]);
    expect(result.repositories.map((r) => [r.id, r.folder, r.alias, r.uuid])).toEqual([
      [UUID, "copy-of-guests", "Guests Pool1", UUID],
      ["plainrepo", "plainrepo", null, null],
    ]);
    expect(result.repositories[0]!.names.sort()).toEqual(["Guests Pool1", UUID, "copy-of-guests"].sort());
    expect(result.repositories[0]!.ovsrepo).toEqual({ OVS_REPO_UUID: UUID, OVS_REPO_ALIAS: "Guests Pool1" });
  });

  it("a copy mounted under another folder name is rebased by OVS_REPO_UUID, never the live /OVS", async () => {
    const snapshot = tempDir();
    const root = repository(snapshot, "restored-2024-01-01", { OVS_REPO_UUID: UUID });
    write(path.join(root, "VirtualDisks/a.img"), "abc");
    owner(root, "vm1", { name: "vm1", disks: [`file:${live(UUID, "VirtualDisks/a.img")},xvda,w`] });
    const result = await scanRepositories([root]);
    const guest = result.guests[0]!;
    expect(guest.ref).toBe(`${UUID}/VirtualMachines/vm1`);
    expect(guest.path).toBe(path.join(root, "VirtualMachines/vm1/vm.cfg"));
    expect(guest.disks[0]).toMatchObject({
      kind: "virtual-disk",
      repository: UUID,
      file: "VirtualDisks/a.img",
      bytes: 3,
    });
  });

  it("a path naming the scanned folder itself resolves into that repository", async () => {
    const parent = tempDir();
    const root = repository(parent, "r1");
    write(path.join(root, "VirtualDisks/a.img"));
    owner(root, "vm1", { name: "vm1", disks: [`file:${root}/VirtualDisks/a.img,xvda,w`] });
    const result = await scanRepositories([root]);
    expect(result.guests[0]!.disks[0]).toMatchObject({
      kind: "virtual-disk",
      repository: "r1",
      present: true,
    });
  });

  it("an alias names its repository (ODA), unless another scanned repository claims that name", async () => {
    const parent = tempDir();
    const a = repository(parent, "0004fb0000030000000000000000000a", { OVS_REPO_ALIAS: "shared-name" });
    repository(parent, "0004fb0000030000000000000000000b", { OVS_REPO_ALIAS: "shared-name" });
    const c = repository(parent, "0004fb0000030000000000000000000c", { OVS_REPO_ALIAS: "odarepo" });
    write(path.join(a, "VirtualDisks/x.img"));
    write(path.join(c, "VirtualDisks/y.img"));
    owner(a, "vm1", {
      name: "vm1",
      disks: [
        `file:${live("shared-name", "VirtualDisks/x.img")},xvda,w`,
        `file:${live("odarepo", "VirtualDisks/y.img")},xvdb,w`,
      ],
    });
    const result = await scanRepositories([parent]);
    const [ambiguous, byAlias] = result.guests[0]!.disks;
    expect(byAlias).toMatchObject({ kind: "virtual-disk", repository: "0004fb0000030000000000000000000c" });
    expect(ambiguous).toMatchObject({ kind: "external-file", repository: null });
    expect(result.diagnostics.filter((d) => d.code === "alias-not-used")).toHaveLength(2);
  });

  it("--repository NAME=DIR adds DIR as a ROOT known as NAME", async () => {
    const elsewhere = tempDir();
    const other = repository(elsewhere, "mounted-here");
    write(path.join(other, "VirtualDisks/b.img"));
    const parent = tempDir();
    const root = repository(parent, "r1");
    owner(root, "vm1", { name: "vm1", disks: [`file:${live("livename", "VirtualDisks/b.img")},xvda,w`] });
    const result = await scanRepositories([root], { repositoryNames: [{ name: "livename", dir: other }] });
    expect(result.repositories.map((r) => r.id)).toEqual(["r1", "mounted-here"]);
    expect(result.repositories[1]!.names).toContain("livename");
    expect(result.guests[0]!.disks[0]).toMatchObject({
      kind: "virtual-disk",
      repository: "mounted-here",
      present: true,
    });
    expect(result.roots).toEqual([root, other]);
  });

  it("a name differing only in case is not a match, and the diagnostic suggests the scanned name", async () => {
    const parent = tempDir();
    const root = repository(parent, UUID, { OVS_REPO_UUID: UUID });
    const vmcfg = owner(root, "vm1", {
      name: "vm1",
      disks: [`file:${live(UUID.toUpperCase(), "VirtualDisks/a.img")},xvda,w`],
    });
    const result = await scanRepositories([parent]);
    const guest = result.guests[0]!;
    expect(guest.disks[0]).toMatchObject({ kind: "external-file", repository: null });
    const found = guest.diagnostics.find((d) => d.code === "repository-name-case");
    expect(found).toMatchObject({ file: vmcfg, line: 2 });
    expect(found!.message).toContain(UUID);
  });

  it("a path into a repository that was not scanned is an external-file with a diagnostic naming it", async () => {
    const parent = tempDir();
    const root = repository(parent, UUID, { OVS_REPO_UUID: UUID });
    owner(root, "vm1", {
      name: "vm1",
      disks: [`file:${live("0004fb0000030000ffff", "VirtualDisks/z.img")},xvda,w`],
    });
    const result = await scanRepositories([parent]);
    const guest = result.guests[0]!;
    expect(guest.disks[0]).toMatchObject({
      kind: "external-file",
      path: live("0004fb0000030000ffff", "VirtualDisks/z.img"),
    });
    const found = guest.diagnostics.find((d) => d.code === "repository-not-scanned");
    expect(found!.message).toContain("0004fb0000030000ffff");
  });

  it("a `..` that escapes the repository makes an external-file with the normalised path", async () => {
    const parent = tempDir();
    const root = repository(parent, UUID, { OVS_REPO_UUID: UUID });
    owner(root, "vm1", {
      name: "vm1",
      disks: [`file:${live(UUID, "VirtualDisks/../../../../etc/passwd")},xvda,w`],
    });
    const result = await scanRepositories([parent]);
    const guest = result.guests[0]!;
    expect(guest.disks[0]).toMatchObject({
      kind: "external-file",
      path: "/etc/passwd",
      repository: null,
      present: null,
    });
    expect(guest.diagnostics.map((d) => d.code)).toContain("path-escapes-repository");
  });

  it("two ROOTs holding the same repository id are a duplicate-repository error", async () => {
    const one = tempDir();
    const two = tempDir();
    repository(one, "a", { OVS_REPO_UUID: UUID });
    repository(two, "b", { OVS_REPO_UUID: UUID });
    const result = await scanRepositories([one, two]);
    expect(result.diagnostics.filter((d) => d.code === "duplicate-repository")).toHaveLength(1);
  });

  it("the same folder given twice is one repository", async () => {
    const parent = tempDir();
    const root = repository(parent, "r1");
    const result = await scanRepositories([root, parent], { repositoryNames: [{ name: "n", dir: root }] });
    expect(result.repositories).toHaveLength(1);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("duplicate-repository");
  });
});

describe("roles", () => {
  it("follow the naming convention of the alias, case-insensitively", async () => {
    const parent = tempDir();
    repository(parent, "a", { OVS_REPO_ALIAS: "guests-pool1" });
    repository(parent, "b", { OVS_REPO_ALIAS: "TEMPLATES shared" });
    repository(parent, "c", { OVS_REPO_ALIAS: "misc" });
    const result = await scanRepositories([parent]);
    expect(result.repositories.map((r) => r.role)).toEqual(["guests", "resources", null]);
  });

  it("policy rules override the convention; the first matching rule wins; `*` is a wildcard", async () => {
    const parent = tempDir();
    repository(parent, "a", { OVS_REPO_ALIAS: "Guests pool1" });
    repository(parent, "b", { OVS_REPO_ALIAS: "iso-library" });
    repository(parent, "c", { OVS_REPO_ALIAS: "Guests pool2" });
    const result = await scanRepositories([parent], {
      roles: [
        { match: "Guests pool1", role: null },
        { match: "iso-*", role: "resources" },
        { match: "*", role: "guests" },
      ],
    });
    expect(result.repositories.map((r) => r.role)).toEqual([null, "resources", "guests"]);
  });
});
