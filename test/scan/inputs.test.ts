// Guest backups, xm list, .ovsmeta, and awkward input: missing or empty ROOTs, unreadable files, odd names, huge files.
import { chmodSync, closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import path from "node:path";
import { scanRepositories } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { live, owner, repository, tempDir, write } from "./helpers.js";

const REPO = "0004fb0000030000beef000000000001";

describe("guest backups and xm list", () => {
  it("NFS mounts come from each guest's backed-up etc/fstab, matched by simple name, name, uuid or id", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    owner(root, "f1", { name: "n1", simpleName: "web01", disks: [] });
    owner(root, "f2", { name: "n2", disks: [] });
    owner(root, "f3", { name: "n3", uuid: "0004fb00-0006-0000-1111-222233334444", disks: [] });
    owner(root, "f4", { name: "n4", disks: [] });
    const backups = tempDir();
    write(
      path.join(backups, "web01/etc/fstab"),
      [
        "# static file system information",
        "/dev/mapper/vg-root  /  ext4  defaults  1 1",
        "nas01:/export/app  /u01/app  nfs  rw,hard  0 0",
        "nas02:/export/with\\040space /mnt/with\\040space nfs4 defaults 0 0   # trailing comment",
        "tmpfs /dev/shm tmpfs defaults 0 0",
      ].join("\n"),
    );
    write(path.join(backups, "n2/etc/fstab"), "nas03:/home /home nfs defaults 0 0\n");
    write(path.join(backups, "0004FB000006000011112222333344444/etc/fstab"), "");
    write(path.join(backups, "0004FB00000600001111222233334444/etc/fstab"), "nas04:/x /x nfs4 ro 0 0\r\n");
    write(path.join(backups, "f4/etc/fstab"), "nas05:/y /y nfs defaults 0 0\n");
    write(path.join(backups, "decommissioned/etc/fstab"), "nas06:/z /z nfs defaults 0 0\n");
    const result = await scanRepositories([parent], { guestBackups: backups });
    const mounts = Object.fromEntries(result.guests.map((g) => [g.id, g.nfsMounts]));
    expect(mounts).toEqual({
      f1: [
        { source: "nas01:/export/app", mountPoint: "/u01/app", fstype: "nfs", options: "rw,hard" },
        {
          source: "nas02:/export/with space",
          mountPoint: "/mnt/with space",
          fstype: "nfs4",
          options: "defaults",
        },
      ],
      f2: [{ source: "nas03:/home", mountPoint: "/home", fstype: "nfs", options: "defaults" }],
      f3: [{ source: "nas04:/x", mountPoint: "/x", fstype: "nfs4", options: "ro" }],
      f4: [{ source: "nas05:/y", mountPoint: "/y", fstype: "nfs", options: "defaults" }],
    });
    const unmatched = result.diagnostics
      .filter((d) => d.code === "guest-backup-unmatched")
      .map((d) => d.file);
    expect(unmatched.sort()).toEqual(
      [path.join(backups, "0004FB000006000011112222333344444"), path.join(backups, "decommissioned")].sort(),
    );
  });

  it("without guest backups nfsMounts are empty", async () => {
    const parent = tempDir();
    owner(repository(parent, REPO), "f1", { name: "n1", disks: [] });
    const result = await scanRepositories([parent]);
    expect(result.guests[0]!.nfsMounts).toEqual([]);
  });

  it("guests listed in xm list (by name) are running, others not; Domain-0 and the header are ignored", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO);
    owner(root, "f1", { name: "runs", disks: [] });
    owner(root, "f2", { name: "stopped", disks: [] });
    owner(root, "f3", { name: "Name", disks: [] });
    const xmList = write(
      path.join(tempDir(), "xm-list.txt"),
      [
        "Name                                        ID   Mem VCPUs      State   Time(s)",
        "Domain-0                                     0  2048     2     r-----   1234.5",
        "runs                                         3  4096     2     -b----    567.8",
        "",
      ].join("\n"),
    );
    const result = await scanRepositories([parent], { xmList });
    expect(result.guests.map((g) => [g.name, g.running])).toEqual([
      ["runs", true],
      ["stopped", false],
      ["Name", false],
    ]);
    const unknown = await scanRepositories([parent]);
    expect(unknown.guests.map((g) => g.running)).toEqual([null, null, null]);
  });

  it.each([
    ["empty (what ssh leaves when it fails)", "", "no `Name ID Mem VCPUs State` header"],
    ["an ssh error", "ssh: connect to host ovs1 port 22: No route to host\n", "no `Name ID"],
    ["binary", "\u0000\u0001ELF\u0002", "binary bytes"],
    ["xm list -l (S-expressions)", "(domain\n    (domid 0)\n    (name Domain-0)\n)\n", "S-expressions"],
    [
      "a table without Domain-0",
      "Name ID Mem VCPUs State Time(s)\nruns 3 4096 2 -b---- 5.0\n",
      "no Domain-0 row",
    ],
  ])("an xm list that is %s is xm-list-invalid: every running state unknown", async (_what, text, why) => {
    const parent = tempDir();
    owner(repository(parent, REPO), "f1", { name: "runs", disks: [] });
    const xmList = write(path.join(tempDir(), "xm-list.txt"), text);
    const result = await scanRepositories([parent], { xmList });
    expect(result.guests[0]!.running).toBeNull();
    const invalid = result.diagnostics.filter((d) => d.code === "xm-list-invalid");
    expect(invalid.map((d) => [d.severity, d.file])).toEqual([["error", xmList]]);
    expect(invalid[0]!.message).toContain(why);
    expect(result.complete).toBe(false);
  });

  it("a guest whose vm.cfg has no readable name is neither running nor stopped: unknown", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO);
    write(path.join(root, "VirtualMachines/f1/vm.cfg"), "uuid = '0004fb00-0006-0000-0000-000000000001'\n");
    const xmList = write(
      path.join(tempDir(), "xm-list.txt"),
      "Name ID Mem VCPUs State Time(s)\nDomain-0 0 2048 2 r----- 1.0\n",
    );
    const result = await scanRepositories([parent], { xmList });
    expect(result.guests[0]!.running).toBeNull();
  });

  it("an unreadable xm list leaves running unknown, with a diagnostic", async () => {
    const parent = tempDir();
    owner(repository(parent, REPO), "f1", { name: "runs", disks: [] });
    const result = await scanRepositories([parent], { xmList: path.join(parent, "no-such-file") });
    expect(result.guests[0]!.running).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toContain("xm-list-unreadable");
  });
});

