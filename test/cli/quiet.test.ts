// Each problem once, and quiet when asked: `--min-severity`, `--quiet`, the count of what was hidden, through the real CLI.
import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { ParseDocumentSchema, ScanResultSchema } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { live, owner, repository, tempDir, write } from "../scan/helpers.js";
import { runCli } from "../support/cli.js";

const REPO = "0004fb0000030000c11c000000000001";

/**
 * Two guests reach one dangling link and one folder used as a disk; a third has a duplicate key (info);
 * a fourth cannot be parsed (error); a file name with a line break is a gap (warning).
 */
function estate(): { parent: string; root: string } {
  const parent = tempDir();
  const root = repository(parent, REPO, { OVS_REPO_UUID: REPO, OVS_REPO_ALIAS: "Guests pool" });
  symlinkSync("gone.img", path.join(root, "VirtualDisks/broken.img"));
  mkdirSync(path.join(root, "VirtualDisks/folder.img"));
  for (const name of ["vm1", "vm2"]) {
    owner(root, name, {
      name,
      disks: [
        `file:${live(REPO, "VirtualDisks/broken.img")},xvda,w`,
        `file:${live(REPO, "VirtualDisks/folder.img")},xvdb,w`,
      ],
    });
  }
  write(path.join(root, "VirtualMachines/vm3/vm.cfg"), "name = 'vm3'\nname = 'vm3'\ndisk = []\n");
  write(path.join(root, "VirtualMachines/vm4/vm.cfg"), "name = 'vm4\ndisk = []\n");
  write(path.join(root, "VirtualDisks/line\nbreak.img"));
  return { parent, root };
}

/** The stderr lines of one diagnostic code. */
const linesOf = (stderr: string, code: string): string[] =>
  stderr.split("\n").filter((line) => line.includes(` ${code}: `));

const config = (root: string, name: string): string => path.join(root, "VirtualMachines", name, "vm.cfg");

