// One model, one verdict: over generated trees of links and special files, what `scan` reads a guest's disk
// as, what `check` finds about it and what `restore` does with it always agree.
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import {
  checkEstate,
  isSelectionError,
  planBackup,
  planRestore,
  type Reference,
  scanRepositories,
} from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../plan/helpers.js";

/** What stands at `VirtualDisks/d.img`, the guest's disk, in the backup tree. */
const TARGETS = [
  "file",
  "relative-link", // d.img -> real.img
  "link-by-live-path", // d.img -> /OVS/Repositories/R/VirtualDisks/real.img
  "link-by-scanned-path", // d.img -> <scanned root>/VirtualDisks/real.img
  "link-chain", // d.img -> mid.img -> real.img
  "link-up-and-back", // d.img -> ../VirtualDisks/real.img
  "link-to-other-repository", // d.img -> /OVS/Repositories/S/VirtualDisks/x.img (a scanned one)
  "link-outside", // d.img -> <temp>/outside/x.img
  "dangling-link", // d.img -> gone.img
  "loop", // d.img -> e.img -> d.img
  "self-loop", // d.img -> d.img
  "fifo",
  "socket",
  "folder",
  "character-device",
  "block-device",
] as const;
type Target = (typeof TARGETS)[number];

/** How the vm.cfg names the disk, and what the folder above it is. */
const SPELLINGS = ["live-path", "dot-dot", "scanned-path"] as const;
const FOLDERS = ["folder", "link-to-folder-inside"] as const;

/** Targets where the disk's own name is a link inside the repository (the other side has a plain file). */
const FILE_LINKS: ReadonlySet<Target> = new Set([
  "relative-link",
  "link-by-live-path",
  "link-by-scanned-path",
  "link-chain",
  "link-up-and-back",
]);

/** The walker's verdicts that mean "readable, in its repository"; the rest are not. */
const INSIDE: ReadonlySet<Reference["state"]> = new Set(["file"]);

/** Device nodes need root (CAP_MKNOD); without it those cases are left out, and say so. */
const canMknod = (() => {
  const probe = tempDir("ovm-deps-mknod-");
  const ok = spawnSync("mknod", [path.join(probe.dir, "null"), "c", "1", "3"]).status === 0;
  probe.remove();
  if (!ok) console.warn("skipping device-node cases: mknod needs root");
  return ok;
})();

let temp: ReturnType<typeof tempDir>;
let run = 0;
beforeAll(() => {
  temp = tempDir("ovm-deps-agreement-");
});
afterAll(() => temp.remove());

const UUID = "0004fb00-0006-0000-0000-000000000001";

/** A repository `R` under `root` with guest g1 using `spec`'s disk, and a repository `S` beside it. */
function writeEstate(root: string, spec: string): string {
  const r = path.join(root, "R");
  mkdirSync(path.join(r, "VirtualMachines/g1"), { recursive: true });
  writeFileSync(path.join(r, ".ovsrepo"), "OVS_REPO_UUID=R\n");
  writeFileSync(
    path.join(r, "VirtualMachines/g1/vm.cfg"),
    `name = 'g1'\nuuid = '${UUID}'\ndisk = ['${spec}']\n`,
  );
  mkdirSync(path.join(root, "S/VirtualDisks"), { recursive: true });
  writeFileSync(path.join(root, "S/.ovsrepo"), "OVS_REPO_UUID=S\n");
  writeFileSync(path.join(root, "S/VirtualDisks/x.img"), "other repository");
  return r;
}