describe(".ovsmeta", () => {
  it("gives simple names of repository files, by file name or path", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    write(path.join(root, "VirtualDisks/a.img"));
    write(path.join(root, "VirtualDisks/b.img"));
    write(path.join(root, "ISOs/c.iso"));
    write(
      path.join(root, ".ovsmeta"),
      JSON.stringify({
        "a.img": { OBJECT_TYPE: "VIRTUAL_DISK", SIMPLE_NAME: "web01 system" },
        "ISOs/c.iso": { OBJECT_TYPE: "ISO", SIMPLE_NAME: "OL7 install" },
      }),
    );
    const result = await scanRepositories([parent]);
    expect(result.repositories[0]!.files.map((f) => [f.file, f.simpleName])).toEqual([
      ["ISOs/c.iso", "OL7 install"],
      ["VirtualDisks/a.img", "web01 system"],
      ["VirtualDisks/b.img", null],
    ]);
  });

  it("invalid JSON is a diagnostic, not a failure", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO);
    write(path.join(root, ".ovsmeta"), "{ not json");
    const result = await scanRepositories([parent]);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toContainEqual([
      "ovsmeta-invalid",
      path.join(root, ".ovsmeta"),
    ]);
    expect(result.repositories).toHaveLength(1);
  });
});

describe("awkward input", () => {
  it("a ROOT that does not exist is a root-not-found error", async () => {
    const missing = path.join(tempDir(), "nothing");
    const result = await scanRepositories([missing]);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
      ["error", "root-not-found", missing],
    ]);
  });

  it("an empty ROOT gives no repositories and an error: an unmounted file system is not an empty estate", async () => {
    const empty = tempDir();
    const result = await scanRepositories([empty]);
    expect(result.repositories).toEqual([]);
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([["error", "no-repositories"]]);
    expect(result.diagnostics[0]?.message).toContain("not mounted");
    expect(result.complete).toBe(false);
    expect(result.incomplete?.map((g) => g.code)).toEqual(["no-repositories"]);
  });

  it("names that are not valid UTF-8 are reported and never listed", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO);
    write(path.join(root, "VirtualDisks/good.img"));
    const bad = Buffer.concat([
      Buffer.from(`${root}/VirtualDisks/bad-`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(".img"),
    ]);
    writeFileSync(bad, "x");
    const badFolder = Buffer.concat([Buffer.from(`${root}/VirtualMachines/vm-`), Buffer.from([0xc3, 0x28])]);
    mkdirSync(badFolder);
    writeFileSync(Buffer.concat([badFolder, Buffer.from("/vm.cfg")]), "name = 'x'\n");
    // A valid name that happens to contain U+FFFD is an ordinary name.
    write(path.join(root, "VirtualDisks/odd-\uFFFD.img"));
    const result = await scanRepositories([parent]);
    expect(result.repositories[0]!.files.map((f) => f.file)).toEqual([
      "VirtualDisks/good.img",
      "VirtualDisks/odd-\uFFFD.img",
    ]);
    expect(result.guests).toEqual([]);
    expect(result.diagnostics.filter((d) => d.code === "non-utf8-name")).toHaveLength(2);
    // Left out is unknown, never clean: the run says it could not see everything.
    expect(result.complete).toBe(false);
    expect(result.incomplete?.map((g) => g.code)).toEqual(["non-utf8-name", "non-utf8-name"]);
  });

  it("a vm.cfg over 4 MiB is not read: vm-cfg-too-large, ok false", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO);
    const file = write(path.join(root, "VirtualMachines/big/vm.cfg"), "name = 'big'\n");
    const fd = openSync(file, "r+");
    ftruncateSync(fd, 5 * 1024 * 1024);
    closeSync(fd);
    const result = await scanRepositories([parent]);
    expect(result.guests[0]).toMatchObject({ id: "big", ok: false, name: null });
    expect(result.guests[0]!.diagnostics.map((d) => d.code)).toEqual(["vm-cfg-too-large"]);
  });

  it("a binary vm.cfg is read by the parser, which reports it; the scan goes on", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO);
    write(
      path.join(root, "VirtualMachines/bin/vm.cfg"),
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0]),
    );
    owner(root, "ok", { name: "ok", disks: [] });
    const result = await scanRepositories([parent]);
    expect(result.guests.map((g) => [g.id, g.ok])).toEqual([
      ["bin", false],
      ["ok", true],
    ]);
    expect(result.guests[0]!.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });

  // As root, chmod 000 does not stop reads, so this case can only be shown by an ordinary user.
  it.skipIf(process.getuid?.() === 0)(
    "an unreadable vm.cfg or folder is a diagnostic, not a failure",
    async () => {
      const parent = tempDir();
      const root = repository(parent, REPO);
      const cfg = owner(root, "locked", { name: "locked", disks: [] });
      write(path.join(root, "VirtualDisks/sub/a.img"));
      chmodSync(cfg, 0o000);
      chmodSync(path.join(root, "VirtualDisks/sub"), 0o000);
      try {
        const result = await scanRepositories([parent]);
        expect(result.guests[0]).toMatchObject({ id: "locked", ok: false });
        expect(result.guests[0]!.diagnostics.map((d) => d.code)).toContain("unreadable");
        expect(result.diagnostics.map((d) => [d.code, d.file])).toContainEqual([
          "unreadable",
          path.join(root, "VirtualDisks/sub"),
        ]);
      } finally {
        chmodSync(path.join(root, "VirtualDisks/sub"), 0o755);
      }
    },
  );

  it("a disk path that is relative is an external file with a diagnostic", async () => {
    const parent = tempDir();
    owner(repository(parent, REPO), "f1", { name: "n1", disks: ["file:disks/a.img,xvda,w"] });
    const result = await scanRepositories([parent]);
    expect(result.guests[0]!.disks[0]).toMatchObject({ kind: "external-file", path: "disks/a.img" });
    expect(result.guests[0]!.diagnostics.map((d) => d.code)).toContain("relative-disk-path");
  });

  it("progress is reported with done never above total", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    for (let i = 0; i < 20; i++) {
      write(path.join(root, `VirtualDisks/d${i}.img`));
      owner(root, `vm${i}`, {
        name: `vm${i}`,
        disks: [`file:${live(REPO, `VirtualDisks/d${i}.img`)},xvda,w`],
      });
    }
    const calls: Array<[number, number, boolean]> = [];
    await scanRepositories([parent], {
      onProgress: (done, total, final) => calls.push([done, total, final]),
    });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every(([done, total]) => done <= total)).toBe(true);
    expect(calls.at(-1)![0]).toBe(calls.at(-1)![1]);
    // `final` comes once, when the walk is over, and stays; from then on the total no longer changes.
    const first = calls.findIndex(([, , final]) => final);
    expect(first).toBeGreaterThan(0);
    expect(calls.slice(first).every(([, total, final]) => final && total === calls.at(-1)![1])).toBe(true);
    expect(calls[first]![0]).toBeLessThan(calls[first]![1]); // work remained: the bar has something to show
  });
});
