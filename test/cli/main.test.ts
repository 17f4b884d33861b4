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
      expect(run.stdout).toMatch(new RegExp(`^usage: ovm-deps ${command} `));
      expect(runCli([command, "-h"]).stdout).toBe(run.stdout);
    },
  );

  it("prints the package version", () => {
    expect(runCli(["--version"]).stdout).toBe(`${version}\n`);
  });

  it("exits 2 on an unknown command", () => {
    const run = runCli(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });
});