/** Make what stands at `disks/d.img` (disks: the real folder of VirtualDisks). */
function makeTarget(target: Target, disks: string, r: string, outside: string): void {
  const d = path.join(disks, "d.img");
  const real = () => writeFileSync(path.join(disks, "real.img"), "disk data");
  switch (target) {
    case "file":
      writeFileSync(d, "disk data");
      return;
    case "relative-link":
      real();
      symlinkSync("real.img", d);
      return;
    case "link-by-live-path":
      real();
      symlinkSync("/OVS/Repositories/R/VirtualDisks/real.img", d);
      return;
    case "link-by-scanned-path":
      real();
      symlinkSync(path.join(r, "VirtualDisks/real.img"), d);
      return;
    case "link-chain":
      real();
      symlinkSync("real.img", path.join(disks, "mid.img"));
      symlinkSync("mid.img", d);
      return;
    case "link-up-and-back":
      real();
      symlinkSync("../VirtualDisks/real.img", d);
      return;
    case "link-to-other-repository":
      symlinkSync("/OVS/Repositories/S/VirtualDisks/x.img", d);
      return;
    case "link-outside":
      writeFileSync(path.join(outside, "x.img"), "outside");
      symlinkSync(path.join(outside, "x.img"), d);
      return;
    case "dangling-link":
      symlinkSync("gone.img", d);
      return;
    case "loop":
      symlinkSync("d.img", path.join(disks, "e.img"));
      symlinkSync("e.img", d);
      return;
    case "self-loop":
      symlinkSync("d.img", d);
      return;
    case "fifo":
      expect(spawnSync("mkfifo", [d]).status).toBe(0);
      return;
    case "socket": {
      const made = spawnSync("python3", [
        "-c",
        "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
        d,
      ]);
      expect(made.status).toBe(0);
      return;
    }
    case "folder":
      mkdirSync(d);
      return;
    case "character-device":
      expect(spawnSync("mknod", [d, "c", "1", "3"]).status).toBe(0);
      return;
    case "block-device":
      expect(spawnSync("mknod", [d, "b", "7", "200"]).status).toBe(0);
      return;
  }
}

/** Which tree holds the generated disk: the backup (what is copied) or the live tree (where it is written). */
const SIDES = ["backup", "live"] as const;
type Case = {
  target: Target;
  spelling: (typeof SPELLINGS)[number];
  folder: (typeof FOLDERS)[number];
  side: (typeof SIDES)[number];
};

/** One tree under `root`: guest g1 of repository R with its disk as `kind` says, or a plain file. */
function tree(
  root: string,
  outside: string,
  kind: Target,
  { spelling, folder }: Omit<Case, "target" | "side">,
) {
  const r = path.join(root, "R");
  const disk =
    spelling === "live-path"
      ? "/OVS/Repositories/R/VirtualDisks/d.img"
      : spelling === "dot-dot"
        ? "/OVS/Repositories/R/VirtualDisks/../VirtualDisks/d.img"
        : path.join(r, "VirtualDisks/d.img");
  writeEstate(root, `file:${disk},xvda,w`);
  let disks = path.join(r, "VirtualDisks");
  if (folder === "link-to-folder-inside") {
    disks = path.join(r, "Disks");
    mkdirSync(disks);
    symlinkSync("Disks", path.join(r, "VirtualDisks"));
  } else mkdirSync(disks);
  makeTarget(kind, disks, r, outside);
}

/** Build one case: the generated disk on one side, a plain one on the other. */
function build({ target, side, ...how }: Case) {
  const base = path.join(temp.dir, `case-${run++}`);
  const roots = { backup: path.join(base, "backup"), live: path.join(base, "live") };
  const outside = path.join(base, "outside");
  mkdirSync(outside, { recursive: true });
  tree(roots.backup, outside, side === "backup" ? target : "file", how);
  tree(roots.live, outside, side === "live" ? target : "file", how);
  return roots;
}

const targets = TARGETS.filter((t) => canMknod || !t.endsWith("-device"));
const cases: fc.Arbitrary<Case> = fc.record({
  target: fc.constantFrom(...targets),
  spelling: fc.constantFrom(...SPELLINGS),
  folder: fc.constantFrom(...FOLDERS),
  side: fc.constantFrom(...SIDES),
});
/** Every combination runs once as an example, whatever the random runs draw. */
const everyCase = targets.flatMap((target) =>
  SPELLINGS.flatMap((spelling) =>
    FOLDERS.flatMap((folder) => SIDES.map((side) => [{ target, spelling, folder, side }] as [Case])),
  ),
);

