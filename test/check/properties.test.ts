// Properties of `check` on random estates: orphans never cry wolf and are never missed; findings are well-formed.
import fc from "fast-check";
import { checkEstate, type Owner, type ScanResult } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { disk, estate, file, owner, repo } from "./helpers.js";

const REPOSITORIES = ["G", "T"] as const;
const DISKS = ["a.img", "b.img", "c.img", "d.img.CLONE", "e.reflink"] as const;

/** A random estate: each repository holds some of the disks; owners use disks of either repository, present or not. */
const estates: fc.Arbitrary<ScanResult> = fc
  .record({
    held: fc.tuple(fc.subarray([...DISKS]), fc.subarray([...DISKS])),
    owners: fc.array(
      fc.record({
        repository: fc.constantFrom(...REPOSITORIES),
        template: fc.boolean(),
        ok: fc.boolean(),
        uses: fc.array(fc.tuple(fc.constantFrom(...REPOSITORIES), fc.constantFrom(...DISKS)), {
          maxLength: 3,
        }),
      }),
      { maxLength: 5 },
    ),
  })
  .map(({ held, owners }) => {
    const files = (index: number) => held[index]?.map((name) => file(`VirtualDisks/${name}`)) ?? [];
    const present = (repository: string, name: string) =>
      held[REPOSITORIES.indexOf(repository as "G")]?.includes(name as "a.img") ?? false;
    const made: Owner[] = owners.map((o, index) =>
      owner(
        o.repository,
        `o${index}`,
        o.uses.map(([repository, name]) =>
          disk(repository, `VirtualDisks/${name}`, { present: present(repository, name) }),
        ),
        { type: o.template ? "template" : "guest", ok: o.ok },
      ),
    );
    return estate(
      [repo("G", files(0), { role: "guests" }), repo("T", files(1), { role: "resources" })],
      made,
    );
  });

describe("check properties", () => {
  it("reports exactly the VirtualDisks files nobody references, as uncertain when a vm.cfg was unreadable", () => {
    fc.assert(
      fc.property(estates, (scan) => {
        const owners = [...scan.guests, ...scan.templates];
        const used = new Set(owners.flatMap((o) => o.disks.map((d) => `${d.repository}/${d.file}`)));
        const unused = scan.repositories
          .flatMap((r) => r.files.filter((f) => f.area === "VirtualDisks").map((f) => `${r.id}/${f.file}`))
          .filter((f) => !used.has(f));
        const orphans = checkEstate(scan).findings.filter((f) => f.ruleId === "orphan-disk");
        expect(orphans.map((f) => `${f.repository}/${f.file}`).sort()).toEqual(unused.sort());
        const doubt = owners.some((o) => !o.ok);
        for (const orphan of orphans) {
          expect(/uncertain/.test(orphan.message)).toBe(doubt);
          expect(orphan.message).not.toMatch(/delet|remov/i);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives every finding a subject, a unique fingerprint, and a summary that adds up", () => {
    fc.assert(
      fc.property(estates, (scan) => {
        const result = checkEstate(scan);
        for (const finding of result.findings) {
          expect(finding.repository).not.toBeNull();
          expect(finding.file).not.toBeNull();
        }
        const fingerprints = result.findings.map((f) => f.fingerprint);
        expect(new Set(fingerprints).size).toBe(fingerprints.length);
        const { errors, warnings, notes, suppressed } = result.summary;
        expect(errors + warnings + notes + suppressed).toBe(result.findings.length);
      }),
      { numRuns: 300 },
    );
  });
});
