// A refused restore is loud in every format, and the README's copy recipe neither misses a refusal nor fills sparse disks.
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync, truncateSync, utimesSync, writeSync } from "node:fs";
import path from "node:path";
import { escapeText, RestoreResultSchema } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shellQuote } from "../../src/report/restore-script.js";
import type { tempDir } from "../plan/helpers.js";
import { binPath, runCli } from "../support/cli.js";
import type { EstateManifest, ManifestOwner } from "../support/estate/index.js";
import { snapshotTree } from "../support/tree-snapshot.js";
import { estateAndBackup, haveTool, safeGuests, sharingGuests } from "./helpers.js";

const tools = haveTool("rsync");

/** Run a bash script (the README's recipes use `set -o pipefail`). */
function shell(script: string, cwd: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync("bash", ["-c", script], { cwd, encoding: "utf8" });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `ovm-deps` as a shell word list, the built CLI run by this Node. */
const ovmDeps = `${shellQuote(process.execPath)} ${shellQuote(binPath)}`;

/** The name a person knows a generated owner by, as stderr prints it. */
const nameOf = (owner: ManifestOwner): string => escapeText(owner.simpleName ?? owner.name);

/** Bytes allocated on disk for a file (`stat -c %b` × 512). */
const allocated = (file: string): number => statSync(file).blocks * 512;

const MiB = 1024 * 1024;

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/**
 * The README's restore recipe (an sh block) holding `marker`, run against these trees: `ovm-deps`
 * the built CLI, `/OVS/Repositories` the live ROOT, `/mnt/snap/Repositories` the backup, `web01` the guest.
 */
function recipe(marker: string, trees: { live: string; backup: string; guest: string }): string {
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes(marker) && b.includes("ovm-deps restore"));
  if (block === undefined) throw new Error(`no restore recipe with ${marker} in README.md`);
  return block
    .replaceAll("ovm-deps restore", `${ovmDeps} restore`)
    .replaceAll("/mnt/snap/Repositories", shellQuote(trees.backup))
    .replaceAll("/OVS/Repositories", shellQuote(trees.live))
    .replaceAll("web01", shellQuote(trees.guest));
}

