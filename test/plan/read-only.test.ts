// `plan` and `restore` only read: every format leaves the live and backup trees byte- and metadata-identical.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";
import { snapshotTree } from "../support/tree-snapshot.js";
import { tempDir } from "./helpers.js";

describe("plan and restore are read-only", () => {
  let temp: ReturnType<typeof tempDir>;
  let manifest: EstateManifest;

  beforeAll(() => {
    temp = tempDir("ovm-deps-read-only-");
    manifest = generateEstate(path.join(temp.dir, "estate"), { guests: 12, seed: 5, diskBytes: 1 << 16 });
    expect(spawnSync("cp", ["-a", path.join(temp.dir, "estate"), path.join(temp.dir, "backup")]).status).toBe(
      0,
    );
  });
  afterAll(() => temp.remove());

  it("changes nothing under any ROOT, whatever the format", () => {
    const estate = path.join(temp.dir, "estate");
    const backup = path.join(temp.dir, "backup");
    const live = path.join(estate, manifest.repositoriesDir);
    const backupRepositories = path.join(backup, manifest.repositoriesDir);
    const common = [
      "--xm-list",
      path.join(estate, manifest.xmList!),
      "--guest-backups",
      path.join(estate, manifest.guestBackupsDir!),
    ];
    const guest = manifest.owners.find((o) => o.type === "guest")!.ref;
    const before = [snapshotTree(estate), snapshotTree(backup)];
    const runs = [
      ...["json", "text", "list"].map((format) => ["plan", live, "--format", format, ...common]),
      ["plan", live, "--resources", "--format", "json", ...common],
      ["plan", live, "--guest", guest, "--format", "list", "-0", "--retain", "3", ...common],
      ...["json", "text", "list"].map((format) => [
        "restore",
        live,
        "--from",
        backupRepositories,
        "--guest",
        guest,
        "--format",
        format,
        ...common,
      ]),
    ];
    for (const args of runs) {
      const run = runCli(args);
      expect([0, 1], `${args.join(" ")}: ${run.stderr}`).toContain(run.code);
    }
    // The parse cache, on by default, is never written under a ROOT: its folder inside the live or the
    // backup tree is not used.
    for (const [args, env] of [
      [["plan", live, "--format", "json", ...common], { XDG_CACHE_HOME: path.join(live, "xdg") }],
      [["plan", live, "--format", "json", "--cache-dir", path.join(live, "c"), ...common], {}],
      // restore scans the live tree, then the backup: neither scan may write into the other's tree.
      ...[backupRepositories, live].map(
        (tree) =>
          [
            ["restore", live, "--from", backupRepositories, "--guest", guest, "--format", "json", ...common],
            { XDG_CACHE_HOME: path.join(tree, "xdg") },
          ] as const,
      ),
    ] as const) {
      const run = runCli([...args, "--min-severity", "info"], { env });
      expect([0, 1], `${args.join(" ")}: ${run.stderr}`).toContain(run.code);
      expect(run.stderr).toContain("info cache-under-root");
    }
    expect([snapshotTree(estate), snapshotTree(backup)]).toEqual(before);
  });
});
