// `restore --format script` run for real: sh, cp, sha256sum on real trees scanned by the library.
import { spawnSync } from "node:child_process";
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import {
  isSelectionError,
  planRestore,
  type RestoreResult,
  renderDocument,
  scanRepositories,
} from "ovm-deps";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../plan/helpers.js";
import { haveTool } from "./helpers.js";

// sh has no --version (dash): POSIX guarantees it; GNU coreutils are what the script needs.
const tools = haveTool("cp") && haveTool("sha256sum");

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir("ovm-deps-script-");
});
afterEach(() => temp.remove());

const UUID = "0004fb00-0006-0000-0000-000000000001";
/** When the backup was taken: its files get this mtime, so a plan sees them differ from fresh live files. */
const THEN = new Date("2024-01-02T03:04:05Z");

/** A file of a side: text, or a thin disk of `size` bytes with `data` written at each offset. */
type Content = string | { size: number; data: Record<number, string> };

function writeContent(file: string, content: Content): void {
  mkdirSync(path.dirname(file), { recursive: true });
  if (typeof content === "string") {
    writeFileSync(file, content);
    return;
  }
  writeFileSync(file, "");
  truncateSync(file, content.size);
  const fd = openSync(file, "r+");
  for (const [offset, data] of Object.entries(content.data)) writeSync(fd, data, Number(offset));
  closeSync(fd);
}

/** A ROOT `<temp>/<name>` with repository R, guest `folder` using `disks` (files of R), and extra files. */
function side(
  name: string,
  folder: string,
  disks: Record<string, Content | null>,
  options: { config?: string; mtime?: Date } = {},
): string {
  const root = path.join(temp.dir, name);
  for (const area of ["VirtualMachines", "Templates", "VirtualDisks", "ISOs"])
    mkdirSync(path.join(root, "R", area), { recursive: true });
  const specs = Object.keys(disks).map((f, i) => `"file:/OVS/Repositories/R/${f},xvd${"abc"[i]},w"`);
  const config = path.join(root, "R/VirtualMachines", folder, "vm.cfg");
  writeContent(config, options.config ?? `name = 'vm1'\nuuid = '${UUID}'\ndisk = [${specs.join(", ")}]\n`);
  const files = [config];
  for (const [file, content] of Object.entries(disks)) {
    if (content === null) continue;
    writeContent(path.join(root, "R", file), content);
    files.push(path.join(root, "R", file));
  }
  if (options.mtime !== undefined) for (const f of files) utimesSync(f, options.mtime, options.mtime);
  return root;
}

async function plan(live: string, backup: string, guest = "vm1"): Promise<RestoreResult> {
  const result = await planRestore(await scanRepositories([live]), await scanRepositories([backup]), {
    guests: [guest],
  });
  if (isSelectionError(result)) throw new Error(JSON.stringify(result.problems));
  return result;
}

/** The script of a restore, written to `<temp>/restore.sh`. */
function script(document: RestoreResult): string {
  const rendered = renderDocument({ kind: "restore", document }, "script");
  if (!rendered.ok) throw new Error(rendered.error);
  expect(rendered.exitCode).toBe(0);
  const file = path.join(temp.dir, "restore.sh");
  writeFileSync(file, rendered.output);
  return file;
}