describe.skipIf(!tools)("restore on the command line: loud refusals, thin copies", () => {
  let temp: ReturnType<typeof tempDir>;
  let manifest: EstateManifest;
  let live: string;
  let backup: string;
  let unsafe: ManifestOwner;

  beforeAll(() => {
    ({ temp, manifest, live, backup } = estateAndBackup("ovm-deps-loud-"));
    const sharing = sharingGuests(manifest);
    expect(sharing.length).toBeGreaterThan(0);
    unsafe = sharing[0]!;
  });
  afterAll(() => temp.remove());

  const restore = (guest: string, ...format: string[]) =>
    runCli(["restore", live, "--from", backup, "--guest", guest, ...format]);

  describe.each([
    ["text", []],
    ["json", ["--format", "json"]],
    ["list", ["--format", "list"]],
    ["list -0", ["--format", "list", "-0"]],
  ])("an unsafe restore in %s", (format, flags) => {
    it("exits 1 and starts stderr with NOT SAFE:, naming the guest, the file and the reason", () => {
      const json = RestoreResultSchema.parse(JSON.parse(restore(unsafe.ref, "--format", "json").stdout));
      expect(json.safe).toBe(false);
      const run = restore(unsafe.ref, ...flags);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr.startsWith("NOT SAFE:"), run.stderr).toBe(true);
      const lines = run.stderr.split("\n");
      // One line per reason right after the first, each naming the guest (by name and reference).
      for (const [i, blocked] of json.blocked.entries()) {
        const line = lines[i + 1]!;
        expect(line).toContain(`${nameOf(unsafe)} (${escapeText(unsafe.ref)})`);
        expect(line).toContain(`: ${blocked.reason}: `);
        if (blocked.ref !== blocked.guest) expect(line).toContain(escapeText(blocked.ref));
      }
      expect(run.stderr).toMatch(/--allow-shared/);
      if (format.startsWith("list")) expect(run.stdout).toBe("");
      else if (format === "json") expect(RestoreResultSchema.parse(JSON.parse(run.stdout))).toEqual(json);
      else expect(run.stdout).toMatch(/^NOT SAFE: the restore is refused/);
    });
  });

  it("re-renders a saved unsafe restore loudly too (format), names included", () => {
    const json = restore(unsafe.ref, "--format", "json").stdout;
    const run = runCli(["format", "-", "--format", "list", "-0"], { input: json });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.startsWith("NOT SAFE:"), run.stderr).toBe(true);
    expect(run.stderr).toContain(`${nameOf(unsafe)} (${escapeText(unsafe.ref)})`);
    // And the text shows the names next to the references too.
    const text = runCli(["format", "-", "--format", "text"], { input: json });
    expect(text.stdout).toContain(`guests: ${nameOf(unsafe)} (${escapeText(unsafe.ref)})`);
  });

  it("a pipefail pipeline into rsync fails on an unsafe restore and copies nothing", () => {
    const before = snapshotTree(live);
    const script = recipe("set -o pipefail", { live, backup, guest: unsafe.ref });
    expect(script).toMatch(/\| rsync -aS --no-implied-dirs --from0 --files-from=- /);
    const run = shell(script, temp.dir);
    expect(run.code).not.toBe(0);
    expect(run.stderr.startsWith("NOT SAFE:"), run.stderr).toBe(true);
    expect(snapshotTree(live)).toEqual(before);
  });

  it("restores through the README's recipe and keeps a sparse disk sparse", () => {
    const guest = safeGuests(manifest)[0]!;
    expect(guest).toBeDefined();
    const disk = guest.expected.files.find((f) => f.role === "disk")!;
    const source = path.join(backup, disk.repository, disk.file);
    const target = path.join(live, disk.repository, disk.file);
    // A 64 MiB thin disk on both sides: mostly a hole, some data; the live one damaged (rewritten data).
    truncateSync(source, 64 * MiB);
    truncateSync(target, 64 * MiB);
    const fd = openSync(target, "r+");
    try {
      writeSync(fd, Buffer.alloc(4 * MiB, 0x5a), 0, 4 * MiB, 16 * MiB);
    } finally {
      closeSync(fd);
    }
    // The backup's time, as a backup taken earlier has (else size and mtime may match: `unchanged`).
    utimesSync(source, new Date("2024-01-01T00:00:00Z"), new Date("2024-01-01T00:00:00Z"));
    expect(allocated(source)).toBeLessThan(8 * MiB);

    const before = snapshotTree(live);
    const script = recipe("mktemp", { live, backup, guest: guest.ref });
    // The recipe copies only when ovm-deps exited 0; it prints the list file's name for this test.
    const run = shell(`${script}\necho "$list"`, temp.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/NOT SAFE|refused/);
    const list = readFileSync(run.stdout.trim(), "utf8").split("\0");
    expect(list).toContain(path.join(disk.repository, disk.file));
    const copied = spawnSync("cmp", [source, target]);
    expect(copied.status).toBe(0);
    expect(statSync(target).size).toBe(64 * MiB);
    expect(Math.abs(allocated(target) - allocated(source))).toBeLessThanOrEqual(MiB);

    // Only the damaged disk changed (and its folder's times: rsync renamed a new file into it); the
    // other files were unchanged (left out of the list), the folders on the way kept their attributes.
    const after = new Map(snapshotTree(live).map((e) => [e.path, e] as const));
    const changed = new Set([path.relative(live, target), path.relative(live, path.dirname(target))]);
    for (const entry of before) {
      if (!changed.has(entry.path)) expect(after.get(entry.path), entry.path).toEqual(entry);
    }
    // Now the same: every action unchanged, so the list is empty and the restore safe.
    const again = restore(guest.ref, "--format", "list", "-0");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe("");
  });

  it.each([
    ["the live ROOT", (root: string) => root],
    ["the live ROOT with a trailing slash", (root: string) => `${root}/`],
    ["the live ROOT by another spelling", (root: string) => `${root}/./x/..`],
  ])("refuses --from naming %s: exit 2, one line", (_label, spell) => {
    const run = runCli(["restore", live, "--from", spell(live), "--guest", unsafe.ref]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/live/);
  });

  it("refuses --from naming a live repository folder inside a live ROOT: exit 2", () => {
    const repository = path.join(live, unsafe.repository);
    const run = runCli(["restore", live, "--from", repository, "--guest", unsafe.ref]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`--from reaches the live repository ${repository}`);
  });
});
