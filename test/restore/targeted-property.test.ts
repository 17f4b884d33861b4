// A targeted restore is conservative: over generated estates — links, hard links, copied vm.cfg files,
// adjacent string literals, escapes in paths, duplicate uuids, shared disks, templates, broken and empty
// vm.cfg files — its JSON equals the full-scan restore's for every guest and template, and every option.
import { linkSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import {
  type DeferredScan,
  planRestore,
  planTargetedRestore,
  type RestoreOptions,
  type ScanOptions,
  type ScanResult,
  scanDeferred,
  scanRepositories,
} from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../plan/helpers.js";
import { runCli } from "../support/cli.js";
import { estateAndBackup } from "./helpers.js";

let temp: ReturnType<typeof tempDir>;
let run = 0;
beforeAll(() => {
  temp = tempDir("ovm-deps-targeted-");
});
afterAll(() => temp.remove());

/** Disk files a generated estate holds in each repository's VirtualDisks (one in a folder the listing does not enter). */
const DISKS = ["a.img", "b.img", "c.img", "d e.img", ".snap/z.img"] as const;
const REPOSITORIES = ["R", "S"] as const;

/** How a vm.cfg spells a disk path: plainly, or in a way a byte search for its name misses. */
const SPELLINGS = [
  "plain",
  "adjacent", // 'file:/OVS/Repositories/R/VirtualDisks/a' '.img,xvda,w'
  "adjacent-lines", // the two halves on two lines, inside the brackets
  "hex-slash", // \x2f for the last slash
  "octal", // \056 for the dot of .img
  "backslash", // a doubled backslash in a comment string beside it
  "unicode", // u'...\u0061.img'
  "dot-dot", // /OVS/Repositories/R/VirtualDisks/../VirtualDisks/a.img
  "plus", // 'file:/OVS/Repositories/R/VirtualDisks/' + 'a.img' (never evaluated: the vm.cfg is not read fully)
  "percent", // '%s' % 'a.img'
] as const;

interface DiskUse {
  repository: (typeof REPOSITORIES)[number];
  disk: (typeof DISKS)[number] | "l.img" | "h.img";
  spelling: (typeof SPELLINGS)[number];
  format: "raw" | "qcow2";
}

interface GuestSpec {
  folder: string;
  repository: (typeof REPOSITORIES)[number];
  area: "VirtualMachines" | "Templates";
  /** Index into a small pool of names and uuids: equal indexes make duplicates. */
  name: number;
  uuid: number;
  disks: DiskUse[];
  /** What else is odd about its vm.cfg. */
  shape: "normal" | "broken" | "empty" | "name-twice" | "no-identity";
}

interface SideSpec {
  guests: GuestSpec[];
  /** `l.img` a link to `a.img`, `h.img` a hard link to `b.img`, in R. */
  link: boolean;
  hardLink: boolean;
}

const diskUse = fc.record({
  repository: fc.constantFrom(...REPOSITORIES),
  disk: fc.constantFrom(...DISKS, "l.img", "h.img"),
  spelling: fc.constantFrom(...SPELLINGS),
  format: fc.constantFrom("raw", "qcow2"),
}) as fc.Arbitrary<DiskUse>;

const guestSpec = (folder: string): fc.Arbitrary<GuestSpec> =>
  fc.record({
    folder: fc.constant(folder),
    repository: fc.constantFrom(...REPOSITORIES),
    area: fc.constantFrom("VirtualMachines", "VirtualMachines", "Templates"),
    name: fc.nat(4),
    uuid: fc.nat(4),
    disks: fc.array(diskUse, { maxLength: 3 }),
    shape: fc.constantFrom("normal", "normal", "normal", "broken", "empty", "name-twice", "no-identity"),
  }) as fc.Arbitrary<GuestSpec>;

const sideSpec: fc.Arbitrary<SideSpec> = fc.record({
  guests: fc
    .tuple(...["g0", "g1", "g2", "g3", "g4"].map(guestSpec))
    .chain((all) => fc.subarray(all, { minLength: 1 })),
  link: fc.boolean(),
  hardLink: fc.boolean(),
});

/** A disk entry's string literal(s), as `spelling` writes it. */
function diskEntry(use: DiskUse): string {
  const prefix = use.format === "qcow2" ? "tap:qcow2:" : "file:";
  const folder = `/OVS/Repositories/${use.repository}/VirtualDisks`;
  const stem = use.disk.slice(0, -4);
  switch (use.spelling) {
    case "plain":
      return `'${prefix}${folder}/${use.disk},xvda,w'`;
    case "adjacent":
      return `'${prefix}${folder}/${stem}' '.img,xvda,w'`;
    case "adjacent-lines":
      return `'${prefix}${folder}/${stem}'\n  '.img,xvda,w'`;
    case "hex-slash":
      return `'${prefix}${folder}\\x2f${use.disk},xvda,w'`;
    case "octal":
      return `'${prefix}${folder}/${stem}\\056img,xvda,w'`;
    case "backslash":
      return `'${prefix}${folder}/${use.disk},xvda,w', '\\\\'`;
    case "unicode":
      return `u'${prefix}${folder}/${stem}\\u002eimg,xvda,w'`;
    case "dot-dot":
      return `'${prefix}${folder}/../VirtualDisks/${use.disk},xvda,w'`;
    case "plus":
      return `'${prefix}${folder}/' + '${use.disk},xvda,w'`;
    case "percent":
      return `'${prefix}${folder}/%s,xvda,w' % '${use.disk}'`;
  }
}

const NAMES = ["web01", "db01", "web01x", "app", "db01"];
const UUIDS = [
  "0004fb00-0006-0000-0000-00000000000a",
  "0004fb00-0006-0000-0000-00000000000b",
  "0004FB0000060000000000000000000A",
  "0004fb00-0006-0000-0000-00000000000c",
  "0004fb00-0006-0000-0000-00000000000b",
];

/** The text of one generated vm.cfg. */
function vmCfg(guest: GuestSpec): string {
  const disks = `disk = [${guest.disks.map(diskEntry).join(", ")}]\n`;
  const name = `name = '${NAMES[guest.name]}'\n`;
  const uuid = `uuid = '${UUIDS[guest.uuid]}'\n`;
  switch (guest.shape) {
    case "normal":
      return `${name}${uuid}${disks}memory = 512\n`;
    case "broken":
      return `${name}${uuid}${disks}vif = ['bridge=xenbr0'\n`;
    case "empty":
      return "# emptied\n";
    case "name-twice":
      return `${name}${uuid}${disks}name = None\n`;
    case "no-identity":
      return `memory = 512\n${guest.disks.length > 0 ? disks : ""}`;
  }
}

/** Write one side: repositories R and S, their disks, the links asked for, and the guests. */
function writeSide(root: string, side: SideSpec): void {
  for (const id of REPOSITORIES) {
    const repository = path.join(root, id);
    // `.snap` is a dot folder: the listing sees it and does not enter it.
    mkdirSync(path.join(repository, "VirtualDisks/.snap"), { recursive: true });
    writeFileSync(path.join(repository, ".ovsrepo"), `OVS_REPO_UUID=${id}\n`);
    for (const disk of DISKS) writeFileSync(path.join(repository, "VirtualDisks", disk), `${id}/${disk}`);
  }
  if (side.link) symlinkSync("a.img", path.join(root, "R/VirtualDisks/l.img"));
  if (side.hardLink)
    linkSync(path.join(root, "R/VirtualDisks/b.img"), path.join(root, "R/VirtualDisks/h.img"));
  for (const guest of side.guests) {
    const folder = path.join(root, guest.repository, guest.area, guest.folder);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "vm.cfg"), vmCfg(guest));
  }
}