describe("scan, check and restore agree on every kind of link and special file", () => {
  it("inside: no finding and the real file is copied; leaving: flagged and outside; broken or special: flagged and refused", async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (one) => {
        const roots = build(one);
        const backup = await scanRepositories([roots.backup]);
        const live = await scanRepositories([roots.live]);
        // What scan and check say about the side that holds the generated disk.
        const scanned = one.side === "backup" ? backup : live;
        const disk = scanned.guests.find((g) => g.id === "g1")!.disks[0]!;
        const findings = checkEstate(scanned).findings.filter((f) => f.repository === "R");
        const restore = await planRestore(live, backup, { guests: ["g1"] });
        if (isSelectionError(restore)) throw new Error("g1 not selected");
        const guest = backup.guests.find((g) => g.id === "g1")!;
        const copied = restore.actions.filter((a) => a.file !== guest.config && a.linkTo === undefined);
        // Links inside the repository on the way are carried as links: the same on both sides, left alone.
        const links = restore.actions.filter((a) => a.linkTo !== undefined);
        const { target } = one;

        if (INSIDE.has(disk.state) && FILE_LINKS.has(target)) {
          // Readable in its repository, check is clean about it; but the disk is a link on one side and a
          // regular file on the other: a copy would not put back what the guest opens. Refused, and only so.
          expect(findings).toEqual([]);
          expect(restore.blocked.map((b) => b.reason)).toEqual(
            restore.blocked.map(() => "type-changed" as const),
          );
          expect(restore.blocked.length).toBeGreaterThan(0);
          expect(disk.present).toBe(true);
        } else if (INSIDE.has(disk.state)) {
          // Readable in its repository: check is clean about it, restore copies the real file behind the links.
          expect(findings).toEqual([]);
          expect(restore.blocked).toEqual([]);
          const source = guest.disks[0]!.file!;
          expect(copied.map((a) => a.source)).toEqual([path.join(roots.backup, "R", source)]);
          expect(links.map((a) => a.action)).toEqual(links.map(() => "unchanged"));
          expect(disk.present).toBe(true);
        } else if (disk.state === "leaves") {
          // A link out of its repository: check flags the link. Restore never copies through it: from the backup
          // it lists where it leads; into the live tree it refuses (writing there would leave the repository).
          expect(findings.map((f) => f.ruleId)).toContain("unsafe-symlink");
          if (one.side === "backup") {
            expect(copied).toEqual([]);
            expect(restore.outside.map((o) => o.ref)).toContain(disk.linkTarget);
          } else {
            expect(restore.blocked.map((b) => b.reason)).toContain("outside-repository");
          }
        } else {
          // Broken or not a regular file: check flags the guest's disk, restore refuses, nothing is read.
          expect(["dangling", "loop", "missing", "not-a-file", "unreadable"]).toContain(disk.state);
          const rules = findings.map((f) => f.ruleId);
          expect(rules.some((id) => id === "missing-disk" || id === "invalid-disk-target")).toBe(true);
          expect(restore.safe).toBe(false);
          if (one.side === "backup") expect(copied).toEqual([]);
          // plan never lists it as a file to copy: a block device is a LUN (outside), the rest a warning.
          const plan = planBackup(scanned, { guests: ["g1"] });
          if (isSelectionError(plan)) throw new Error("g1 not selected");
          const [set] = plan.guests;
          expect(set!.coverage).toBe("partial");
          expect(set!.files.map((f) => f.role)).toEqual(["config"]);
          if (target === "block-device") {
            expect(set!.outside.map((o) => o.kind)).toEqual(["physical-disk"]);
            expect(set!.warnings.map((w) => w.code)).not.toContain("disk-not-a-file");
          }
        }
        // The state is what the case says it is, so that the property is about the right thing.
        const expected: Record<Target, Reference["state"]> = {
          file: "file",
          "relative-link": "file",
          "link-by-live-path": "file",
          "link-by-scanned-path": "file",
          "link-chain": "file",
          "link-up-and-back": "file",
          "link-to-other-repository": "leaves",
          "link-outside": "leaves",
          "dangling-link": "dangling",
          loop: "loop",
          "self-loop": "loop",
          fifo: "not-a-file",
          socket: "not-a-file",
          folder: "not-a-file",
          "character-device": "not-a-file",
          "block-device": "not-a-file",
        };
        expect(disk.state).toBe(expected[target]);
      }),
      // fast-check counts the examples among the runs: every combination, then 40 drawn at random.
      { numRuns: everyCase.length + 40, examples: everyCase },
    );
  });
});
