// examples/backup-tool.mjs, the program a backup tool would write, run on a generated estate against the build.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";
import { tempDir } from "./helpers.js";

const example = fileURLToPath(new URL("../../examples/backup-tool.mjs", import.meta.url));

describe("examples/backup-tool.mjs", () => {
  let temp: ReturnType<typeof tempDir>;
  let manifest: EstateManifest;

  beforeAll(() => {
    temp = tempDir("ovm-deps-example-");
    manifest = generateEstate(path.join(temp.dir, "estate"), { guests: 12, seed: 3, example: true });
  });
  afterAll(() => temp.remove());

  it("prints, for every guest, the files to copy and what needs other means", () => {
    const root = path.join(manifest.root, manifest.repositoriesDir);
    const run = spawnSync(
      process.execPath,
      [example, root, "--guest-backups", path.join(manifest.root, manifest.guestBackupsDir!)],
      { encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    const guests = manifest.owners.filter((o) => o.type === "guest");
    for (const guest of guests) {
      expect(run.stdout).toContain(`guest ${guest.ref} `);
      for (const file of guest.expected.files) {
        expect(run.stdout).toContain(`  copy ${path.join(root, file.repository, file.file)}\n`);
      }
      for (const outside of guest.expected.outside) {
        expect(run.stdout).toContain(`  other means: ${outside.kind} ${outside.ref} `);
      }
    }
    expect(run.stdout).toMatch(new RegExp(`^${guests.length} guests, \\d+ not fully covered`, "m"));
  });

  it("exits 2 with a usage line when no ROOT is given", () => {
    const run = spawnSync(process.execPath, [example], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage");
  });
});
