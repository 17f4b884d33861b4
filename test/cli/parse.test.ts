// `ovm-deps parse` end to end: formats, code frames, exit codes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ParseDocumentSchema } from "ovm-deps";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const fixtures = fileURLToPath(new URL("../../fixtures/vmcfg/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ovm-deps-parse-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ovm-deps parse", () => {
  it("prints one JSON document with an element per file, as given on the command line", () => {
    const run = runCli(["parse", "ovm-manager/vm.cfg", "exadata/vm.cfg", "--format", "json"], {
      cwd: fixtures,
    });
    expect(run.code).toBe(0);
    const doc = ParseDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.map((d) => [d.file, d.ok, d.guest.simpleName, d.disks.length])).toEqual([
      ["ovm-manager/vm.cfg", true, "web01", 4],
      ["exadata/vm.cfg", true, "exa-01", 2],
    ]);
    expect(doc[0]!.disks[2]).toMatchObject({ path: null, vdev: "xvdc", devtype: "cdrom", readonly: true });
  });

  it("exits 1 when a file has errors and shows file:line:column with a code frame", () => {
    const run = runCli(["parse", "non-declarative/vm.cfg", "human/vm.cfg"], { cwd: fixtures });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("non-declarative/vm.cfg: 4 errors");
    expect(run.stdout).toContain("non-declarative/vm.cfg:6:15: error non-declarative:");
    expect(run.stdout).toContain('        6 | name = "VM%d" % vmid\n          |               ^\n');
    expect(run.stdout).toContain("human/vm.cfg: ok");
    expect(run.stdout).toContain("human/vm.cfg:13:1: info duplicate-key:");
  });

  it("reports an unreadable file as an error of that file and goes on", () => {
    const run = runCli(["parse", "missing.cfg", "bom/vm.cfg", "--format", "json"], { cwd: fixtures });
    expect(run.code).toBe(1);
    const [missing, bom] = ParseDocumentSchema.parse(JSON.parse(run.stdout));
    expect(missing!.diagnostics.map((d) => [d.code, d.file])).toEqual([["unreadable", "missing.cfg"]]);
    expect(bom!.ok).toBe(true);
  });

  it("escapes control characters in text output", () => {
    const file = join(dir, "ctl.cfg");
    writeFileSync(file, "name = 'evil\\x1b[31mred\\nline'\n");
    const run = runCli(["parse", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("name=evil\\x1b[31mred\\nline");
    expect(run.stdout).not.toContain("\x1b");
  });

  it.each([
    [["parse"], "missing required argument 'FILE'"],
    [["parse", "x.cfg", "--format", "yaml"], "--format"],
    [["parse", "--bogus", "x.cfg"], "bogus"],
  ])("exits 2 on a usage error %j", (args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
