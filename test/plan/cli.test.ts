// The `plan` and `restore` commands through the built binary: formats, exit codes, refusals.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, readlinkSync, symlinkSync } from "node:fs";
import path from "node:path";
import { PlanResultSchema, ResourcePlanSchema, RestoreResultSchema } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { live, owner, repository, tempDir, write } from "../scan/helpers.js";
import { runCli } from "../support/cli.js";

/** A ROOT holding repository R: guest `good` with disk a.img, guest `bad` whose vm.cfg is not declarative. */
function estate(): { root: string; repo: string } {
  const root = tempDir();
  const repo = repository(root, "R", { OVS_REPO_UUID: "R", OVS_REPO_ALIAS: "Guests-A" });
  write(path.join(repo, "VirtualDisks/a.img"), "disk a\n");
  owner(repo, "good", {
    name: "good",
    uuid: "0004fb00-0006-0000-0000-00000000000a",
    simpleName: "web01",
    disks: [`file:${live("R", "VirtualDisks/a.img")},xvda,w`],
  });
  write(path.join(repo, "VirtualMachines/bad/vm.cfg"), "name = 'bad'\ndef broken(:\n");
  return { root, repo };
}

describe("ovm-deps plan", () => {
  it("prints one plan document and exits 1 when a planned guest has coverage none", () => {
    const { root } = estate();
    const run = runCli(["plan", root, "--format", "json"]);
    expect(run.code).toBe(1);
    const plan = PlanResultSchema.parse(JSON.parse(run.stdout));
    expect(plan.guests.map((g) => [g.owner, g.coverage])).toEqual([
      ["R/VirtualMachines/bad", "none"],
      ["R/VirtualMachines/good", "complete"],
    ]);
    expect(runCli(["plan", root, "--guest", "web01", "--format", "json"]).code).toBe(0);
  });

  it("lists absolute paths one per line, NUL-terminated with -0", () => {
    const { root, repo } = estate();
    const expected = [path.join(repo, "VirtualMachines/good/vm.cfg"), path.join(repo, "VirtualDisks/a.img")];
    expect(runCli(["plan", root, "--guest", "good", "--format", "list"]).stdout).toBe(
      `${expected.join("\n")}\n`,
    );
    expect(runCli(["plan", root, "--guest", "good", "--format", "list", "-0"]).stdout).toBe(
      `${expected.join("\0")}\0`,
    );
  });

  it("carries links inside the repository as links, with what they lead to (a tar of the list restores the guest)", () => {
    const { root, repo } = estate();
    // The disk's name is a link to the data; the vm.cfg is a link to a file beside it.
    write(path.join(repo, "VirtualDisks/linked-real.img"), "linked disk\n");
    symlinkSync("linked-real.img", path.join(repo, "VirtualDisks/linked.img"));
    write(
      path.join(repo, "VirtualMachines/linked/vm.cfg.real"),
      `name = 'linked'\ndisk = ['file:${live("R", "VirtualDisks/linked.img")},xvda,w']\n`,
    );
    symlinkSync("vm.cfg.real", path.join(repo, "VirtualMachines/linked/vm.cfg"));
    const json = runCli(["plan", root, "--guest", "linked", "--format", "json"]);
    expect(json.code).toBe(0);
    const files = PlanResultSchema.parse(JSON.parse(json.stdout)).guests[0]!.files;
    expect(files.map((f) => [f.role, f.file, f.linkTo ?? null])).toEqual([
      ["config", "VirtualMachines/linked/vm.cfg.real", null],
      ["disk", "VirtualDisks/linked-real.img", null],
      ["link", "VirtualMachines/linked/vm.cfg", "vm.cfg.real"],
      ["link", "VirtualDisks/linked.img", "linked-real.img"],
    ]);
    expect(runCli(["plan", root, "--guest", "linked"]).stdout).toContain(
      `link   ${path.join(repo, "VirtualDisks/linked.img")} -> linked-real.img`,
    );
    // tar archives links as links (no -h): extracted elsewhere, the guest opens what it opened.
    const list = runCli(["plan", root, "--guest", "linked", "--format", "list", "-0"]);
    const out = tempDir();
    expect(
      spawnSync("tar", ["--null", "-T", "-", "-cf", path.join(out, "g.tar")], { input: list.stdout }).status,
    ).toBe(0);
    expect(spawnSync("tar", ["-xf", path.join(out, "g.tar"), "-C", out]).status).toBe(0);
    const copy = path.join(out, repo.slice(1));
    expect(readlinkSync(path.join(copy, "VirtualDisks/linked.img"))).toBe("linked-real.img");
    expect(readFileSync(path.join(copy, "VirtualDisks/linked.img"), "utf8")).toBe("linked disk\n");
    expect(readFileSync(path.join(copy, "VirtualMachines/linked/vm.cfg"), "utf8")).toContain("linked");
  });

  it("refuses a list with a line break in a path unless -0, and escapes control characters in text", () => {
    const { root, repo } = estate();
    write(path.join(repo, "VirtualDisks/a\nb.img"), "disk\n");
    // Python escapes in the vm.cfg: a newline in the disk's file name, an escape sequence in the simple name.
    write(
      path.join(repo, "VirtualMachines/evil/vm.cfg"),
      "name = 'evil'\nOVM_simple_name = 'evil\\x1b[31m'\ndisk = ['file:/OVS/Repositories/R/VirtualDisks/a\\nb.img,xvda,w']\n",
    );
    const list = runCli(["plan", root, "--guest", "evil", "--format", "list"]);
    expect(list.code).toBe(2);
    expect(list.stdout).toBe("");
    const nul = runCli(["plan", root, "--guest", "evil", "--format", "list", "-0"]);
    expect(nul.stdout).toBe(
      `${path.join(repo, "VirtualMachines/evil/vm.cfg")}\0${path.join(repo, "VirtualDisks/a\nb.img")}\0`,
    );
    const text = runCli(["plan", root, "--guest", "evil"]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text.stdout).toContain("evil\\x1b[31m");
    expect(text.stdout).toContain("a\\nb.img");
  });

  it("exits 2 listing candidates for an unknown or ambiguous --guest", () => {
    const { root } = estate();
    const unknown = runCli(["plan", root, "--guest", "GOOD"]);
    expect(unknown.code).toBe(2);
    // Each candidate with the name people know it by.
    expect(unknown.stderr).toContain("web01 (R/VirtualMachines/good)");
    expect(unknown.stdout).toBe("");
  });

  it("sizes a rotation with --retain --adhoc --growth and rejects a bad number", () => {
    const { root } = estate();
    const run = runCli([
      "plan",
      root,
      "--guest",
      "good",
      "--format",
      "json",
      "--retain",
      "15",
      "--adhoc",
      "5",
      "--growth",
      "2",
    ]);
    const plan = PlanResultSchema.parse(JSON.parse(run.stdout));
    expect(plan.totals.capacity).toEqual({
      retain: 15,
      adhoc: 5,
      growth: 2,
      bytes: plan.totals.allocatedBytes * 2 * 20,
    });
    expect(runCli(["plan", root, "--growth", "0"]).code).toBe(2);
    expect(runCli(["plan", root, "--retain", "many"]).code).toBe(2);
  });

  it.each([
    [["--retain", "1.5"], "--retain expects a whole number"],
    [["--adhoc", "-1"], "--adhoc expects a whole number"],
    [["--adhoc", "1e3"], "--adhoc expects a whole number"],
    [["--growth", "Infinity"], "--growth expects a positive number"],
    // Overflows before the scan: the factor alone is Infinity.
    [["--growth", "1e308", "--retain", "2"], "overflows"],
    // Overflows only once multiplied by the estate's allocated bytes: refused after the scan.
    [["--growth", "1e300"], "overflows"],
  ])("rejects capacity options %j with a usage error, nothing on stdout", (args, message) => {
    const { root } = estate();
    for (const format of ["text", "json"]) {
      const run = runCli(["plan", root, "--format", format, ...args]);
      expect([run.code, run.stdout]).toEqual([2, ""]);
      expect(run.stderr).toContain(message);
    }
  });

  it("gives the resource set of resources repositories with --resources", () => {
    const { root } = estate();
    const templates = repository(root, "T", { OVS_REPO_UUID: "T", OVS_REPO_ALIAS: "Templates-NFS" });
    write(path.join(templates, "ISOs/os.iso"), "iso\n");
    write(path.join(templates, "VirtualDisks/t.img"), "template disk\n");
    owner(
      templates,
      "tpl",
      { name: "tpl", disks: [`file:${live("T", "VirtualDisks/t.img")},xvda,w`] },
      "Templates",
    );
    const run = runCli(["plan", root, "--resources", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const resources = ResourcePlanSchema.parse(JSON.parse(run.stdout));
    expect(resources.files.map((f) => [f.role, f.file])).toEqual([
      ["config", "Templates/tpl/vm.cfg"],
      ["disk", "VirtualDisks/t.img"],
      ["iso", "ISOs/os.iso"],
    ]);
  });
});

describe("ovm-deps restore", () => {
  /** A live estate and a backup copy of it beside. */
  function sides(): { live: string; backup: string; repo: string } {
    const { root, repo } = estate();
    const backup = path.join(tempDir(), "backup");
    cpSync(root, backup, { recursive: true, verbatimSymlinks: true });
    return { live: root, backup, repo };
  }

  it("prints the plan, refusals and checklist as text; json validates", () => {
    const { live: liveRoot, backup } = sides();
    const text = runCli(["restore", liveRoot, "--from", backup, "--guest", "good"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("refresh the repository in Oracle VM Manager");
    expect(text.stdout).toContain("never copy a vm.cfg into another repository");
    const json = runCli(["restore", liveRoot, "--from", backup, "--guest", "good", "--format", "json"]);
    const result = RestoreResultSchema.parse(JSON.parse(json.stdout));
    expect(result.actions.map((a) => a.action)).toEqual(["overwrite", "overwrite"]);
  });

  it("with --checksum, leaves out a file whose bytes are the backup's, whatever its mtime", () => {
    const { live: liveRoot, backup } = sides();
    const json = (...extra: string[]) =>
      RestoreResultSchema.parse(
        JSON.parse(
          runCli(["restore", liveRoot, "--from", backup, "--guest", "good", "--format", "json", ...extra])
            .stdout,
        ),
      ).actions.map((a) => [path.basename(a.file), a.action]);
    // The copies were made at another time than the originals: the quick check calls both changed.
    expect(json()).toEqual([
      ["vm.cfg", "overwrite"],
      ["a.img", "overwrite"],
    ]);
    expect(json("--checksum")).toEqual([
      ["vm.cfg", "unchanged"],
      ["a.img", "unchanged"],
    ]);
  });

  it("lists sources relative to the backup ROOT", () => {
    const { live: liveRoot, backup } = sides();
    const run = runCli(["restore", liveRoot, "--from", backup, "--guest", "good", "--format", "list"]);
    expect(run.stdout).toBe("R/VirtualMachines/good/vm.cfg\nR/VirtualDisks/a.img\n");
  });

  it("refuses a list rsync could not follow (a repository ROOT against a folder of repositories)", () => {
    const { backup, repo } = sides();
    const run = runCli(["restore", repo, "--from", backup, "--guest", "good", "--format", "list"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("json");
    expect(runCli(["restore", repo, "--from", backup, "--guest", "good", "--format", "json"]).code).toBe(0);
  });

  it("exits 2 without --from or --guest, and 1 with an empty list when not safe", () => {
    const { live: liveRoot, backup } = sides();
    expect(runCli(["restore", liveRoot, "--guest", "good"]).code).toBe(2);
    expect(runCli(["restore", liveRoot, "--from", backup]).code).toBe(2);
    const xmList = write(
      path.join(tempDir(), "xm-list.txt"),
      "Name ID Mem VCPUs State Time(s)\nDomain-0 0 2048 2 r----- 10.0\ngood 1 4096 2 -b---- 5.0\n",
    );
    const running = runCli([
      "restore",
      liveRoot,
      "--from",
      backup,
      "--guest",
      "good",
      "--xm-list",
      xmList,
      "--format",
      "list",
    ]);
    expect(running.code).toBe(1);
    expect(running.stdout).toBe("");
  });
});
