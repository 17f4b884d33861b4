// Unknown is never clean: through the real CLI, what could not be read never ends green, complete or safe.
// Permissions are real: as root chmod does not stop reads, so those runs are made as `nobody` (runuser).
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CheckResultSchema, PlanResultSchema, RestoreResultSchema } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { live, owner, repository, tempDir, write } from "../scan/helpers.js";
import { canRunAsUser, runAsUser, runCli } from "../support/cli.js";

const R = "0004fb0000030000aaaa000000000001";
const UUID = (n: number) => `0004fb00-0006-0000-0000-00000000000${n}`;

/** A ROOT (`<tmp>/estate`, world-readable) with repository R: web uses a.img, db uses b.img, both read. */
function estate(): { root: string; repo: string } {
  const base = tempDir();
  chmodSync(base, 0o755);
  const root = path.join(base, "estate");
  const repo = repository(root, R, { OVS_REPO_UUID: R });
  write(path.join(repo, "VirtualDisks/a.img"), "a\n");
  write(path.join(repo, "VirtualDisks/b.img"), "b\n");
  owner(repo, "web", { name: "web", uuid: UUID(1), disks: [`file:${live(R, "VirtualDisks/a.img")},xvda,w`] });
  owner(repo, "db", { name: "db", uuid: UUID(2), disks: [`file:${live(R, "VirtualDisks/b.img")},xvda,w`] });
  spawnSync("chmod", ["-R", "a+rX", base]);
  return { root, repo };
}

