// Backing chains through the real CLI: a qcow2 overlay's base image and a differencing VHD's parent are
// dependencies — in the backup set, not orphans, shared between their overlays, and a refusal to restore.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CheckResultSchema, PlanResultSchema, RestoreResultSchema } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { live, owner, repository, tempDir, write } from "./helpers.js";

const R = "0004fb0000030000dddd000000000001";

/** A qcow2 (version 2) image header naming `backing` as its backing file. */
function qcow2(backing: string | null): Buffer {
  const header = Buffer.alloc(72);
  header.writeUInt32BE(0x514649fb, 0);
  header.writeUInt32BE(2, 4);
  if (backing !== null) {
    header.writeBigUInt64BE(72n, 8);
    header.writeUInt32BE(Buffer.byteLength(backing), 16);
  }
  return Buffer.concat([header, Buffer.from(backing ?? "")]);
}

/**
 * A differencing VHD as blktap writes it: footer copy, dynamic header whose "parent unicode name" holds the
 * base name only (`name`) and whose first parent locator (`MacX`) holds `file://` + `locator`, footer.
 */
function differencingVhd(name: string, locator: string): Buffer {
  const footer = Buffer.alloc(512);
  footer.write("conectix", 0, "latin1");
  footer.writeBigUInt64BE(512n, 16);
  footer.writeUInt32BE(4, 60);
  const dynamic = Buffer.alloc(1024);
  dynamic.write("cxsparse", 0, "latin1");
  Buffer.from(name, "utf16le").swap16().copy(dynamic, 64);
  const url = Buffer.from(`file://${locator}`);
  dynamic.writeUInt32BE(0x4d616358, 576);
  dynamic.writeUInt32BE(512, 580);
  dynamic.writeUInt32BE(url.length, 584);
  dynamic.writeBigUInt64BE(1536n, 592);
  const data = Buffer.alloc(512);
  url.copy(data);
  return Buffer.concat([footer, dynamic, data, footer]);
}

/** web and app are overlays of one base image; db is a differencing VHD of parent.vhd. */
function estate(): { root: string; repo: string } {
  const root = tempDir();
  const repo = repository(root, R, { OVS_REPO_UUID: R });
  const disks = path.join(repo, "VirtualDisks");
  write(path.join(disks, "base.qcow2"), qcow2(null));
  write(path.join(disks, "web.qcow2"), qcow2("base.qcow2"));
  write(path.join(disks, "app.qcow2"), qcow2(`${disks}/base.qcow2`));
  write(path.join(disks, "parent.vhd"), "a fixed VHD's data\n");
  // The name field says decoy.vhd (there is one, beside it): the locator is what blktap opens.
  write(path.join(disks, "decoy.vhd"), "another guest's VHD\n");
  write(path.join(disks, "db.vhd"), differencingVhd("decoy.vhd", "./parent.vhd"));
  // A qcow2 overlay on a raw base image (the usual setup): the base ends the chain, no warning.
  write(path.join(disks, "raw-base.img"), "raw data\n");
  write(path.join(disks, "ci.qcow2"), qcow2("raw-base.img"));
  owner(repo, "web", { name: "web", disks: [`tap:qcow2:${live(R, "VirtualDisks/web.qcow2")},xvda,w`] });
  owner(repo, "app", { name: "app", disks: [`tap:qcow2:${live(R, "VirtualDisks/app.qcow2")},xvda,w`] });
  owner(repo, "db", { name: "db", disks: [`tap:vhd:${live(R, "VirtualDisks/db.vhd")},xvda,w`] });
  owner(repo, "ci", { name: "ci", disks: [`tap:qcow2:${live(R, "VirtualDisks/ci.qcow2")},xvda,w`] });
  owner(repo, "other", { name: "other", disks: [`file:${live(R, "VirtualDisks/decoy.vhd")},xvda,w`] });
  return { root, repo };
}