/** Every selector worth trying: each owner's reference, and each name and uuid of the pool. */
function selectorsOf(scan: ScanResult): string[] {
  return [
    ...[...scan.guests, ...scan.templates].map((o) => o.ref),
    ...new Set(NAMES),
    UUIDS[0]!,
    UUIDS[1]!,
    "g2",
  ];
}

const OPTIONS: ReadonlyArray<Omit<RestoreOptions, "guests">> = [
  {},
  { allowUnknownRunning: true },
  { allowShared: true },
  { allowUnknownUsers: true, allowShared: true },
];

/** The targeted restore's JSON and the full one's, for `guests` under `options`. */
async function both(
  roots: { live: string; backup: string },
  full: { live: ScanResult; backup: ScanResult },
  options: RestoreOptions,
  scanOptions: ScanOptions = { threads: 0 },
): Promise<{ targeted: string; full: string; parsed: number; found: number }> {
  // Deferred scans parse once per ref: a fresh pair per restore, as the CLI makes.
  const live: DeferredScan = await scanDeferred([roots.live], scanOptions);
  const backup: DeferredScan = await scanDeferred([roots.backup], scanOptions);
  const targeted = await planTargetedRestore(live, backup, options);
  return {
    targeted: JSON.stringify(targeted.result),
    full: JSON.stringify(await planRestore(full.live, full.backup, options)),
    parsed: targeted.parsed.live + targeted.parsed.backup,
    found: targeted.found.live + targeted.found.backup,
  };
}

