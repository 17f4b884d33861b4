// The rebuild sheet through the CLI, on a generated estate: guests with and without guest backups.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RebuildSheetSchema } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../plan/helpers.js";
import { haveTool } from "../restore/helpers.js";
import { runCli } from "../support/cli.js";
import { type EstateManifest, generateEstate, type ManifestOwner } from "../support/estate/index.js";
import { snapshotTree } from "../support/tree-snapshot.js";

let temp: ReturnType<typeof tempDir>;
let manifest: EstateManifest;
let repositories: string;
let backups: string;
/** A guest with NFS mounts, its backup folder given hosts and network scripts; a guest without mounts. */
let withMounts: ManifestOwner;
let withoutMounts: ManifestOwner;

const write = (file: string, text: string): void => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
/** The guest's folder in the generated guest backups (named after its simple name, else its name). */
const folderOf = (guest: ManifestOwner): string => path.join(backups, guest.simpleName ?? guest.name);

beforeAll(() => {
  temp = tempDir("ovm-deps-rebuild-");
  const estate = path.join(temp.dir, "estate");
  manifest = generateEstate(estate, { guests: 12, seed: 3, diskBytes: 1024 * 1024 });
  repositories = path.join(estate, "repositories");
  backups = path.join(estate, manifest.guestBackupsDir!);
  // Guests one backup folder names alone (a copied vm.cfg shares its original's names).
  const names = manifest.owners.filter((o) => o.type === "guest").map((o) => o.simpleName ?? o.name);
  const alone = manifest.owners.filter(
    (o) =>
      o.type === "guest" &&
      o.copyOf === null &&
      names.filter((n) => n === (o.simpleName ?? o.name)).length === 1,
  );
  withMounts = alone.find((o) => o.nfsMounts.length > 0)!;
  withoutMounts = alone.find((o) => o.nfsMounts.length === 0)!;
  write(
    path.join(folderOf(withMounts), "etc/hosts"),
    "127.0.0.1 localhost localhost.localdomain\n::1 localhost6\n10.1.2.3  app01.example.com app01  # this guest\n10.1.2.9 db01\n",
  );
  write(
    path.join(folderOf(withMounts), "etc/sysconfig/network-scripts/ifcfg-eth0"),
    'DEVICE=eth0\nBOOTPROTO=static\nIPADDR="10.1.2.3"\nNETMASK=255.255.255.0\nGATEWAY=10.1.2.1\nHWADDR=00:21:f6:00:00:01\n',
  );
  write(
    path.join(folderOf(withMounts), "etc/sysconfig/network-scripts/ifcfg-lo"),
    "DEVICE=lo\nIPADDR=127.0.0.1\n",
  );
  // The other guest's backup leads out of itself: its hosts file and its sysconfig folder are links.
  const outside = path.join(temp.dir, "outside");
  write(path.join(outside, "hosts"), "192.0.2.66 not-this-guest\n");
  write(path.join(outside, "sysconfig/network-scripts/ifcfg-eth0"), "DEVICE=eth0\nIPADDR=192.0.2.77\n");
  symlinkSync(path.join(outside, "hosts"), path.join(folderOf(withoutMounts), "etc/hosts"));
  symlinkSync(path.join(outside, "sysconfig"), path.join(folderOf(withoutMounts), "etc/sysconfig"));
});
afterAll(() => temp.remove());

const sheetOf = (...args: string[]) => {
  const run = runCli(["rebuild", repositories, "--format", "json", "-q", ...args]);
  expect(run.code, run.stderr).toBe(0);
  return RebuildSheetSchema.parse(JSON.parse(run.stdout));
};

