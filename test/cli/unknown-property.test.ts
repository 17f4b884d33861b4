// Property: over a generated estate with randomly unreadable folders, no command reports complete, clean or
// safe about what it could not read. Real permissions, real CLI, run as `nobody` (root ignores modes).
import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { CheckResultSchema, PlanResultSchema, RestoreResultSchema } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estateAndBackup, safeGuests } from "../restore/helpers.js";
import { canRunAsUser, runAsUser } from "../support/cli.js";
import type { EstateManifest, ManifestOwner } from "../support/estate/index.js";

let sides: ReturnType<typeof estateAndBackup>;
let manifest: EstateManifest;
let guest: ManifestOwner;
/** Folders of the live repositories that can be made unreadable, relative to the live ROOT. */
let folders: string[];

beforeAll(() => {
  sides = estateAndBackup("ovm-deps-unknown-");
  manifest = sides.manifest;
  spawnSync("chmod", ["-R", "a+rX", sides.temp.dir]);
  chmodSync(sides.temp.dir, 0o755);
  guest = safeGuests(manifest)[0]!;
  // The guest's disk is damaged in the live tree: a restore has something to overwrite.
  const disk = guest.disks.find((d) => d.kind === "virtual-disk")!;
  writeFileSync(path.join(sides.live, disk.repository!, disk.file!), "damaged\n");
  folders = manifest.repositories.flatMap((r) => [
    `${r.id}/VirtualMachines`,
    `${r.id}/VirtualDisks`,
    ...manifest.owners.filter((o) => o.repository === r.id).map((o) => `${r.id}/${path.dirname(o.config)}`),
  ]);
});
afterAll(() => sides.temp.remove());

/** A guest area: a folder where vm.cfg files are (which may hide guests and their uses). */
const guestArea = (folder: string): boolean => /\/(?:VirtualMachines|Templates)(?:\/[^/]+)?$/.test(folder);

describe.skipIf(!canRunAsUser)("randomly unreadable folders", () => {
  it("never give complete, clean or safe about what could not be read", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...folders), { minLength: 1, maxLength: 3 }), (locked) => {
        for (const folder of locked) chmodSync(path.join(sides.live, folder), 0o000);
        try {
          const check = runAsUser(["check", sides.live, "--format", "json"]);
          const checked = CheckResultSchema.parse(JSON.parse(check.stdout));
          expect(checked.complete).toBe(false);
          expect(check.code).toBe(1);
          const incomplete = checked.findings.filter((f) => f.ruleId === "scan-incomplete");
          for (const folder of locked) {
            // Each locked folder is named, unless a locked folder above it hid it altogether.
            const hidden = locked.some((other) => other !== folder && folder.startsWith(`${other}/`));
            if (!hidden) expect(incomplete.map((f) => `${f.repository}/${f.file}`)).toContain(folder);
          }

          const plan = runAsUser(["plan", sides.live, "--format", "json"]);
          expect(PlanResultSchema.parse(JSON.parse(plan.stdout)).complete).toBe(false);
          if (locked.some(guestArea)) expect(plan.code).toBe(1);

          const restore = runAsUser([
            "restore",
            sides.live,
            "--from",
            sides.backup,
            "--guest",
            guest.ref,
            "--format",
            "json",
          ]);
          const restored = RestoreResultSchema.parse(JSON.parse(restore.stdout));
          expect(restored.complete).toBe(false);
          if (restored.safe) {
            // Safe only when what it could not read can hold neither a target nor a vm.cfg that may use one.
            expect(locked.filter(guestArea)).toEqual([]);
            for (const action of restored.actions) {
              for (const folder of locked)
                expect(action.target.startsWith(`${path.join(sides.live, folder)}/`)).toBe(false);
            }
          } else {
            expect(restore.code).toBe(1);
          }
        } finally {
          for (const folder of locked) chmodSync(path.join(sides.live, folder), 0o755);
        }
      }),
      { numRuns: 10 },
    );
  });
});
