// End to end with real rsync and tar: damage a copy of a generated estate, restore one guest through the list.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type PlanResult, PlanResultSchema, RestoreResultSchema } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shellQuote } from "../../src/report/restore-script.js";
import type { tempDir } from "../plan/helpers.js";
import { binPath, runCli } from "../support/cli.js";
import type { EstateManifest, ManifestOwner } from "../support/estate/index.js";
import { type SnapshotEntry, snapshotTree } from "../support/tree-snapshot.js";
import { estateAndBackup, haveTool, safeGuests, sharingGuests } from "./helpers.js";

const tools = haveTool("rsync") && haveTool("tar");

/** Run a shell pipeline; `set -o pipefail` so a failing first command fails it. */
function pipeline(command: string, cwd: string): { code: number; stderr: string } {
  const result = spawnSync("bash", ["-c", `set -o pipefail; ${command}`], { cwd, encoding: "utf8" });
  return { code: result.status ?? -1, stderr: result.stderr };
}

/** Entries by path, directories reduced to what a restore may not change (they get rsync's times). */
function byPath(entries: SnapshotEntry[]): Map<string, unknown> {
  return new Map(
    entries.map((e) => [e.path, e.type === "dir" ? { type: e.type, mode: e.mode } : e] as const),
  );
}

describe.skipIf(!tools)("restore through rsync, backup through tar", () => {
  let temp: ReturnType<typeof tempDir>;
  let manifest: EstateManifest;
  let live: string;
  let backup: string;
  let guest: ManifestOwner;

  beforeAll(() => {
    ({ temp, manifest, live, backup } = estateAndBackup("ovm-deps-e2e-"));
    const candidates = safeGuests(manifest);
    expect(candidates.length).toBeGreaterThan(0);
    guest = candidates[0]!;
  });
  afterAll(() => temp.remove());

  it("puts back exactly the guest's vm.cfg and disks, and nothing else changes", () => {
    const own = guest.expected.files.map((f) => path.join(manifest.repositoriesDir, f.repository, f.file));
    const config = path.join(live, guest.repository, guest.config);
    const disk = guest.expected.files.find((f) => f.role === "disk")!;
    // Damage the live copy: a corrupt vm.cfg, a deleted disk.
    writeFileSync(config, "this is not a vm.cfg\n");
    rmSync(path.join(live, disk.repository, disk.file));
    const before = byPath(snapshotTree(live));

    const json = runCli(["restore", live, "--from", backup, "--guest", guest.ref, "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const plan = RestoreResultSchema.parse(JSON.parse(json.stdout));
    expect(plan.safe).toBe(true);
    expect(plan.actions.map((a) => a.target).sort()).toEqual(
      own.map((f) => path.join(temp.dir, "estate", f)).sort(),
    );

    const run = pipeline(
      `${shellQuote(process.execPath)} ${shellQuote(binPath)} restore ${shellQuote(live)} --from ${shellQuote(backup)} --guest ${shellQuote(guest.ref)} --format list -0 | rsync -a --from0 --files-from=- ${shellQuote(`${backup}/`)} ${shellQuote(`${live}/`)}`,
      temp.dir,
    );
    expect(run.code, run.stderr).toBe(0);

    const after = byPath(snapshotTree(live));
    const backupTree = byPath(snapshotTree(backup));
    const restored = new Set(guest.expected.files.map((f) => `${f.repository}/${f.file}`));
    expect([...after.keys()].sort()).toEqual([...new Set([...before.keys(), ...restored])].sort());
    for (const [file, entry] of after) {
      if (restored.has(file)) {
        expect((entry as SnapshotEntry).sha1, file).toBe((backupTree.get(file) as SnapshotEntry).sha1);
      } else {
        expect(entry, file).toEqual(before.get(file));
      }
    }
  });

  it("prints nothing and exits 1 for a guest whose disk another owner uses", () => {
    const sharing = sharingGuests(manifest)[0];
    expect(sharing).toBeDefined();
    const run = runCli([
      "restore",
      live,
      "--from",
      backup,
      "--guest",
      sharing!.ref,
      "--format",
      "list",
      "-0",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
  });

  it("feeds tar exactly the files of the backup set", () => {
    const json = runCli(["plan", backup, "--guest", guest.ref, "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const plan: PlanResult = PlanResultSchema.parse(JSON.parse(json.stdout));
    const archive = path.join(temp.dir, "guest.tar");
    const run = pipeline(
      `${shellQuote(process.execPath)} ${shellQuote(binPath)} plan ${shellQuote(backup)} --guest ${shellQuote(guest.ref)} --format list -0 | tar --null -T - -cf ${shellQuote(archive)}`,
      temp.dir,
    );
    expect(run.code, run.stderr).toBe(0);
    const listed = spawnSync("tar", ["-tf", archive], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean);
    // tar stores absolute paths without their leading "/".
    const expected = plan.guests[0]!.files.map((f) => f.path.slice(1));
    expect(listed.sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(guest.expected.files.length);
    expect(readFileSync(archive).byteLength).toBeGreaterThan(0);
  });
});
