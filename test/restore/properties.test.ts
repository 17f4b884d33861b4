// Property tests over random small estates: the safety rules of restore lists and the completeness of backup sets.
import fc from "fast-check";
import {
  isSelectionError,
  type Owner,
  type PlanResult,
  planBackup,
  planRestore,
  type RestoreResult,
  renderRestoreList,
  type ScanResult,
} from "ovm-deps";
import { describe, expect, it } from "vitest";
import { inRepository, owner, repoFile, repository } from "../support/scan-factory.js";

// Roots that do not exist: no links on the way, every target is created. Links are covered by block-reasons.test.ts.
const BACKUP_ROOT = "/nonexistent/ovm-deps-property/backup";
const LIVE_ROOT = "/nonexistent/ovm-deps-property/live";
const REPOSITORIES = ["R0", "R1"];
const POOL = Array.from({ length: 8 }, (_, i) => ({
  repository: REPOSITORIES[i % 2]!,
  file: `VirtualDisks/d${i}.img`,
}));
const FOLDERS = ["g0", "g1", "g2", "g3"];

/** One owner as the generator draws it. */
interface DrawnOwner {
  folder: string;
  repository: number;
  template: boolean;
  disks: number[];
  uuid: number | null;
  running: boolean | null;
  configLink: boolean;
  /** Disks that are links leaving their repository (Exadata). */
  links: number[];
}

// Refusals for running guests, uuid conflicts and linked vm.cfg files are kept rare, so that most
// draws reach the sharing checks the properties are about.
const drawnOwner = (folder: string): fc.Arbitrary<DrawnOwner> =>
  fc.record({
    folder: fc.constant(folder),
    // Mostly the repository of its folder on both sides; sometimes the other one (a different owner there).
    repository: fc.integer({ min: 0, max: 15 }).map((n) => (FOLDERS.indexOf(folder) + (n === 0 ? 1 : 0)) % 2),
    // The last folder holds a template, on both sides.
    template: fc.constant(folder === FOLDERS.at(-1)),
    // Its own two pool files (some of them), and now and then any other one: a shared disk.
    disks: fc
      .tuple(
        fc.subarray([2 * FOLDERS.indexOf(folder), 2 * FOLDERS.indexOf(folder) + 1]),
        fc.option(fc.integer({ min: 0, max: POOL.length - 1 }), { freq: 3 }),
      )
      .map(([own, extra]) => [...new Set(extra === null ? own : [...own, extra])]),
    // Mostly the folder's own uuid; rarely another folder's (a copied vm.cfg), or none.
    uuid: fc
      .integer({ min: 0, max: 31 })
      .map((n) =>
        n < 30 ? FOLDERS.indexOf(folder) : n === 31 ? null : (FOLDERS.indexOf(folder) + 1) % FOLDERS.length,
      ),
    running: fc.integer({ min: 0, max: 15 }).map((n) => (n === 0 ? true : n < 6 ? null : false)),
    configLink: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
    links: fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { maxLength: 1 }),
  });

/** One side of a restore: its owners (some folders absent) and which pool files exist. */
const drawnSide = fc.record({
  owners: fc.tuple(...FOLDERS.map((f) => fc.option(drawnOwner(f), { nil: null }))),
  /** Pool files that are not there (mostly none, so that most restores are not refused for a missing disk). */
  absent: fc
    .uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { maxLength: 2 })
    .chain((a) => fc.constantFrom(a, [], [])),
});

/** Build a ScanResult from a drawn side. */
function build(root: string, drawn: { owners: Array<DrawnOwner | null>; absent: number[] }): ScanResult {
  const present = new Set([...POOL.keys()].filter((i) => !drawn.absent.includes(i)));
  const repositories = REPOSITORIES.map((id) =>
    repository(
      id,
      POOL.flatMap((p, i) => (p.repository === id && present.has(i) ? [repoFile(p.file)] : [])),
      { root: `${root}/${id}` },
    ),
  );
  const owners: Owner[] = drawn.owners.flatMap((d) => {
    if (d === null) return [];
    const repo = REPOSITORIES[d.repository]!;
    const area = d.template ? "Templates" : "VirtualMachines";
    const disks = d.disks.map((i) =>
      inRepository(POOL[i]!.repository, POOL[i]!.file, {
        present: present.has(i),
        linkTarget: d.links.includes(i) ? `/EXAVMIMAGES/d${i}.img` : null,
      }),
    );
    return [
      owner(repo, d.folder, disks, {
        type: d.template ? "template" : "guest",
        uuid: d.uuid === null ? null : `0004fb00-0006-0000-0000-00000000000${d.uuid}`,
        running: d.running,
        path: `${root}/${repo}/${area}/${d.folder}/vm.cfg`,
        configLinkTarget: d.configLink ? `/etc/xen/${d.folder}.cfg` : null,
        ok: !d.configLink,
      }),
    ];
  });
  return {
    repositories,
    guests: owners.filter((o) => o.type === "guest"),
    templates: owners.filter((o) => o.type === "template"),
    diagnostics: [],
    roots: [root],
  };
}