const planOf = (root: string, guest: string) =>
  PlanResultSchema.parse(JSON.parse(runCli(["plan", root, "--guest", guest, "--format", "json"]).stdout))
    .guests[0]!;

describe("backing chains", () => {
  it("put the base image in the overlay's backup set, shared by every overlay of it", () => {
    const { root, repo } = estate();
    const web = planOf(root, "web");
    expect(web.files.map((f) => [f.role, f.file])).toEqual([
      ["config", "VirtualMachines/web/vm.cfg"],
      ["disk", "VirtualDisks/web.qcow2"],
      ["disk", "VirtualDisks/base.qcow2"],
    ]);
    expect(web.coverage).toBe("complete");
    expect(web.shared).toEqual([
      {
        ref: path.join(repo, "VirtualDisks/base.qcow2"),
        users: [`${R}/VirtualMachines/app`, `${R}/VirtualMachines/web`],
      },
    ]);
    // A differencing VHD's parent, by its parent locator (not the base name in its header).
    const db = planOf(root, "db").files.map((f) => f.file);
    expect(db).toContain("VirtualDisks/parent.vhd");
    expect(db).not.toContain("VirtualDisks/decoy.vhd");
    const ci = planOf(root, "ci");
    expect([ci.coverage, ci.files.map((f) => f.file)]).toEqual([
      "complete",
      ["VirtualMachines/ci/vm.cfg", "VirtualDisks/ci.qcow2", "VirtualDisks/raw-base.img"],
    ]);
    // No base image is an orphan.
    const check = CheckResultSchema.parse(JSON.parse(runCli(["check", root, "--format", "json"]).stdout));
    expect(check.findings.filter((f) => f.ruleId === "orphan-disk")).toEqual([]);
  });

  it("make a restore of one overlay refuse to overwrite the base image the other overlay reads", () => {
    const { root, repo } = estate();
    const backup = path.join(tempDir(), "backup");
    // `cp -a` keeps times: only what differs afterwards is overwritten — the overlay, damaged since.
    expect(spawnSync("cp", ["-a", root, backup]).status).toBe(0);
    writeFileSync(
      path.join(repo, "VirtualDisks/web.qcow2"),
      Buffer.concat([qcow2("base.qcow2"), Buffer.from("damaged")]),
    );
    const run = runCli(["restore", root, "--from", backup, "--guest", "web", "--format", "json"]);
    const result = RestoreResultSchema.parse(JSON.parse(run.stdout));
    expect(result.blocked.map((b) => [b.reason, path.basename(b.ref)])).toContainEqual([
      "shared",
      "base.qcow2",
    ]);
  });

  it("a header that cannot be read: coverage partial, the run incomplete, and any base may be its", () => {
    const { root, repo } = estate();
    writeFileSync(path.join(repo, "VirtualDisks/web.qcow2"), "not a qcow2 image");
    const web = planOf(root, "web");
    expect(web.coverage).toBe("partial");
    expect(web.warnings.map((w) => w.code)).toContain("backing-file-unknown");
    const check = CheckResultSchema.parse(JSON.parse(runCli(["check", root, "--format", "json"]).stdout));
    expect(check.complete).toBe(false);
    // base.qcow2 is still app's; were it not, its orphan finding would say web may use it.
    const backup = path.join(tempDir(), "backup");
    expect(spawnSync("cp", ["-a", root, backup]).status).toBe(0);
    // app's overlay damaged since the backup: the restore writes it.
    writeFileSync(path.join(repo, "VirtualDisks/app.qcow2"), "damaged");
    const restore = RestoreResultSchema.parse(
      JSON.parse(
        runCli(["restore", root, "--from", backup, "--guest", "app", "--format", "json", "--allow-shared"])
          .stdout,
      ),
    );
    expect(restore.blocked.filter((b) => b.reason === "users-unknown").flatMap((b) => b.users)).toContain(
      `${R}/VirtualMachines/web`,
    );
  });
});
