// `ovm-deps check` as a user runs it (the built binary): exit codes, --fail-on, the policy file, baselines.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import type { CheckResult } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { runCli } from "../support/cli.js";
import { brokenEstate, cleanEstate, tempDir, write } from "./tree.js";

const temp = tempDir();
let clean = "";
let broken = "";
let warningsOnly = "";

beforeAll(() => {
  clean = cleanEstate(join(temp.dir, "clean"));
  broken = brokenEstate(join(temp.dir, "broken"));
  warningsOnly = cleanEstate(join(temp.dir, "warnings"));
  write(join(warningsOnly, "G", "VirtualDisks", "orphan.img"));
});
afterAll(() => temp.cleanup());

/** Write a policy file beside the estates (never under a ROOT) and return its path. */
function policyFile(name: string, policy: unknown): string {
  const path = join(temp.dir, name);
  writeFileSync(path, typeof policy === "string" ? policy : JSON.stringify(policy));
  return path;
}

/** Run check with --format json and parse the result. */
function checkJson(args: string[]): { code: number; result: CheckResult } {
  const run = runCli(["check", ...args, "--format", "json"]);
  return { code: run.code, result: JSON.parse(run.stdout) as CheckResult };
}

describe("check: one finding per subject of each rule on a tree", () => {
  it("finds each planted problem once, with its repository, file and line", () => {
    const { result } = checkJson([broken]);
    expect(result.findings.map((f) => [f.ruleId, f.repository, f.file, f.line])).toEqual([
      ["parse-error", "G", "VirtualMachines/bad/vm.cfg", 2],
      ["parse-error", "G", "VirtualMachines/linked/vm.cfg", null],
      ["missing-disk", "G", "VirtualDisks/gone.img", null],
      ["orphan-disk", "G", "VirtualDisks/orphan.img", null],
      ["shared-disk", "G", "VirtualDisks/shared.img", null],
      ["cross-repository-disk", "G", "VirtualMachines/app2/vm.cfg", 5],
      ["duplicate-uuid", "G", "VirtualMachines/web/vm.cfg", null],
      ["duplicate-uuid", "G", "VirtualMachines/webcopy/vm.cfg", null],
      ["guest-in-resource-repository", "T", "VirtualMachines/stray/vm.cfg", null],
      ["resource-in-guest-repository", "G", "ISOs/tools.iso", null],
      ["unsafe-symlink", "G", "VirtualDisks/exa.img", null],
      ["unsafe-symlink", "G", "VirtualMachines/linked/vm.cfg", null],
    ]);
    expect(result.findings[2]?.source).toEqual({
      repository: "G",
      file: "VirtualMachines/app/vm.cfg",
      line: 6,
    });
    // The unreadable vm.cfg in G makes the orphan uncertain, and the message says so.
    expect(result.findings[3]?.message).toMatch(/uncertain/);
    expect(result.roots).toEqual({ G: join(broken, "G"), T: join(broken, "T") });
  });

  it("finds nothing on the clean tree", () => {
    const { code, result } = checkJson([clean]);
    expect({ code, findings: result.findings }).toEqual({ code: 0, findings: [] });
  });
});

describe("check --format", () => {
  it("prints SARIF, JUnit and GitHub commands with the same findings and the same exit code", () => {
    const sarif = runCli(["check", broken, "--format", "sarif"]);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(log.runs[0].tool.driver.version).toBe(packageJson.version);
    expect(log.runs[0].results).toHaveLength(12);
    const junit = runCli(["check", broken, "--format", "junit"]);
    expect(junit.code).toBe(1);
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    expect(junit.stdout.match(/<testcase /g)).toHaveLength(14);
    const github = runCli(["check", broken, "--format", "github"], { cwd: join(broken, "..") });
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(
      "::error file=repositories/G/VirtualMachines/app/vm.cfg,line=6,title=ovm-deps missing-disk::",
    );
    expect(github.stdout.split("\n").filter((line) => line.startsWith("::"))).toHaveLength(12);
  });
});