/** Owner references using a repository file, read straight from the scan (an oracle independent of the graph). */
function usersOf(scan: ScanResult, repositoryId: string, file: string): string[] {
  return [...scan.guests, ...scan.templates]
    .filter((o) => o.disks.some((d) => d.repository === repositoryId && d.file === file))
    .map((o) => o.ref);
}

const estate = fc
  .record({
    backup: drawnSide,
    live: drawnSide,
    pick: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 2 }),
    allowShared: fc.boolean(),
  })
  .map(({ backup, live, pick, allowShared }) => {
    const backupScan = build(BACKUP_ROOT, backup);
    const liveScan = build(LIVE_ROOT, live);
    const selectable = [...backupScan.guests, ...backupScan.templates].map((o) => o.ref).sort();
    const guests = [
      ...new Set(pick.map((i) => selectable[i % Math.max(1, selectable.length)]!).filter(Boolean)),
    ];
    return { backupScan, liveScan, guests, allowShared };
  })
  .filter(({ guests }) => guests.length > 0);

async function restoreOf(e: {
  backupScan: ScanResult;
  liveScan: ScanResult;
  guests: string[];
  allowShared: boolean;
}): Promise<RestoreResult> {
  const result = await planRestore(e.liveScan, e.backupScan, {
    guests: e.guests,
    allowShared: e.allowShared,
  });
  if (isSelectionError(result)) throw new Error(`selection: ${JSON.stringify(result.problems)}`);
  return result;
}

describe("restore safety properties", () => {
  it("a safe restore never copies a file another owner uses, unless sharing is allowed", async () => {
    await fc.assert(
      fc.asyncProperty(estate, async (e) => {
        const result = await restoreOf(e);
        if (!result.safe) return;
        // Both sides use the same repository ids here, so a live counterpart has its backup owner's reference.
        const isRestored = (ref: string): boolean => e.guests.includes(ref);
        for (const action of result.actions) {
          const backupUsers = usersOf(e.backupScan, action.repository, action.file);
          const liveUsers = usersOf(e.liveScan, action.repository, action.file);
          if (!e.allowShared) {
            expect(backupUsers.filter((u) => !isRestored(u))).toEqual([]);
            expect(liveUsers.filter((u) => !isRestored(u))).toEqual([]);
          }
          // Even when sharing is allowed: a live file someone else uses must be the guest's own too.
          const others = liveUsers.filter((u) => !isRestored(u));
          if (others.length > 0) expect(liveUsers).toContain(action.guest);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never plans a path outside the two roots, and its list stays relative to them", async () => {
    await fc.assert(
      fc.asyncProperty(estate, async (e) => {
        const result = await restoreOf(e);
        for (const action of result.actions) {
          expect(action.source.startsWith(`${BACKUP_ROOT}/`)).toBe(true);
          expect(action.target.startsWith(`${LIVE_ROOT}/`)).toBe(true);
        }
        const list = renderRestoreList(result, true);
        if (!list.ok) return;
        for (const entry of list.output.split("\0").filter((p) => p !== "")) {
          expect(entry.startsWith("/") || entry.split("/").includes("..")).toBe(false);
        }
        if (!result.safe) expect(list.output).toBe("");
      }),
      { numRuns: 500 },
    );
  });

  it("restores exactly what plan lists for the guests in the backup", async () => {
    await fc.assert(
      fc.asyncProperty(estate, async (e) => {
        const result = await restoreOf(e);
        const plan = planBackup(e.backupScan, { guests: e.guests }) as PlanResult;
        const planned = new Set(plan.guests.flatMap((g) => g.files.map((f) => f.path)));
        const liveRepositories = new Set(e.liveScan.repositories.map((r) => r.id));
        const restorable = [...planned].filter((p) =>
          liveRepositories.has(p.slice(BACKUP_ROOT.length + 1).split("/")[0]!),
        );
        expect(new Set(result.actions.map((a) => a.source))).toEqual(new Set(restorable));
      }),
      { numRuns: 200 },
    );
  });
});

describe("backup set property", () => {
  it("always holds the vm.cfg and every present virtual disk that does not leave its repository", () => {
    fc.assert(
      fc.property(drawnSide, (drawn) => {
        const scan = build(BACKUP_ROOT, drawn);
        const all = [...scan.guests, ...scan.templates];
        const result = planBackup(scan, { guests: all.map((o) => o.ref) });
        if (all.length === 0) return;
        if (isSelectionError(result)) throw new Error("selection");
        for (const [i, o] of all.entries()) {
          const files = new Set(result.guests[i]!.files.map((f) => `${f.repository}/${f.file}`));
          if (o.configLinkTarget === null) expect(files.has(`${o.repository}/${o.config}`)).toBe(true);
          else expect(files.has(`${o.repository}/${o.config}`)).toBe(false);
          for (const d of o.disks) {
            const key = `${d.repository}/${d.file}`;
            expect(files.has(key)).toBe(
              d.kind === "virtual-disk" && d.present === true && d.linkTarget === null,
            );
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