describe("each problem once", () => {
  it("a dangling link two guests reach is one stderr line about the link, naming both vm.cfg positions", () => {
    const { parent, root } = estate();
    const run = runCli(["scan", parent, "--format", "json"]);
    expect(run.code).toBe(0);
    const [line, ...more] = linesOf(run.stderr, "dangling-symlink");
    expect(more).toEqual([]);
    expect(line).toMatch(
      new RegExp(`^${path.join(root, "VirtualDisks/broken.img")}: warning dangling-symlink: `),
    );
    expect(line).toContain(`(referenced at ${config(root, "vm1")}:2:9, ${config(root, "vm2")}:2:9)`);
  });

  it("a folder two guests use as a disk is one not-a-file line about the folder, with both positions", () => {
    const { parent, root } = estate();
    const run = runCli(["scan", parent, "--format", "json"]);
    const lines = linesOf(run.stderr, "not-a-file");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^${path.join(root, "VirtualDisks/folder.img")}: warning not-a-file: `),
    );
    expect(lines[0]).toContain(config(root, "vm1"));
    expect(lines[0]).toContain(config(root, "vm2"));
  });

  it("the JSON document keeps every guest's diagnostic, with the file as subject, and the link's references", () => {
    const { parent, root } = estate();
    const document = ScanResultSchema.parse(JSON.parse(runCli(["scan", parent, "--format", "json"]).stdout));
    const link = path.join(root, "VirtualDisks/broken.img");
    const own = document.diagnostics.filter((d) => d.code === "dangling-symlink");
    expect(own).toHaveLength(1);
    expect(own[0]!.references).toEqual([
      { file: config(root, "vm1"), line: 2, column: 9 },
      { file: config(root, "vm2"), line: 2, column: 9 },
    ]);
    const perGuest = document.guests.flatMap((g) =>
      g.diagnostics.filter((d) => d.code === "dangling-symlink"),
    );
    expect(perGuest.map((d) => [d.file, d.subject])).toEqual([
      [config(root, "vm1"), link],
      [config(root, "vm2"), link],
    ]);
  });

  it("scan --format text lists each problem once in its Problems section", () => {
    const { parent } = estate();
    const run = runCli(["scan", parent, "--min-severity", "info"]);
    expect(linesOf(run.stdout, "dangling-symlink")).toHaveLength(1);
    expect(linesOf(run.stdout, "not-a-file")).toHaveLength(1);
    // The notes are listed in the document for people, whatever stderr shows.
    expect(linesOf(run.stdout, "duplicate-key")).toHaveLength(1);
  });
});

describe("--min-severity and --quiet", () => {
  it("whole-estate commands hide notes by default and say how many in one line", () => {
    const { parent } = estate();
    for (const command of ["scan", "plan", "graph", "check"]) {
      const run = runCli([command, parent]);
      expect(linesOf(run.stderr, "duplicate-key"), command).toEqual([]);
      expect(run.stderr, command).toContain(
        "ovm-deps: 1 info diagnostic not shown (--min-severity info shows them)\n",
      );
      expect(linesOf(run.stderr, "dangling-symlink"), command).toHaveLength(1);
    }
  });

  it("--min-severity info shows the notes and no count line", () => {
    const { parent } = estate();
    const run = runCli(["plan", parent, "--min-severity", "info"]);
    expect(linesOf(run.stderr, "duplicate-key")).toHaveLength(1);
    expect(run.stderr).not.toContain("not shown");
  });

  it("--min-severity error counts the warnings and notes it hid, and never hides an error", () => {
    const { parent } = estate();
    const run = runCli(["scan", parent, "--min-severity", "error"]);
    expect(linesOf(run.stderr, "dangling-symlink")).toEqual([]);
    expect(linesOf(run.stderr, "unterminated-string").length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(
      /^ovm-deps: \d+ warning and 1 info diagnostics not shown \(--min-severity info shows them\)$/m,
    );
  });

  it("--quiet prints errors only, without the count line; exit status and document unchanged", () => {
    const { parent } = estate();
    const loud = runCli(["plan", parent, "--format", "json", "--min-severity", "info"]);
    const quiet = runCli(["plan", parent, "--format", "json", "--quiet"]);
    expect(quiet.code).toBe(loud.code);
    expect(quiet.stdout).toBe(loud.stdout);
    const lines = quiet.stderr.split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => / error [a-z-]+: /.test(line))).toBe(true);
  });

  it("hidden problems still make the document incomplete (unknown is never clean)", () => {
    const { parent } = estate();
    const run = runCli(["scan", parent, "--format", "json", "--quiet"]);
    expect(linesOf(run.stderr, "line-break-in-name")).toEqual([]);
    const document = ScanResultSchema.parse(JSON.parse(run.stdout));
    expect(document.complete).toBe(false);
    expect(document.incomplete?.map((g) => g.code)).toContain("line-break-in-name");
  });

  it("rejects a severity that does not exist (exit 2)", () => {
    const { parent } = estate();
    const run = runCli(["scan", parent, "--min-severity", "notice"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--min-severity must be one of");
  });
});

describe("parse --min-severity", () => {
  function file(): string {
    return write(path.join(tempDir(), "vm.cfg"), "name = 'a'\nname = 'b'\naccess = 1\n");
  }

  it("shows every diagnostic by default", () => {
    const run = runCli(["parse", file()]);
    expect(run.code).toBe(0);
    expect(linesOf(run.stdout, "duplicate-key")).toHaveLength(1);
    expect(run.stderr).toBe("");
  });

  it("--min-severity warning hides the notes in the text and counts them on stderr", () => {
    const run = runCli(["parse", file(), "--min-severity", "warning"]);
    expect(run.code).toBe(0);
    expect(linesOf(run.stdout, "duplicate-key")).toEqual([]);
    expect(run.stderr).toBe("ovm-deps: 1 info diagnostic not shown (--min-severity info shows them)\n");
  });

  it("--quiet leaves the JSON document whole and prints nothing on stderr", () => {
    const run = runCli(["parse", file(), "--format", "json", "--quiet"]);
    const [parsed] = ParseDocumentSchema.parse(JSON.parse(run.stdout));
    expect(parsed!.diagnostics.map((d) => d.code)).toContain("duplicate-key");
    expect(run.stderr).toBe("");
  });
});
