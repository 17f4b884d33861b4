// No raw control characters in any output: names with ESC, BEL, CR, \x01, DEL and a C1 CSI go through
// every format of every command (the built CLI, real files with those names) and come out escaped.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repository, tempDir, vmCfg, write } from "../check/tree.js";
import { runCli } from "../support/cli.js";

const temp = tempDir();
let root = "";
// ESC [ 2 J clears a screen; BEL rings; \x01 and DEL sit beside NUL; \x9b is the C1 CSI. File names with a CR
// are left out of a scan (line-break-in-name), so the CR comes in through a vm.cfg string escape instead.
const NASTY = "x\u001b[2J\u0007y\u0001\u007f\u009bz";
const NASTY_ESCAPED = String.raw`x\x1b[2J\x07y\r\x01\x7f\x9bz`;
/** Any C0 control but LF and TAB, DEL, or any C1 control. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

beforeAll(() => {
  root = join(temp.dir, "repositories");
  const g = repository(root, "G", `Guests-${NASTY}`);
  mkdirSync(join(g, "VirtualDisks"), { recursive: true });
  write(join(g, "VirtualDisks", `orphan-${NASTY}.img`));
  write(join(g, "VirtualDisks", "web.img"));
  vmCfg(g, "VirtualMachines", `web-${NASTY}`, "0004fb00-0006-0000-0000-00000000000a", [
    "G/VirtualDisks/web.img",
    `G/VirtualDisks/gone-${NASTY_ESCAPED}.img`,
  ]);
});
afterAll(() => temp.cleanup());

const runs: Array<[string, string[]]> = [
  ...["text", "json", "sarif", "junit", "github", "baseline"].map((format): [string, string[]] => [
    `check --format ${format}`,
    ["check", "--format", format],
  ]),
  ...["text", "json"].map((format): [string, string[]] => [
    `scan --format ${format}`,
    ["scan", "--format", format],
  ]),
  ...["text", "json"].map((format): [string, string[]] => [
    `plan --format ${format}`,
    ["plan", "--format", format],
  ]),
  ...["dot", "json", "mermaid"].map((format): [string, string[]] => [
    `graph --format ${format}`,
    ["graph", "--format", format],
  ]),
];

describe("names with control characters", () => {
  it.each(runs)("%s prints none raw, on stdout or stderr", (_, args) => {
    const run = runCli([...args, root]);
    expect(run.code, run.stderr).toBeLessThan(2);
    // The names are there (so the test is not vacuous), escaped.
    expect(run.stdout + run.stderr).toMatch(
      args[0] === "check" ? /orphan-x.*gone-x|gone-x.*orphan-x/s : /gone-x/,
    );
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  it("parse prints none raw in text or json", () => {
    const file = join(temp.dir, `vm-${NASTY}.cfg`);
    write(file, `name = 'a${NASTY}'\ndisk = ['file:/x/${NASTY_ESCAPED}.img,xvda,w']\n`);
    for (const format of ["text", "json"]) {
      const run = runCli(["parse", "--format", format, file]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(".img");
      expect(run.stdout).not.toMatch(RAW_CONTROL);
      expect(run.stderr).not.toMatch(RAW_CONTROL);
    }
  });
});
