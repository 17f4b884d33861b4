// Property: any disk path made of `.`, `..` and names is placed where its normalised form points.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { scanRepositories } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { owner, repository, tempDir } from "./helpers.js";

const REPO = "0004fb00000300000000000000000abc";
const LIVE = `/OVS/Repositories/${REPO}/`;

const segment = fc.constantFrom(
  "VirtualDisks",
  "ISOs",
  "a.img",
  "sub",
  "..",
  ".",
  REPO,
  "OVS",
  "Repositories",
);

describe("disk path placement", () => {
  it("follows path.posix.normalize: inside the repository a virtual disk, anywhere else an external file", async () => {
    const parent = tempDir();
    const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
    mkdirSync(path.join(root, "VirtualDisks/sub"), { recursive: true });
    writeFileSync(path.join(root, "VirtualDisks/a.img"), "disk");
    writeFileSync(path.join(root, "a.img"), "top");
    const vmcfg = path.join(root, "VirtualMachines/vm1/vm.cfg");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(segment, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        async (paths) => {
          const written = paths.map((segments) => `${LIVE}${segments.join("/")}`);
          owner(root, "vm1", { name: "vm1", disks: written.map((p, i) => `file:${p},xvd${"abcdef"[i]},w`) });
          const result = await scanRepositories([parent]);
          const disks = result.guests[0]!.disks;
          expect(disks).toHaveLength(written.length);
          written.forEach((p, i) => {
            const normalised = path.posix.normalize(p);
            const disk = disks[i]!;
            expect(disk.path).toBe(normalised);
            const rest = normalised.startsWith(LIVE) ? normalised.slice(LIVE.length).replace(/\/$/, "") : "";
            if (rest === "") {
              expect([disk.kind, disk.repository, disk.file, disk.present]).toEqual([
                "external-file",
                null,
                null,
                null,
              ]);
            } else {
              expect([disk.kind, disk.repository, disk.file]).toEqual(["virtual-disk", REPO, rest]);
              expect(disk.present).toBe(existsSync(path.join(root, rest)));
            }
          });
          expect(result.guests[0]!.path).toBe(vmcfg);
        },
      ),
      { numRuns: 40 },
    );
  });
});
