// The dispatcher: the overview, each command's --help, --version, unknown commands.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

describe("ovm-deps", () => {
  it("lists the commands with --help (exit 0) and without a command (exit 2)", () => {
    const help = runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["parse", "scan", "graph", "plan", "restore", "check"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
    expect(runCli([]).code).toBe(2);
  });

  it.each(["parse", "scan", "graph", "plan", "restore", "check"])(
    "%s --help prints its usage, exit 0",
    (command) => {
      const run = runCli([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: ovm-deps ${command} `));
      // Generated from the definition: a description, examples, the exit statuses.
      expect(run.stdout).toMatch(/\n\nExamples:\n {2}\S.*:\n {4}\$ ovm-deps /);
      expect(run.stdout).toContain("\nExit status:\n");
      expect(runCli([command, "-h"]).stdout).toBe(run.stdout);
    },
  );

  it("prints the package version", () => {
    expect(runCli(["--version"]).stdout).toBe(`${version}\n`);
  });

  it.each([
    [["plan", "--gest", "x", "."], "ovm-deps plan: unknown option '--gest' (did you mean --guest?)\n"],
    [
      ["check", ".", "--fail-of", "never"],
      "ovm-deps check: unknown option '--fail-of' (did you mean --fail-on?)\n",
    ],
    [["restor", "."], "ovm-deps: unknown command 'restor' (did you mean restore?)\n"],
    [
      ["scan", ".", "--io", "parallel"],
      'ovm-deps scan: --io must be one of auto, direct, concurrent (got "parallel")\n',
    ],
  ])("suggests the nearest flag or command for a typo, exit 2: %j", (args, stderr) => {
    const run = runCli(args);
    expect([run.code, run.stdout, run.stderr]).toEqual([2, "", stderr]);
  });

  it("takes flags before or after the arguments, and --flag=value", () => {
    const root = new URL("../../examples/estate/repositories", import.meta.url).pathname;
    const before = runCli(["plan", "--format=json", "--guest", "exaadm01vm0005.example.com", root]);
    const after = runCli(["plan", root, "--guest=exaadm01vm0005.example.com", "--format", "json"]);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).guests).toHaveLength(1);
    expect(after.stdout).toBe(before.stdout);
  });

  it("exits 2 on an unknown command", () => {
    const run = runCli(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("ovm-deps: unknown command 'frobnicate'\n");
  });
});
