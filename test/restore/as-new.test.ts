// `restore --as-new` on a copy of a generated estate: the script run with real sh, then scanned and checked.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  AsNewRestoreSchema,
  CheckResultSchema,
  type Owner,
  parseVmCfg,
  type ScanResult,
  ScanResultSchema,
} from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { tempDir } from "../plan/helpers.js";
import { runCli } from "../support/cli.js";
import type { EstateManifest, ManifestOwner } from "../support/estate/index.js";
import { type SnapshotEntry, snapshotTree } from "../support/tree-snapshot.js";
import { estateAndBackup, haveTool, safeGuests, sharingGuests } from "./helpers.js";

const tools = haveTool("cp") && haveTool("sha256sum");

/** Bytes allocated on disk for a file. */
const allocated = (file: string): number => statSync(file).blocks * 512;

/** The MACs of a vm.cfg, lowercase. */
const macsOf = (file: string): string[] =>
  parseVmCfg(readFileSync(file)).config.vifs.flatMap((v) => (v.mac === null ? [] : [v.mac.toLowerCase()]));

/**
 * What a run changed in a tree: the paths it created, and the entries that existed before and differ now
 * (a folder's mtime and ctime change when an entry is added to it: only its mode counts).
 */
function changes(before: SnapshotEntry[], after: SnapshotEntry[]): { created: string[]; changed: string[] } {
  const old = new Map(before.map((e) => [e.path, e]));
  const created = after.filter((e) => !old.has(e.path)).map((e) => e.path);
  const changed = before
    .filter((e) => {
      const now = after.find((a) => a.path === e.path);
      if (now === undefined) return true;
      if (e.type === "dir") return now.type !== "dir" || now.mode !== e.mode;
      return JSON.stringify(now) !== JSON.stringify(e);
    })
    .map((e) => e.path);
  return { created, changed };
}

