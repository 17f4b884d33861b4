// planBackup on a generated estate agrees with the generator's ground truth for every guest and template.
import path from "node:path";
import {
  buildGraph,
  isSelectionError,
  type PlanResult,
  planBackup,
  referenceKey,
  type ScanResult,
  scanRepositories,
  usersOf,
} from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";
import { tempDir } from "./helpers.js";

describe("plan of a generated estate", () => {
  let temp: ReturnType<typeof tempDir>;
  let manifest: EstateManifest;
  let scan: ScanResult;
  let plan: PlanResult;

  beforeAll(async () => {
    temp = tempDir("ovm-deps-plan-estate-");
    manifest = generateEstate(path.join(temp.dir, "estate"), { guests: 40, seed: 9, diskBytes: 1 << 20 });
    scan = await scanRepositories([path.join(manifest.root, manifest.repositoriesDir)], {
      guestBackups: path.join(manifest.root, manifest.guestBackupsDir!),
      xmList: path.join(manifest.root, manifest.xmList!),
    });
    const result = planBackup(scan, { guests: manifest.owners.map((o) => o.ref) });
    if (isSelectionError(result)) throw new Error(JSON.stringify(result.problems));
    plan = result;
  });
  afterAll(() => temp.remove());

  it("lists each owner's files, resources, outside and coverage as the manifest expects", () => {
    expect(plan.guests.map((g) => g.owner)).toEqual(manifest.owners.map((o) => o.ref));
    let checked = 0;
    for (const [i, owner] of manifest.owners.entries()) {
      const got = plan.guests[i]!;
      const key = (f: { repository: string; file: string }): string => `${f.repository}/${f.file}`;
      expect(got.files.map(key).sort(), owner.ref).toEqual(owner.expected.files.map(key).sort());
      // The manifest's ISO entries are checked where they agree with the path their vm.cfg names (or a
      // link inside the repository there): seed 9 has one whose `file` names another ISO (reported).
      const named = (d: (typeof owner.disks)[number]): string | null =>
        d.path?.split("/").slice(4).join("/") ?? null;
      const linked = new Set(manifest.symlinks.map((l) => `${l.repository}/${l.file}`));
      const consistent = owner.disks
        .filter((d) => d.kind === "iso" && d.repository !== null)
        .every((d) => named(d) === d.file || linked.has(`${d.repository}/${named(d)}`));
      if (consistent) {
        checked += 1;
        expect(got.resources.map(key).sort(), owner.ref).toEqual(owner.expected.resources.map(key).sort());
      }
      const outside = (o: { kind: string; ref: string }): string => `${o.kind} ${o.ref}`;
      expect(got.outside.map(outside).sort(), owner.ref).toEqual(owner.expected.outside.map(outside).sort());
      expect(got.coverage, owner.ref).toBe(owner.expected.coverage);
      expect(got.running, owner.ref).toBe(owner.type === "guest" ? owner.running : got.running);
    }
    expect(checked).toBeGreaterThan(manifest.owners.length / 2);
  });

  it("lists every shared disk with the users the manifest knows", () => {
    for (const [i, owner] of manifest.owners.entries()) {
      const shared = new Map(plan.guests[i]!.shared.map((s) => [s.ref, s.users]));
      for (const disk of owner.disks.filter((d) => d.shared && d.kind !== "iso")) {
        const root = path.join(manifest.root, manifest.repositoriesDir);
        const ref =
          disk.linkTarget ?? (disk.repository ? path.join(root, disk.repository, disk.file!) : disk.path!);
        expect(shared.get(ref), `${owner.ref} ${disk.spec}`).toEqual([...disk.users].sort());
      }
    }
  });

  it("names the same users of every disk as the dependency graph does", () => {
    // planBackup indexes users itself instead of building the graph: both must say the same.
    const graph = buildGraph(scan);
    let compared = 0;
    for (const guest of plan.guests) {
      const owner = [...scan.guests, ...scan.templates].find((o) => o.ref === guest.owner)!;
      const shared = new Map(guest.shared.map((s) => [s.ref, s.users]));
      for (const reference of owner.disks) {
        if (reference.kind === "iso" || reference.kind === "empty-cdrom") continue;
        const users = usersOf(graph, referenceKey(reference));
        const listed = [...shared.values()].filter((u) => u.includes(owner.ref) && u.join() === users.join());
        expect(users.length < 2 || listed.length > 0, `${guest.owner} ${reference.spec}`).toBe(true);
        if (users.length >= 2) compared++;
      }
      expect(guest.shared.every((s) => s.users.length >= 2)).toBe(true);
    }
    expect(compared).toBeGreaterThan(0);
  });
});
