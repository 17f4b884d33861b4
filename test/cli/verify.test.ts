// Manifests and verify through the CLI: plan --checksum at backup time, verify after the copy.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PlanResultSchema, VerifyResultSchema } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estateAndBackup, safeGuests } from "../restore/helpers.js";
import { runCli } from "../support/cli.js";
import type { ManifestOwner } from "../support/estate/index.js";

let sides: ReturnType<typeof estateAndBackup>;
let manifestFile: string;
beforeAll(() => {
  sides = estateAndBackup("ovm-deps-verify-");
  const run = runCli(["plan", sides.live, "--checksum", "--format", "json"]);
  manifestFile = path.join(sides.temp.dir, "manifest.json");
  writeFileSync(manifestFile, run.stdout);
});
afterAll(() => sides.temp.remove());

const verify = (...args: string[]) => {
  const run = runCli(["verify", manifestFile, sides.backup, "--format", "json", ...args]);
  return { code: run.code, result: VerifyResultSchema.parse(JSON.parse(run.stdout)), stderr: run.stderr };
};

describe("plan --checksum and verify", () => {
  it("puts the SHA-256 of every copied file in the plan, and a fresh copy verifies ok", () => {
    const manifest = PlanResultSchema.parse(JSON.parse(readFileSync(manifestFile, "utf8")));
    const files = manifest.guests.flatMap((g) => g.files).filter((f) => f.role !== "link");
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { code, result } = verify();
    expect([code, result.ok]).toEqual([0, true]);
    expect(result.guests.every((g) => g.files.every((f) => f.compared === "sha256"))).toBe(true);
  });

  it("names exactly the guest whose disk was corrupted in place (same size) and the one whose vm.cfg is gone", () => {
    const guests = safeGuests(sides.manifest);
    const [corrupted, deleted] = [guests[0]!, guests[1]!] as [ManifestOwner, ManifestOwner];
    const disk = corrupted.disks.find((d) => d.kind === "virtual-disk")!;
    const diskPath = path.join(sides.backup, disk.repository!, disk.file!);
    const bytes = readFileSync(diskPath);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(diskPath, bytes);
    rmSync(path.join(sides.backup, deleted.repository, deleted.config));
    const { code, result } = verify();
    expect(code).toBe(1);
    const bad = result.guests.filter((g) => g.status !== "ok").map((g) => [g.owner, g.status]);
    expect(bad.sort()).toEqual(
      [
        [corrupted.ref, "changed"],
        [deleted.ref, "incomplete"],
      ].sort(),
    );
    // Selected alone, a good guest verifies ok.
    const good = guests[2]!;
    expect(verify("--guest", good.ref).result.guests.map((g) => g.status)).toEqual(["ok"]);
    // Text: one line per guest, the problem under it.
    const text = runCli(["verify", manifestFile, sides.backup, "--guest", corrupted.ref]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`CHANGED    ${corrupted.ref}`);
    expect(text.stdout).toContain(`  changed      ${diskPath}`);
  });

  it("compares by size only without --checksum, and says so", () => {
    const plain = path.join(sides.temp.dir, "plain.json");
    writeFileSync(plain, runCli(["plan", sides.live, "--format", "json"]).stdout);
    const run = runCli(["verify", plain, sides.live, "--format", "json"]);
    const result = VerifyResultSchema.parse(JSON.parse(run.stdout));
    expect(result.guests.every((g) => g.files.every((f) => f.compared === "size"))).toBe(true);
    const text = runCli(["verify", plain, sides.live]);
    expect(text.stdout).toMatch(/compared by size only/);
  });

  it("exits 2 for a file that is not a plan document, and for an unknown --guest", () => {
    const notPlan = path.join(sides.temp.dir, "scan.json");
    writeFileSync(notPlan, runCli(["scan", sides.live, "--format", "json"]).stdout);
    const run = runCli(["verify", notPlan, sides.backup]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not a plan document");
    expect(runCli(["verify", manifestFile, sides.backup, "--guest", "no-such-guest"]).code).toBe(2);
  });
});