describe.skipIf(!canRunAsUser)("a folder the scan cannot read", () => {
  it("VirtualDisks/ unreadable: check is an error and SARIF unsuccessful; plan calls the disks unreadable", () => {
    const { root, repo } = estate();
    chmodSync(path.join(repo, "VirtualDisks"), 0o000);
    const check = runAsUser(["check", root, "--format", "json"]);
    expect(check.code).toBe(1);
    const result = CheckResultSchema.parse(JSON.parse(check.stdout));
    expect(result.complete).toBe(false);
    expect(result.findings.filter((f) => f.ruleId === "scan-incomplete").map((f) => f.file)).toContain(
      "VirtualDisks",
    );
    const sarif = JSON.parse(runAsUser(["check", root, "--format", "sarif"]).stdout);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    const junit = runAsUser(["check", root, "--format", "junit", "--fail-on", "never"]);
    expect(junit.stdout).toContain('type="scan-incomplete"');
    expect(runAsUser(["check", root, "--format", "github"]).stdout).toMatch(
      /^::error title=ovm-deps: could not read::/,
    );

    const graph = JSON.parse(runAsUser(["graph", root, "--format", "json"]).stdout);
    expect(graph.attributes.complete).toBe(false);
    const plan = PlanResultSchema.parse(JSON.parse(runAsUser(["plan", root, "--format", "json"]).stdout));
    expect(plan.complete).toBe(false);
    for (const guest of plan.guests) {
      expect(guest.coverage).toBe("partial");
      expect(guest.warnings.map((w) => w.code)).toContain("disk-unreadable");
      expect(guest.warnings.map((w) => w.code)).not.toContain("missing-disk");
    }
  });

  it("one guest folder unreadable: its disk is no certain orphan, and plan exits 1", () => {
    const { root, repo } = estate();
    chmodSync(path.join(repo, "VirtualMachines/db"), 0o000);
    const check = CheckResultSchema.parse(JSON.parse(runAsUser(["check", root, "--format", "json"]).stdout));
    const orphan = check.findings.find((f) => f.ruleId === "orphan-disk" && f.file === "VirtualDisks/b.img");
    expect(orphan?.message).toContain("uncertain");
    expect(orphan?.message).toContain(path.join(repo, "VirtualMachines/db"));
    const plan = runAsUser(["plan", root, "--format", "json"]);
    expect(plan.code).toBe(1);
    expect(PlanResultSchema.parse(JSON.parse(plan.stdout)).complete).toBe(false);
  });

  it("VirtualMachines/ unreadable: plan has no backup set and exits 1, never an empty success", () => {
    const { root, repo } = estate();
    chmodSync(path.join(repo, "VirtualMachines"), 0o000);
    const plan = runAsUser(["plan", root, "--format", "list"]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toBe("");
  });

  it("restore refuses to overwrite a file when a live folder of vm.cfg files could not be listed", () => {
    const { root, repo } = estate();
    const backup = path.join(path.dirname(root), "backup");
    cpSync(root, backup, { recursive: true });
    spawnSync("chmod", ["-R", "a+rX", backup]);
    write(path.join(repo, "VirtualDisks/a.img"), "damaged\n");
    chmodSync(path.join(repo, "VirtualMachines/db"), 0o000);
    const run = runAsUser(["restore", root, "--from", backup, "--guest", "web", "--format", "json"]);
    expect(run.code).toBe(1);
    const result = RestoreResultSchema.parse(JSON.parse(run.stdout));
    expect(result.complete).toBe(false);
    expect(result.blocked.filter((b) => b.reason === "users-unknown").map((b) => b.users)).toContainEqual([
      path.join(repo, "VirtualMachines/db"),
    ]);
    expect(run.stderr.startsWith("NOT SAFE:")).toBe(true);
    const allowed = runAsUser(["restore", root, "--from", backup, "--guest", "web", "--allow-unknown-users"]);
    expect(allowed.stdout).not.toContain("users-unknown");
  });
});

describe("inputs that are not what they claim", () => {
  it("an fstab that cannot be read (a FIFO) leaves the guest's NFS mounts unknown: coverage partial", () => {
    const { root } = estate();
    const backups = path.join(path.dirname(root), "guest-backups");
    mkdirSync(path.join(backups, "web/etc"), { recursive: true });
    expect(spawnSync("mkfifo", [path.join(backups, "web/etc/fstab")]).status).toBe(0);
    const run = runCli(["plan", root, "--guest-backups", backups, "--format", "json"]);
    const plan = PlanResultSchema.parse(JSON.parse(run.stdout));
    const web = plan.guests.find((g) => g.owner.endsWith("/web"))!;
    expect(web.coverage).toBe("partial");
    expect(web.warnings.map((w) => w.code)).toContain("nfs-mounts-unknown");
    expect(plan.complete).toBe(false);
  });

  it("an empty --xm-list (ssh failed) is xm-list-invalid: restore refuses unless --allow-unknown-running", () => {
    const { root, repo } = estate();
    const backup = path.join(path.dirname(root), "backup");
    cpSync(root, backup, { recursive: true });
    write(path.join(repo, "VirtualDisks/a.img"), "damaged\n");
    const xmList = write(path.join(path.dirname(root), "xm-list.txt"), "");
    const restore = ["restore", root, "--from", backup, "--guest", "web", "--xm-list", xmList];
    const run = runCli([...restore, "--format", "json"]);
    expect(run.code).toBe(1);
    const result = RestoreResultSchema.parse(JSON.parse(run.stdout));
    expect(result.blocked.map((b) => b.reason)).toEqual(["xm-list-invalid"]);
    expect(run.stderr).toContain("xm-list-invalid");
    const allowed = runCli([...restore, "--allow-unknown-running"]);
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it("a live vm.cfg with errors that names the file blocks its overwrite (users-unknown); one that does not, does not", () => {
    const { root, repo } = estate();
    const backup = path.join(path.dirname(root), "backup");
    cpSync(root, backup, { recursive: true });
    write(path.join(repo, "VirtualDisks/a.img"), "damaged\n");
    // A broken live vm.cfg whose disk list names a.img: what it meant is unknown, so it may use a.img.
    write(
      path.join(repo, "VirtualMachines/odd/vm.cfg"),
      `name = 'odd'\ndisk = ['file:${live(R, "VirtualDisks/a.img")},xvda,w'\n`,
    );
    const run = runCli(["restore", root, "--from", backup, "--guest", "web", "--format", "json"]);
    const result = RestoreResultSchema.parse(JSON.parse(run.stdout));
    expect(result.blocked).toEqual([
      {
        guest: `${R}/VirtualMachines/web`,
        ref: path.join(repo, "VirtualDisks/a.img"),
        reason: "users-unknown",
        users: [`${R}/VirtualMachines/odd`],
      },
    ]);
    // Restoring db (b.img is not named by the broken vm.cfg) is not blocked by it.
    write(path.join(repo, "VirtualDisks/b.img"), "damaged\n");
    const db = RestoreResultSchema.parse(
      JSON.parse(runCli(["restore", root, "--from", backup, "--guest", "db", "--format", "json"]).stdout),
    );
    expect(db.blocked).toEqual([]);
  });

  it("a broken vm.cfg that names another name of the file (a link to it, a hard link) still blocks", () => {
    const { root, repo } = estate();
    const backup = path.join(path.dirname(root), "backup");
    cpSync(root, backup, { recursive: true });
    write(path.join(repo, "VirtualDisks/a.img"), "damaged\n");
    symlinkSync("a.img", path.join(repo, "VirtualDisks/alias.img"));
    linkSync(path.join(repo, "VirtualDisks/a.img"), path.join(repo, "VirtualDisks/hard.img"));
    for (const [folder, name] of [
      ["odd1", "alias.img"],
      ["odd2", "hard.img"],
    ]) {
      write(
        path.join(repo, `VirtualMachines/${folder}/vm.cfg`),
        `name = '${folder}'\ndisk = ['file:${live(R, `VirtualDisks/${name}`)},xvda,w' % 1]\n`,
      );
    }
    const result = RestoreResultSchema.parse(
      JSON.parse(runCli(["restore", root, "--from", backup, "--guest", "web", "--format", "json"]).stdout),
    );
    const unknown = result.blocked.filter((b) => b.reason === "users-unknown");
    expect(unknown.flatMap((b) => b.users)).toEqual(
      expect.arrayContaining([`${R}/VirtualMachines/odd1`, `${R}/VirtualMachines/odd2`]),
    );
  });

  it("a backed-up vm.cfg with errors, or truncated to 0 bytes, is never restored over the live one", () => {
    const { root, repo } = estate();
    const backup = path.join(path.dirname(root), "backup");
    cpSync(root, backup, { recursive: true });
    const backedUp = path.join(backup, R, "VirtualMachines/web/vm.cfg");
    writeFileSync(backedUp, "");
    const run = runCli([
      "restore",
      root,
      "--from",
      backup,
      "--guest",
      path.join(R, "VirtualMachines/web"),
      "--format",
      "json",
    ]);
    expect(run.code).toBe(1);
    const result = RestoreResultSchema.parse(JSON.parse(run.stdout));
    expect(result.blocked.map((b) => [b.reason, b.ref])).toContainEqual(["config-unreadable", backedUp]);
    // In the live tree, the truncated vm.cfg is an error and its former disk no certain orphan.
    writeFileSync(path.join(repo, "VirtualMachines/web/vm.cfg"), "");
    const check = CheckResultSchema.parse(JSON.parse(runCli(["check", root, "--format", "json"]).stdout));
    expect(check.findings.find((f) => f.ruleId === "parse-error")?.message).toContain("incomplete-vm-cfg");
    expect(check.findings.find((f) => f.ruleId === "orphan-disk")?.message).toContain("uncertain");
    const plan = PlanResultSchema.parse(
      JSON.parse(
        runCli(["plan", root, "--guest", path.join(R, "VirtualMachines/web"), "--format", "json"]).stdout,
      ),
    );
    expect(plan.guests[0]!.coverage).toBe("none");
  });

  it("a ROOT that is one repository with others beside it: plan and restore warn scope-incomplete", () => {
    const { root, repo } = estate();
    repository(root, "0004fb0000030000bbbb000000000002");
    const plan = PlanResultSchema.parse(JSON.parse(runCli(["plan", repo, "--format", "json"]).stdout));
    const warning = plan.guests[0]!.warnings.find((w) => w.code === "scope-incomplete");
    expect(warning?.message).toContain("0004fb0000030000bbbb000000000002");
  });

  it("check reports a disk path climbing out with .. (error) and a writable host file (warning)", () => {
    const { root, repo } = estate();
    owner(repo, "evil", {
      name: "evil",
      disks: [`file:${live(R, "VirtualDisks/../../../../etc/shadow")},xvda,w`, "file:/root/disk.img,xvdb,w"],
    });
    const check = CheckResultSchema.parse(JSON.parse(runCli(["check", root, "--format", "json"]).stdout));
    const rules = check.findings
      .filter((f) => f.file === "VirtualMachines/evil/vm.cfg")
      .map((f) => [f.ruleId, f.severity]);
    expect(rules).toContainEqual(["path-escapes-repository", "error"]);
    expect(rules).toContainEqual(["external-disk", "warning"]);
  });

  it("an ISO in a repository without the resources role is covered by no plan: resource-not-covered", () => {
    const { root, repo } = estate();
    write(path.join(repo, "ISOs/os.iso"), "iso\n");
    owner(repo, "inst", { name: "inst", disks: [`file:${live(R, "ISOs/os.iso")},hdc:cdrom,r`] });
    const plan = PlanResultSchema.parse(
      JSON.parse(runCli(["plan", root, "--guest", "inst", "--format", "json"]).stdout),
    );
    expect(plan.guests[0]!.coverage).toBe("partial");
    expect(plan.guests[0]!.warnings.map((w) => w.code)).toContain("resource-not-covered");
    const resources = JSON.parse(runCli(["plan", root, "--resources", "--format", "json"]).stdout);
    expect(resources.uncovered.map((r: { id: string }) => r.id)).toEqual([R]);
  });
});