function run(file: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync("sh", [file], { cwd: temp.dir, encoding: "utf8" });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const sha = (file: string): string =>
  spawnSync("sha256sum", [file], { encoding: "utf8" }).stdout.split(" ")[0]!;
/** Everything under a folder, with contents, sizes, mtimes and inodes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const s = statSync(p);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${s.ino} ${s.size} ${s.mtimeMs} ${sha(p)}`;
    }
  };
  walk(dir);
  return out;
}

const THIN: Content = {
  size: 64 << 20,
  data: { 0: "boot sector", [1 << 20]: "x".repeat(4096), [40 << 20]: "end" },
};

describe.skipIf(!tools)("restore --format script", () => {
  it("restores a thin disk thin and byte-identical, overwrites the vm.cfg, and a second plan finds all unchanged", async () => {
    const backup = side("backup", "vm1", { "VirtualDisks/a.img": THIN }, { mtime: THEN });
    const live = side("live", "vm1", { "VirtualDisks/a.img": null }, { config: "broken\n" });
    const document = await plan(live, backup);
    expect(document.safe).toBe(true);
    expect(document.actions.map((a) => a.action).sort()).toEqual(["create", "overwrite"]);
    const file = script(document);
    expect(readFileSync(file, "utf8")).toMatch(/^#!\/bin\/sh\n# Restore generated by ovm-deps/);

    const result = run(file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/2 files copied/);
    const source = statSync(path.join(backup, "R/VirtualDisks/a.img"));
    const restored = statSync(path.join(live, "R/VirtualDisks/a.img"));
    expect(restored.size).toBe(64 << 20);
    expect(Math.abs(restored.blocks * 512 - source.blocks * 512)).toBeLessThan(1 << 20);
    expect(restored.blocks * 512).toBeLessThan(8 << 20);
    expect(sha(path.join(live, "R/VirtualDisks/a.img"))).toBe(sha(path.join(backup, "R/VirtualDisks/a.img")));
    expect(readFileSync(path.join(live, "R/VirtualMachines/vm1/vm.cfg"), "utf8")).toBe(
      readFileSync(path.join(backup, "R/VirtualMachines/vm1/vm.cfg"), "utf8"),
    );
    // No temporary file left; times kept, so the same restore planned again copies nothing.
    expect(readdirSync(path.join(live, "R/VirtualDisks"))).toEqual(["a.img"]);
    const again = await plan(live, backup);
    expect(again.actions.map((a) => a.action)).toEqual(["unchanged", "unchanged"]);
  });

  it("creates a missing folder inside the live repository", async () => {
    const backup = side("backup", "vm1", { "VirtualDisks/a.img": "disk" }, { mtime: THEN });
    const live = side(
      "live",
      "other",
      {},
      { config: "name = 'other'\nuuid = '0004fb00-0006-0000-0000-0000000000ff'\n" },
    );
    const document = await plan(live, backup);
    expect(document.safe).toBe(true);
    const file = script(document);
    expect(readFileSync(file, "utf8")).toContain(`mkdir -p -- '${path.join(live, "R/VirtualMachines/vm1")}'`);
    const result = run(file);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(live, "R/VirtualDisks/a.img"), "utf8")).toBe("disk");
  });

  it("makes a link inside the repository as a link, after the file it leads to", async () => {
    // The guest names a.img, a link to a-real.img; the live tree lost both.
    const backup = side(
      "backup",
      "vm1",
      { "VirtualDisks/a.img": null, "VirtualDisks/a-real.img": THIN },
      {
        mtime: THEN,
      },
    );
    symlinkSync("a-real.img", path.join(backup, "R/VirtualDisks/a.img"));
    const live = side("live", "vm1", { "VirtualDisks/a.img": null, "VirtualDisks/a-real.img": null });
    const document = await plan(live, backup);
    expect(document.safe, JSON.stringify(document.blocked)).toBe(true);
    const result = run(script(document));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/3 files copied/);
    expect(readlinkSync(path.join(live, "R/VirtualDisks/a.img"))).toBe("a-real.img");
    expect(sha(path.join(live, "R/VirtualDisks/a.img"))).toBe(
      sha(path.join(backup, "R/VirtualDisks/a-real.img")),
    );
    expect(statSync(path.join(live, "R/VirtualDisks/a-real.img")).blocks * 512).toBeLessThan(8 << 20);
    expect(readdirSync(path.join(live, "R/VirtualDisks")).sort()).toEqual(["a-real.img", "a.img"]);
    // Planned again: the link and the data are there as in the backup.
    const again = await plan(live, backup);
    expect(again.actions.map((a) => [a.file, a.action])).toEqual([
      ["VirtualMachines/vm1/vm.cfg", "unchanged"],
      ["VirtualDisks/a-real.img", "unchanged"],
      ["VirtualDisks/a.img", "unchanged"],
    ]);
  });

  it("stops with a clear message, changing nothing, when a target changed after planning", async () => {
    const backup = side(
      "backup",
      "vm1",
      { "VirtualDisks/a.img": "old disk", "VirtualDisks/b.img": "b" },
      { mtime: THEN },
    );
    const live = side("live", "vm1", { "VirtualDisks/a.img": "damaged", "VirtualDisks/b.img": null });
    const file = script(await plan(live, backup));
    // The guest came back to life: its disk was written after the plan.
    writeFileSync(path.join(live, "R/VirtualDisks/a.img"), "written since");
    const before = snapshot(live);
    const result = run(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.join(live, "R/VirtualDisks/a.img")} changed since the plan`);
    expect(result.stderr).toContain("plan the restore again");
    expect(snapshot(live)).toEqual(before);

    // And a file to create that appeared meanwhile.
    const file2 = script(await plan(live, backup));
    writeFileSync(path.join(live, "R/VirtualDisks/b.img"), "new");
    const before2 = snapshot(live);
    const result2 = run(file2);
    expect(result2.code).toBe(1);
    expect(result2.stderr).toContain(`${path.join(live, "R/VirtualDisks/b.img")} exists now`);
    expect(snapshot(live)).toEqual(before2);
  });

  it("stops before copying anything when a file system lacks room", async () => {
    const backup = side("backup", "vm1", { "VirtualDisks/a.img": "disk" }, { mtime: THEN });
    const live = side("live", "vm1", { "VirtualDisks/a.img": "damaged" });
    const document = await plan(live, backup);
    const huge = { ...document, space: document.space.map((s) => ({ ...s, neededBytes: 2 ** 60 })) };
    const before = snapshot(live);
    const result = run(script(huge));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`not enough room on the file system of ${path.join(live, "R")}`);
    expect(snapshot(live)).toEqual(before);
  });

  it("restores paths with spaces, quotes, $, backticks and a newline", async () => {
    const folder = "vm 'one' \"two\" $HOME `id` $(id) three";
    const disk = "VirtualDisks/a b'c $d `e`.img";
    const backup = side("backup", folder, { [disk]: "weird disk" }, { mtime: THEN });
    const live = side("live", folder, { [disk]: "damaged" }, { config: "broken\n" });
    const planned = await plan(live, backup, `R/VirtualMachines/${folder}`);
    expect(planned.safe).toBe(true);
    expect(planned.actions.map((a) => a.target).sort()).toEqual(
      [path.join(live, "R", disk), path.join(live, "R/VirtualMachines", folder, "vm.cfg")].sort(),
    );
    // The scan leaves out names with a line break; a document may still hold one: rename the disk on
    // both sides (times kept) and in the document.
    const newline = `${disk}\n$(touch pwned)'`;
    for (const root of [backup, live]) renameSync(path.join(root, "R", disk), path.join(root, "R", newline));
    const document: RestoreResult = {
      ...planned,
      actions: planned.actions.map((a) =>
        a.file === disk
          ? { ...a, source: path.join(backup, "R", newline), target: path.join(live, "R", newline) }
          : a,
      ),
    };
    const result = run(script(document));
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(live, "R", newline), "utf8")).toBe("weird disk");
    expect(readFileSync(path.join(live, "R/VirtualMachines", folder, "vm.cfg"), "utf8")).toContain(
      "name = 'vm1'",
    );
    expect(readdirSync(path.join(live, "R/VirtualDisks"))).toEqual([path.basename(newline)]);
    expect(readdirSync(temp.dir).sort()).toEqual(["backup", "live", "restore.sh"]);
  });

  it("leaves unchanged files alone, naming them in a comment", async () => {
    const backup = side(
      "backup",
      "vm1",
      { "VirtualDisks/a.img": "same", "VirtualDisks/b.img": "b" },
      { mtime: THEN },
    );
    const live = side(
      "live",
      "vm1",
      { "VirtualDisks/a.img": "same", "VirtualDisks/b.img": "damaged" },
      { mtime: THEN },
    );
    const document = await plan(live, backup);
    expect(document.actions.map((a) => a.action)).toEqual(["unchanged", "unchanged", "overwrite"]);
    const before = statSync(path.join(live, "R/VirtualDisks/a.img"));
    const file = script(document);
    const text = readFileSync(file, "utf8");
    expect(text).toContain(`# Unchanged, not copied: "${path.join(live, "R/VirtualDisks/a.img")}"`);
    expect(text).not.toContain(`ovm_copy '${path.join(backup, "R/VirtualDisks/a.img")}'`);
    const result = run(file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("1 files copied (1 bytes), 2 unchanged left alone");
    const after = statSync(path.join(live, "R/VirtualDisks/a.img"));
    expect([after.ino, after.mtimeMs, after.ctimeMs]).toEqual([before.ino, before.mtimeMs, before.ctimeMs]);
    expect(readFileSync(path.join(live, "R/VirtualDisks/b.img"), "utf8")).toBe("b");
  });

  it("replaces a target hard-linked to a file outside, never writing through the link", async () => {
    const backup = side("backup", "vm1", { "VirtualDisks/a.img": "restored" }, { mtime: THEN });
    const live = side("live", "vm1", { "VirtualDisks/a.img": "old disk" });
    const file = script(await plan(live, backup));
    // Linked after the plan (a plan refuses a hard-linked target): the rename replaces the name only.
    const other = path.join(temp.dir, "elsewhere.img");
    linkSync(path.join(live, "R/VirtualDisks/a.img"), other);
    const result = run(file);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(other, "utf8")).toBe("old disk");
    expect(readFileSync(path.join(live, "R/VirtualDisks/a.img"), "utf8")).toBe("restored");
    expect(statSync(other).ino).not.toBe(statSync(path.join(live, "R/VirtualDisks/a.img")).ino);
  });

  it("gives no script for an unsafe restore, and refuses what one script cannot do", async () => {
    const backup = side("backup", "vm1", { "VirtualDisks/a.img": "disk" }, { mtime: THEN });
    const live = side("live", "vm1", { "VirtualDisks/a.img": "damaged" });
    const document = await plan(live, backup);
    const unsafe: RestoreResult = {
      ...document,
      safe: false,
      blocked: [{ guest: document.guests[0]!, ref: "x", reason: "shared", users: [] }],
    };
    const unsafeScript = renderDocument({ kind: "restore", document: unsafe }, "script");
    expect(unsafeScript).toMatchObject({ ok: true, output: "", exitCode: 1 });
    // No script, and the refusal says why (the CLI writes it to stderr).
    expect(unsafeScript.ok && unsafeScript.stderr?.startsWith("NOT SAFE:")).toBe(true);
    const linked = {
      ...document,
      actions: document.actions.map((a) => ({ ...a, links: [path.join(live, "R")] })),
    };
    const refused = renderDocument({ kind: "restore", document: linked }, "script");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/reached through the link .*: use --format json$/);
    const elsewhere = {
      ...document,
      roots: { ...document.roots, live: [path.join(temp.dir, "other")] },
    };
    const moved = renderDocument({ kind: "restore", document: elsewhere }, "script");
    expect(!moved.ok && moved.error).toMatch(/not at the same path .*: use --format json$/);
  });
});