describe("rebuild", () => {
  it("gives the guest's identity, sizes, disks, interfaces, NFS mounts with options, and addresses", () => {
    const sheet = sheetOf("--guest", withMounts.ref, "--guest-backups", backups);
    expect([sheet.owner, sheet.uuid, sheet.name]).toEqual([withMounts.ref, withMounts.uuid, withMounts.name]);
    expect(sheet.memory).toBe(withMounts.memory);
    expect(sheet.vcpus).toBeGreaterThan(0);
    expect(sheet.disks.map((d) => [d.kind, d.repository, d.file])).toEqual(
      withMounts.disks.map((d) => [d.kind, d.repository, d.file]),
    );
    for (const disk of sheet.disks.filter((d) => d.kind === "virtual-disk" && d.bytes !== null)) {
      expect(disk.allocatedBytes).not.toBeNull();
    }
    const config = readFileSync(path.join(repositories, withMounts.repository, withMounts.config), "utf8");
    expect(sheet.vifs.length).toBeGreaterThan(0);
    for (const vif of sheet.vifs) {
      expect(config).toContain(`mac=${vif.mac}`);
      expect(config).toContain(`bridge=${vif.bridge}`);
    }
    expect(sheet.nfsMountsKnown).toBe(true);
    expect(sheet.guestBackup).toBe(folderOf(withMounts));
    expect(sheet.nfsMounts).toEqual(withMounts.nfsMounts);
    expect(sheet.addresses.map((a) => [a.source, a.address, a.names])).toEqual([
      ["hosts", "10.1.2.3", ["app01.example.com", "app01"]],
      ["hosts", "10.1.2.9", ["db01"]],
      ["network-script", "10.1.2.3", ["eth0"]],
    ]);
    expect(sheet.addresses[2]).toMatchObject({
      file: "etc/sysconfig/network-scripts/ifcfg-eth0",
      netmask: "255.255.255.0",
      gateway: "10.1.2.1",
      hwaddr: "00:21:f6:00:00:01",
    });
    expect(sheet.exclude).toContain("/proc/*");
    for (const mount of withMounts.nfsMounts) expect(sheet.exclude).toContain(`${mount.mountPoint}/*`);
    expect(sheet.diagnostics).toEqual([]);
  });

  it("never follows a link out of a guest backup, and says what it could not read", () => {
    const sheet = sheetOf("--guest", withoutMounts.ref, "--guest-backups", backups);
    expect(sheet.nfsMountsKnown).toBe(true);
    expect(sheet.nfsMounts).toEqual([]);
    expect(sheet.addresses).toEqual([]);
    // The hosts link and the sysconfig folder link (to the network scripts): each said, neither followed.
    expect(sheet.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ["guest-file-unreadable", path.join(folderOf(withoutMounts), "etc/hosts")],
      ["guest-file-unreadable", path.join(folderOf(withoutMounts), "etc/sysconfig")],
    ]);
  });

  it("without guest backups: the NFS mounts and addresses are unknown, and each format says so", () => {
    const sheet = sheetOf("--guest", withMounts.ref);
    expect([sheet.guestBackup, sheet.nfsMountsKnown, sheet.nfsMounts, sheet.addresses]).toEqual([
      null,
      false,
      [],
      [],
    ]);
    expect(sheet.memory).toBe(withMounts.memory);
    expect(sheet.exclude.some((p) => withMounts.nfsMounts.some((m) => p.startsWith(m.mountPoint)))).toBe(
      false,
    );
    const list = runCli([
      "rebuild",
      repositories,
      "--guest",
      withMounts.ref,
      "--format",
      "rsync-exclude",
      "-q",
    ]);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain("NFS mounts are unknown");
    const markdown = runCli([
      "rebuild",
      repositories,
      "--guest",
      withMounts.ref,
      "--format",
      "markdown",
      "-q",
    ]);
    expect(markdown.stdout).toContain("- [ ] unknown: no guest backup was read");
  });

  it("names a guest no backup folder is named after", () => {
    const only = path.join(temp.dir, "only-one");
    write(path.join(only, withMounts.simpleName ?? withMounts.name, "etc/fstab"), "nas:/x /x nfs ro 0 0\n");
    const sheet = sheetOf("--guest", withoutMounts.ref, "--guest-backups", only);
    expect(sheet.nfsMountsKnown).toBe(false);
    expect(sheet.diagnostics.map((d) => d.code)).toEqual(["guest-backup-not-found"]);
    const found = sheetOf("--guest", withMounts.ref, "--guest-backups", only);
    expect(found.nfsMounts).toEqual([{ source: "nas:/x", mountPoint: "/x", fstype: "nfs", options: "ro" }]);
  });

  it.skipIf(!haveTool("rsync"))(
    "rsync-exclude: real rsync keeps the mount points and skips what is in them",
    () => {
      const run = runCli([
        "rebuild",
        repositories,
        "--guest",
        withMounts.ref,
        "--guest-backups",
        backups,
        "--format",
        "rsync-exclude",
        "-q",
      ]);
      expect([run.code, run.stderr]).toEqual([0, ""]);
      const patterns = run.stdout.trimEnd().split("\n");
      expect(patterns.every((p) => p.startsWith("/") && p.endsWith("/*"))).toBe(true);
      const root = path.join(temp.dir, "guest-root");
      const mount = withMounts.nfsMounts[0]!.mountPoint;
      write(path.join(root, "proc/1/status"), "x");
      write(path.join(root, mount, "share.dat"), "x");
      write(path.join(root, "etc/hosts"), "x");
      // Anchored: a folder of the same name deeper down is copied.
      write(path.join(root, "srv/tmp/keep"), "x");
      const listFile = path.join(temp.dir, "exclude.txt");
      writeFileSync(listFile, run.stdout);
      const target = path.join(temp.dir, "guest-copy");
      const rsync = spawnSync("rsync", ["-a", `--exclude-from=${listFile}`, `${root}/`, `${target}/`]);
      expect(rsync.status).toBe(0);
      const copied = snapshotTree(target).map((e) => e.path);
      expect(copied).toContain("etc/hosts");
      expect(copied).toContain("srv/tmp/keep");
      expect(copied).toContain("proc");
      expect(copied).toContain(mount.slice(1));
      expect(copied).not.toContain("proc/1/status");
      expect(copied).not.toContain(`${mount.slice(1)}/share.dat`);
    },
  );

  it("markdown is a checklist in rebuild order, and a saved sheet re-renders through format", () => {
    const args = ["rebuild", repositories, "--guest", withMounts.ref, "--guest-backups", backups, "-q"];
    const markdown = runCli([...args, "--format", "markdown"]).stdout;
    const headings = markdown.split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual([
      "## 1. Create the guest",
      "## 2. Disks",
      "## 3. Network interfaces",
      "## 4. Restore the files from the in-guest backup of /",
      "## 5. NFS mounts",
      "## 6. Addresses (check them on the new host)",
    ]);
    expect(markdown).toContain(`- [ ] mount point \`${withMounts.nfsMounts[0]!.mountPoint}\``);
    const saved = path.join(temp.dir, "sheet.json");
    writeFileSync(saved, runCli([...args, "--format", "json"]).stdout);
    expect(runCli(["format", saved, "--format", "markdown"]).stdout).toBe(markdown);
    expect(runCli(["format", saved, "--format", "text"]).stdout).toBe(runCli(args).stdout);
  });

  it("reads only, and exits 2 without --guest or for an unknown one", () => {
    const before = snapshotTree(repositories);
    sheetOf("--guest", withMounts.ref, "--guest-backups", backups);
    expect(snapshotTree(repositories)).toEqual(before);
    expect(runCli(["rebuild", repositories, "-q"]).code).toBe(2);
    const unknown = runCli(["rebuild", repositories, "--guest", "no-such-guest", "-q"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no-such-guest");
  });
});