describe.skipIf(!tools)("restore --as-new, the script run with real sh", () => {
  let temp: ReturnType<typeof tempDir>;
  let manifest: EstateManifest;
  let live: string;
  let backup: string;
  let guest: ManifestOwner;

  beforeAll(() => {
    ({ temp, manifest, live, backup } = estateAndBackup("ovm-deps-as-new-"));
    // A guest of its own disks with a uuid, whose vm.cfg gives its interfaces MACs.
    guest = safeGuests(manifest).find(
      (o) => o.uuid !== null && macsOf(path.join(backup, o.repository, o.config)).length > 0,
    )!;
    expect(guest).toBeDefined();
  });
  afterAll(() => temp.remove());

  const asNew = (ref: string, ...flags: string[]) =>
    runCli(["restore", live, "--from", backup, "--guest", ref, "--as-new", ...flags]);
  const scan = (): ScanResult =>
    ScanResultSchema.parse(JSON.parse(runCli(["scan", live, "--format", "json"]).stdout));
  const ownerIn = (result: ScanResult, ref: string): Owner =>
    [...result.guests, ...result.templates].find((o) => o.ref === ref)!;

  /** Plan the script, run it with sh; what it changed, and the new guest the scan then finds. */
  function runScript(ref: string, ...flags: string[]) {
    const before = snapshotTree(live);
    const scanBefore = scan();
    const plan = asNew(ref, "--format", "script", ...flags);
    expect(plan.code, plan.stderr).toBe(0);
    const run = spawnSync("sh", ["-c", plan.stdout], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const after = snapshotTree(live);
    const scanAfter = scan();
    const known = new Set(scanBefore.guests.map((g) => g.ref));
    const added = scanAfter.guests.filter((g) => !known.has(g.ref));
    expect(scanAfter.guests.length).toBe(scanBefore.guests.length + 1);
    expect(added).toHaveLength(1);
    return { script: plan.stdout, changes: changes(before, after), scanBefore, scanAfter, added: added[0]! };
  }

  it("creates one more guest whose disks equal the backup's, changing no existing file", () => {
    const original = ownerIn(
      ScanResultSchema.parse(JSON.parse(runCli(["scan", backup, "--format", "json"]).stdout)),
      guest.ref,
    );
    const { changes: changed, added, scanBefore, script } = runScript(guest.ref);
    expect(changed.changed).toEqual([]);
    // Created: the folder and its vm.cfg, and one file per copied disk — nothing else, no temporary left.
    const disks = original.disks.filter((d) => d.kind === "virtual-disk");
    expect(changed.created).toHaveLength(2 + disks.length);
    expect(changed.created.filter((p) => p.includes("ovm-deps-tmp"))).toEqual([]);
    expect(script).toContain("ovm_create");

    expect(added.simpleName).toBe(`${guest.simpleName ?? guest.name}-restored`);
    expect(added.uuid).not.toBeNull();
    expect(added.uuid!.replaceAll("-", "").toLowerCase()).toBe(added.id);
    expect(added.name).toBe(added.id);
    const newDisks = added.disks.filter((d) => d.kind === "virtual-disk");
    expect(newDisks).toHaveLength(disks.length);
    newDisks.forEach((disk, i) => {
      const old = disks[i]!;
      expect(disk.vdev).toBe(old.vdev);
      expect(disk.access).toBe(old.access);
      expect(disk.present).toBe(true);
      expect(disk.file).not.toBe(old.file);
      const copy = path.join(live, disk.repository!, disk.file!);
      const source = path.join(backup, old.repository!, old.file!);
      expect(readFileSync(copy).equals(readFileSync(source))).toBe(true);
      // Thin stays thin: the copy allocates no more than the backup's file (a block of slack).
      expect(allocated(copy)).toBeLessThanOrEqual(allocated(source) + 64 * 1024);
    });

    // New MACs in Oracle's range, none a vm.cfg of the live tree had.
    const macsBefore = new Set(scanBefore.guests.flatMap((g) => macsOf(g.path)));
    const macs = macsOf(added.path);
    expect(macs.length).toBeGreaterThan(0);
    for (const mac of macs) {
      expect(mac).toMatch(/^00:21:f6(:[0-9a-f]{2}){3}$/);
      expect(macsBefore.has(mac)).toBe(false);
    }

    // A uuid no live vm.cfg had, and check finds no duplicate uuid involving the new guest.
    const key = (uuid: string | null) => uuid?.replaceAll("-", "").toLowerCase();
    expect(scanBefore.guests.map((g) => key(g.uuid))).not.toContain(key(added.uuid));
    const check = CheckResultSchema.parse(JSON.parse(runCli(["check", live, "--format", "json"]).stdout));
    const duplicates = check.findings.filter((f) => f.ruleId === "duplicate-uuid");
    expect(duplicates.filter((f) => f.file?.includes(added.id) || f.message.includes(added.id))).toEqual([]);
  });

  it("keeps the MACs with --keep-macs, and warns that the two guests must never run at once", () => {
    const json = AsNewRestoreSchema.parse(
      JSON.parse(asNew(guest.ref, "--format", "json", "--keep-macs").stdout),
    );
    expect(json.macs).toEqual([]);
    expect(json.warnings.map((w) => w.code)).toContain("macs-kept");
    const { added } = runScript(guest.ref, "--keep-macs", "--suffix", "-kept");
    expect(added.simpleName).toBe(`${guest.simpleName ?? guest.name}-kept`);
    expect(macsOf(added.path)).toEqual(macsOf(path.join(backup, guest.repository, guest.config)));
  });

  it("creates the guest and its disks in the repository --into names, with disk paths naming it", () => {
    const scanned = scan();
    const other = scanned.repositories.find((r) => r.id !== guest.repository && r.role !== "resources")!;
    expect(other).toBeDefined();
    const { added } = runScript(guest.ref, "--into", other.folder);
    expect(added.repository).toBe(other.id);
    const disks = added.disks.filter((d) => d.kind === "virtual-disk");
    expect(disks.length).toBeGreaterThan(0);
    for (const disk of disks) {
      expect(disk.repository).toBe(other.id);
      expect(disk.present).toBe(true);
      expect(disk.path).toContain(`/${other.folder}/VirtualDisks/`);
    }
  });

  it("refuses a shared disk without --allow-shared, and keeps it listed with what to do with it", () => {
    const sharing = sharingGuests(manifest).filter((o) => o.type === "guest");
    expect(sharing.length).toBeGreaterThan(0);
    for (const owner of sharing) {
      const refused = asNew(owner.ref, "--format", "script");
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr.startsWith("NOT SAFE:")).toBe(true);
      expect(refused.stderr).toContain(": shared: ");
    }
    // With --allow-shared the shared disk is kept, not copied: the new vm.cfg names the same file.
    const allowed = sharing
      .map((o) => ({ owner: o, run: asNew(o.ref, "--format", "json", "--allow-shared") }))
      .find((r) => r.run.code === 0);
    expect(allowed).toBeDefined();
    const json = AsNewRestoreSchema.parse(JSON.parse(allowed!.run.stdout));
    const kept = json.kept.filter((k) => k.kind === "shared-disk");
    expect(kept.length).toBeGreaterThan(0);
    for (const k of kept) {
      expect(k.todo).toMatch(/detach/);
      expect(json.config.text).toContain(k.ref);
      expect(json.files.map((f) => f.spec?.old)).not.toContain(k.ref);
    }
    const text = asNew(allowed!.owner.ref, "--allow-shared");
    expect(text.stdout).toContain("kept, not copied:");
  });

  it("is a usage error for a repository --into does not name, several guests, list, and its flags alone", () => {
    const into = asNew(guest.ref, "--into", "no-such-repository");
    expect(into.code).toBe(2);
    expect(into.stderr).toContain("candidates:");
    expect(asNew(guest.ref, "--format", "list").code).toBe(2);
    expect(asNew(guest.ref, "--guest", guest.ref).code).toBe(2);
    const alone = runCli(["restore", live, "--from", backup, "--guest", guest.ref, "--keep-macs"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--as-new");
  });
});