describe("check --fail-on", () => {
  const cases: [string, string | null, number][] = [
    ["broken", null, 1],
    ["broken", "error", 1],
    ["broken", "warning", 1],
    ["broken", "never", 0],
    ["warnings", null, 0],
    ["warnings", "error", 0],
    ["warnings", "warning", 1],
    ["warnings", "never", 0],
    ["clean", "warning", 0],
  ];
  it.each(cases)("%s estate, --fail-on %s: exit %i", (estate, failOn, code) => {
    const root = { broken, warnings: warningsOnly, clean }[estate] ?? "";
    const run = runCli(["check", root, ...(failOn === null ? [] : ["--fail-on", failOn])]);
    expect(run.code).toBe(code);
  });

  it.each(cases)(
    "%s estate, --fail-on %s: JUnit has failures exactly when the exit status is 1 (%i)",
    (estate, failOn, code) => {
      const root = { broken, warnings: warningsOnly, clean }[estate] ?? "";
      const args = ["check", root, "--format", "junit", ...(failOn === null ? [] : ["--fail-on", failOn])];
      const run = runCli(args);
      expect(run.code).toBe(code);
      expect(run.stdout.includes("<failure "), run.stdout).toBe(code === 1);
      // What does not fail is still reported: the warnings estate's orphan is in the output either way.
      if (estate === "warnings") expect(run.stdout).toContain("VirtualDisks/orphan.img");
    },
  );

  it("rejects an unknown --fail-on, --format or flag with exit 2", () => {
    for (const args of [
      ["--fail-on", "note"],
      ["--format", "xml"],
      ["--strict"],
      ["--write-baseline", "--format", "json"],
    ]) {
      const run = runCli(["check", clean, ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("check --policy", () => {
  it("exits 2 on an invalid policy file and names the failing path or position", () => {
    const typo = runCli([
      "check",
      clean,
      "--policy",
      policyFile("typo.json", { rules: { "orphan-disk": "loud" } }),
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("rules.orphan-disk");
    const json = runCli(["check", clean, "--policy", policyFile("json.json", '{\n  "rules": {,\n}')]);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/json\.json:2:13: error policy-invalid/);
    const unknown = runCli([
      "check",
      clean,
      "--policy",
      policyFile("unknown.json", { ignore: [{ rule: "x", reason: "r" }] }),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("ignore.0.rule");
  });

  it("lowers, raises and switches off rules", () => {
    const policy = policyFile("severity.json", { rules: { "orphan-disk": "error", "shared-disk": "off" } });
    const { code, result } = checkJson([warningsOnly, "--policy", policy]);
    expect(code).toBe(1);
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([["orphan-disk", "error"]]);
  });

  it("keeps ignored findings in every report with their reason, and they do not fail the run", () => {
    const policy = policyFile("ignore.json", {
      ignore: [
        {
          rule: "orphan-disk",
          repository: "Guests-*",
          file: "VirtualDisks/orphan.img",
          reason: "kept for INC-42",
        },
      ],
    });
    const { code, result } = checkJson([warningsOnly, "--policy", policy, "--fail-on", "warning"]);
    expect(code).toBe(0);
    expect(result.findings.map((f) => [f.suppressed, f.suppression])).toEqual([[true, "kept for INC-42"]]);
    expect(runCli(["check", warningsOnly, "--policy", policy]).stdout).toContain("kept for INC-42");
  });

  it("applies repository roles from the policy over the naming convention", () => {
    const policy = policyFile("roles.json", { repositories: [{ match: "Templates-*", role: "guests" }] });
    const rules = checkJson([broken, "--policy", policy]).result.findings.map((f) => f.ruleId);
    expect(rules).not.toContain("guest-in-resource-repository");
    expect(rules).toContain("resource-in-guest-repository");
    expect(rules.filter((id) => id === "resource-in-guest-repository")).toHaveLength(3);
  });
});

describe("check baseline", () => {
  it("writes a baseline, passes with it, and fails again on a new problem", () => {
    const written = runCli(["check", broken, "--write-baseline"]);
    expect(written.code).toBe(0);
    const policy = JSON.parse(written.stdout) as { baseline: string[] };
    expect(policy.baseline).toHaveLength(12);
    expect(runCli(["check", broken, "--format", "baseline"]).stdout).toBe(written.stdout);

    const path = policyFile("baseline.json", written.stdout);
    const again = checkJson([broken, "--policy", path, "--fail-on", "warning"]);
    expect(again.code).toBe(0);
    expect(again.result.summary).toEqual({ errors: 0, warnings: 0, notes: 0, suppressed: 12 });

    write(join(broken, "T", "ISOs", "..", "VirtualDisks", "new-orphan.img"));
    const next = checkJson([broken, "--policy", path, "--fail-on", "warning"]);
    expect(next.code).toBe(1);
    expect(next.result.findings.filter((f) => !f.suppressed).map((f) => [f.ruleId, f.file])).toEqual([
      ["orphan-disk", "VirtualDisks/new-orphan.img"],
    ]);
  });

  it("keeps the policy's other settings and leaves ignored findings out of the baseline", () => {
    const path = policyFile("keep.json", {
      rules: { "unsafe-symlink": "note" },
      ignore: [{ rule: "orphan-disk", reason: "scratch disks" }],
    });
    const policy = JSON.parse(runCli(["check", broken, "--policy", path, "--write-baseline"]).stdout);
    expect(policy.rules).toEqual({ "unsafe-symlink": "note" });
    expect(policy.ignore).toEqual([{ rule: "orphan-disk", reason: "scratch disks" }]);
    expect(policy.baseline.some((fingerprint: string) => fingerprint.startsWith("orphan-disk:"))).toBe(false);
    expect(policy.baseline).toContain("unsafe-symlink:G/VirtualDisks/exa.img");
  });
});