describe("targeted restore", () => {
  it("gives the full-scan restore's JSON for every guest, over generated estates", async () => {
    await fc.assert(
      fc.asyncProperty(
        sideSpec,
        fc.boolean(),
        fc.nat(OPTIONS.length - 1),
        fc.boolean(),
        async (backupSpec, same, option, xmList) => {
          const dir = path.join(temp.dir, `e${run++}`);
          const roots = { live: path.join(dir, "live"), backup: path.join(dir, "backup") };
          writeSide(roots.backup, backupSpec);
          // The live tree: the same estate, or one where the guests' disks moved on.
          writeSide(roots.live, same ? backupSpec : { ...backupSpec, guests: backupSpec.guests.slice(1) });
          // Half the time an `xm list` where web01 and app run: who runs is known for those only.
          const scanOptions: ScanOptions = { threads: 0 };
          if (xmList) {
            scanOptions.xmList = path.join(dir, "xm-list.txt");
            writeFileSync(
              scanOptions.xmList,
              "Name ID Mem VCPUs State Time(s)\nDomain-0 0 2048 2 r----- 10.0\nweb01 1 4096 2 -b---- 5.0\napp 2 512 1 -b---- 1.0\n",
            );
          }
          const full = {
            live: await scanRepositories([roots.live], scanOptions),
            backup: await scanRepositories([roots.backup], scanOptions),
          };
          for (const selector of selectorsOf(full.backup)) {
            const options = { ...OPTIONS[option], guests: [selector] };
            const { targeted, full: expected } = await both(roots, full, options, scanOptions);
            expect(targeted, `${selector} ${JSON.stringify(options)}`).toBe(expected);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it("parses few vm.cfg files of a generated estate, and agrees with the full restore for each guest", async () => {
    const estate = estateAndBackup("ovm-deps-targeted-estate-");
    try {
      const roots = { live: estate.live, backup: estate.backup };
      const full = {
        live: await scanRepositories([roots.live], { threads: 0 }),
        backup: await scanRepositories([roots.backup], { threads: 0 }),
      };
      let parsed = 0;
      let found = 0;
      for (const owner of [...full.backup.guests, ...full.backup.templates]) {
        const result = await both(roots, full, { guests: [owner.ref] });
        expect(result.targeted, owner.ref).toBe(result.full);
        parsed += result.parsed;
        found += result.found;
      }
      // The point of it: most vm.cfg files are never parsed.
      expect(parsed).toBeLessThan(found / 4);
    } finally {
      estate.temp.remove();
    }
  }, 120_000);

  it("restore and restore --full-scan print the same JSON and exit the same (the built CLI)", () => {
    const estate = estateAndBackup("ovm-deps-targeted-cli-");
    try {
      const owners = estate.manifest.owners.filter((o) => o.type === "guest").slice(0, 4);
      // One guest at a time, all of them at once, and an unknown selector (a usage error either way).
      for (const guests of [...owners.map((o) => [o.ref]), owners.map((o) => o.ref), ["no-such-guest"]]) {
        const args = [
          "restore",
          estate.live,
          "--from",
          estate.backup,
          ...guests.flatMap((g) => ["--guest", g]),
          "--format",
          "json",
        ];
        const targeted = runCli(args);
        const full = runCli([...args, "--full-scan"]);
        expect(targeted.code, guests.join(" ")).toBe(full.code);
        expect(targeted.stdout, guests.join(" ")).toBe(full.stdout);
        if (guests[0] !== "no-such-guest") expect(targeted.stdout).toContain('"actions"');
        else expect(targeted.stderr).toBe(full.stderr);
      }
    } finally {
      estate.temp.remove();
    }
  }, 120_000);
});
