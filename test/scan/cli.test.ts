// `ovm-deps scan` as a user runs it: formats, exit codes, usage errors, escaping, policy roles.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { ScanResultSchema } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { binPath, canRunAsUser, runAsUser, runCli } from "../support/cli.js";
import { live, owner, repository, tempDir, write } from "./helpers.js";

const REPO = "0004fb0000030000c11c000000000001";

function estate(): { parent: string; root: string } {
  const parent = tempDir();
  const root = repository(parent, REPO, { OVS_REPO_UUID: REPO, OVS_REPO_ALIAS: "Guests pool" });
  write(path.join(root, "VirtualDisks/a.img"), "abc");
  owner(root, "vm1", {
    name: "vm1",
    simpleName: "web 1",
    disks: [
      `file:${live(REPO, "VirtualDisks/a.img")},xvda,w`,
      "phy:/dev/mapper/lun1,xvdb,w!",
      ",hdc:cdrom,r",
    ],
  });
  return { parent, root };
}

describe("ovm-deps scan", () => {
  it("--format json prints exactly one ScanResult document; exit 0", () => {
    const { parent } = estate();
    const run = runCli(["scan", parent, "--format", "json"]);
    expect(run.code).toBe(0);
    const result = ScanResultSchema.parse(JSON.parse(run.stdout));
    expect(result.guests.map((g) => g.disks.map((d) => d.kind))).toEqual([
      ["virtual-disk", "physical-disk", "empty-cdrom"],
    ]);
    expect(result.repositories[0]!.role).toBe("guests");
  });

  it("text (the default) lists repositories, guests with their disks, and problems", () => {
    const { parent } = estate();
    const run = runCli(["scan", parent]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${REPO}  alias Guests pool  role guests`);
    expect(run.stdout).toContain(`${REPO}/VirtualMachines/vm1`);
    expect(run.stdout).toMatch(/virtual-disk +0004fb0000030000c11c000000000001\/VirtualDisks\/a\.img/);
    expect(run.stdout).toMatch(/physical-disk +\/dev\/mapper\/lun1/);
  });

  it("names with control characters are printed escaped, never raw", () => {
    const { parent, root } = estate();
    // The name holds a real newline once the vm.cfg's Python escape is read.
    owner(root, "evil\u001b[2Jname", { name: "evil\\nname", disks: ["file:/ext/\u0007bell.img,xvda,w"] });
    const run = runCli(["scan", parent]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("evil\\x1b[2Jname");
    expect(run.stdout).toContain("evil\\nname");
    expect(run.stdout).toContain("\\x07bell.img");
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it("a ROOT that does not exist is a usage error: exit 2, no output", () => {
    const missing = path.join(tempDir(), "no-such-root");
    const run = runCli(["scan", missing, "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("root-not-found");
    expect(run.stderr).toContain(missing);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("two ROOTs with the same repository id are a usage error", () => {
    const one = tempDir();
    const two = tempDir();
    repository(one, "a", { OVS_REPO_UUID: REPO });
    repository(two, "b", { OVS_REPO_UUID: REPO });
    const run = runCli(["scan", one, two]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("duplicate-repository");
  });

  it("usage errors: no ROOT, unknown flag, bad --format, bad --repository", () => {
    const { parent } = estate();
    expect(runCli(["scan"]).code).toBe(2);
    expect(runCli(["scan", parent, "--frobnicate"]).code).toBe(2);
    expect(runCli(["scan", parent, "--format", "xml"]).code).toBe(2);
    expect(runCli(["scan", parent, "--repository", "no-equals-sign"]).code).toBe(2);
    const io = runCli(["scan", parent, "--io", "parallel"]);
    expect([io.code, io.stderr]).toEqual([
      2,
      expect.stringContaining("--io must be one of auto, direct, concurrent"),
    ]);
  });

  it("--io direct and --io concurrent print the same inventory as the default", () => {
    const { parent } = estate();
    const outputs = ["auto", "direct", "concurrent"].map((io) => {
      const run = runCli(["scan", parent, "--format", "json", "--io", io]);
      expect(run.code, io).toBe(0);
      return run.stdout;
    });
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toContain("virtual-disk");
  });

  describe("--threads", () => {
    // More guests than `auto` parses in the main thread before it starts workers (2,000), so that every
    // mode hands work to them; one vm.cfg broken mid-file.
    function busyEstate(): string {
      const { parent, root } = estate();
      for (let i = 0; i < 2100; i++) {
        owner(root, `g${i}`, {
          name: `g${i}`,
          uuid: `uuid-${i}`,
          disks: [`file:${live(REPO, "VirtualDisks/a.img")},xvda,r`],
        });
      }
      write(
        path.join(root, "VirtualMachines/broken/vm.cfg"),
        "name = 'broken'\nmemory = 1024 +\nvcpus = (\n",
      );
      return parent;
    }

    it("worker threads give exactly what the main thread gives, diagnostics and positions included", () => {
      const parent = busyEstate();
      const runs = ["0", "2", "auto"].map((threads) =>
        runCli(["scan", parent, "--format", "json", "--threads", threads]),
      );
      for (const run of runs) expect(run.code).toBe(0);
      expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
      expect(runs[2]!.stdout).toBe(runs[0]!.stdout);
      expect(runs[1]!.stderr).toBe(runs[0]!.stderr);
      expect(runs[1]!.stderr).not.toContain("threads-unavailable");
      const broken = JSON.parse(runs[1]!.stdout).guests.find((g: { id: string }) => g.id === "broken");
      expect(broken.ok).toBe(false);
      expect(runs[1]!.stderr).toMatch(/VirtualMachines\/broken\/vm\.cfg:2:\d+: error syntax-error/);
    });

    it("without the worker file (a repackaged build), the scan parses in the main thread and says so", () => {
      const parent = busyEstate();
      // A copy of the build without config-worker.js, resolving its packages from this checkout.
      const copy = tempDir();
      cpSync(path.dirname(path.dirname(binPath)), path.join(copy, "dist"), { recursive: true });
      rmSync(path.join(copy, "dist/config-worker.js"));
      symlinkSync(path.resolve(import.meta.dirname, "../../node_modules"), path.join(copy, "node_modules"));
      const bin = path.join(copy, "dist/cli/bin.js");
      const run = (threads: string) =>
        spawnSync(process.execPath, [bin, "scan", parent, "--format", "json", "--threads", threads], {
          encoding: "utf8",
          maxBuffer: 512 * 1024 * 1024,
        });
      const asked = run("2");
      expect(asked.status).toBe(0);
      expect(asked.stderr).toContain(
        "warning threads-unavailable: vm.cfg files were parsed in the main thread",
      );
      const result = JSON.parse(asked.stdout);
      expect(result.diagnostics.map((d: { code: string }) => d.code)).toContain("threads-unavailable");
      result.diagnostics = result.diagnostics.filter(
        (d: { code: string }) => d.code !== "threads-unavailable",
      );
      expect(result).toEqual(
        JSON.parse(runCli(["scan", parent, "--format", "json", "--threads", "0"]).stdout),
      );
      // With auto nothing was promised: no warning, though it would have started workers.
      expect(run("auto").stderr).not.toContain("threads-unavailable");
    });

    it("--threads takes auto or 0 to 64", () => {
      const { parent } = estate();
      for (const bad of ["-1", "65", "two", "1.5"]) {
        const run = runCli(["scan", parent, `--threads=${bad}`]);
        expect([run.code, run.stderr], bad).toEqual([
          2,
          expect.stringContaining("--threads must be auto or a number from 0 to 64"),
        ]);
      }
    });
  });

  it("a ROOT with no repository is a usage error naming it, with where the repositories are", () => {
    const empty = tempDir();
    const run = runCli(["scan", empty, "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`error no-repositories: ROOT ${empty} holds no repository folder`);
    // One level too high: the folder below that holds them is named.
    const { parent } = estate();
    const above = tempDir();
    const mounted = path.join(above, "Repositories");
    cpSync(parent, mounted, { recursive: true });
    const high = runCli(["check", above]);
    expect(high.code).toBe(2);
    expect(high.stderr).toContain(`did you mean ${mounted}?`);
    // One level too low: the repository it is inside is named.
    const low = runCli(["plan", path.join(parent, REPO, "VirtualMachines")]);
    expect(low.code).toBe(2);
    expect(low.stderr).toContain(`it is inside the repository ${path.join(parent, REPO)}`);
  });

  it("relative ROOTs, --repository and --xm-list are taken from the working directory", () => {
    const { parent } = estate();
    write(
      path.join(parent, "xm.txt"),
      "Name ID Mem VCPUs State Time(s)\nDomain-0 0 1 1 r----- 1\nvm1 1 1 1 -b---- 1\n",
    );
    const run = runCli(
      ["scan", REPO, "--xm-list", "xm.txt", "--repository", `alias=${REPO}`, "--format", "json"],
      {
        cwd: parent,
      },
    );
    expect(run.code).toBe(0);
    const result = ScanResultSchema.parse(JSON.parse(run.stdout));
    expect(result.guests[0]!.running).toBe(true);
    expect(result.repositories[0]!.names).toContain("alias");
  });

  it("--policy roles override the naming convention; an invalid policy file is exit 2", () => {
    const { parent } = estate();
    const policy = write(
      path.join(tempDir(), "policy.json"),
      JSON.stringify({ repositories: [{ match: "Guests*", role: "resources" }] }),
    );
    const run = runCli(["scan", parent, "--policy", policy, "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).repositories[0].role).toBe("resources");
    const bad = write(path.join(tempDir(), "bad.json"), "{ nope");
    const invalid = runCli(["scan", parent, "--policy", bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("policy-invalid");
    expect(runCli(["scan", parent, "--policy", path.join(tempDir(), "missing.json")]).code).toBe(2);
  });

  it("diagnostics go to stderr as file:line:column: severity code", () => {
    const { parent, root } = estate();
    owner(root, "vm2", { name: "vm2", disks: [`file:${live("elsewhere", "VirtualDisks/x.img")},xvda,w`] });
    const run = runCli(["scan", parent, "--format", "json"]);
    expect(run.code).toBe(0);
    const line = run.stderr.split("\n").find((l) => l.includes("repository-not-scanned"));
    expect(line).toMatch(/:2:\d+: warning repository-not-scanned: /);
    expect(line!.startsWith(`${path.join(root, "VirtualMachines/vm2/vm.cfg")}:`)).toBe(true);
  });

  // Tests run as root, where chmod 000 does not stop reads: then the scan runs as `nobody` (runAsUser)
  // so that EACCES really happens; without runuser the case is skipped.
  it.skipIf(!canRunAsUser)(
    "unreadable files and folders are diagnostics; the scan completes, either --io",
    () => {
      const { parent, root } = estate();
      chmodSync(path.dirname(parent), 0o755);
      chmodSync(parent, 0o755);
      const locked = owner(root, "locked", { name: "locked", disks: [] });
      mkdirSync(path.join(root, "VirtualDisks/sub"));
      write(path.join(root, "VirtualDisks/sub/b.img"));
      chmodSync(locked, 0o000);
      chmodSync(path.join(root, "VirtualDisks/sub"), 0o000);
      try {
        for (const io of ["direct", "concurrent"]) {
          const run = runAsUser(["scan", parent, "--format", "json", "--io", io]);
          expect(run.code, run.stderr).toBe(0);
          const result = ScanResultSchema.parse(JSON.parse(run.stdout));
          const guest = result.guests.find((g) => g.id === "locked")!;
          expect(guest.ok).toBe(false);
          expect(guest.diagnostics.map((d) => d.code)).toContain("unreadable");
          expect(result.diagnostics.map((d) => [d.code, d.file])).toContainEqual([
            "unreadable",
            path.join(root, "VirtualDisks/sub"),
          ]);
          expect(result.guests.find((g) => g.id === "vm1")!.disks[0]!.present).toBe(true);
          // The folder it could not list is recorded as such: what is below it is unknown, not absent.
          expect(result.repositories[0]!.unlisted).toContainEqual({
            file: "VirtualDisks/sub",
            error: "EACCES",
          });
        }
      } finally {
        chmodSync(path.join(root, "VirtualDisks/sub"), 0o755);
      }
    },
  );
});
