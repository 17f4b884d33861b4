// planBackup / planResources / selectOwners over hand-built scans: contents, coverage, sharing, totals, capacity.
import {
  isSelectionError,
  type Plan,
  type PlanResult,
  PlanResultSchema,
  planBackup,
  planResources,
  ResourcePlanSchema,
  type ScanResult,
} from "ovm-deps";
import { describe, expect, it } from "vitest";
import { selectOwners } from "../../src/plan/select.js";
import { inRepository, owner, repoFile, repository, sampleEstate, scanOf } from "../support/scan-factory.js";

/** Plan a scan, failing the test on selection problems. */
function plan(scan: ScanResult, options: Parameters<typeof planBackup>[1] = {}): PlanResult {
  const result = planBackup(scan, options);
  if (isSelectionError(result)) throw new Error(`selection failed: ${JSON.stringify(result.problems)}`);
  return PlanResultSchema.parse(result);
}

const byOwner = (result: PlanResult, ref: string): Plan => {
  const found = result.guests.find((g) => g.owner === ref);
  if (!found) throw new Error(`no plan for ${ref}`);
  return found;
};

describe("planBackup", () => {
  const scan = sampleEstate();
  const result = plan(scan);

  it("plans every guest and no template unless selected", () => {
    expect(result.guests.map((g) => g.owner)).toEqual([
      "G/VirtualMachines/vm1",
      "G/VirtualMachines/vm1copy",
      "G/VirtualMachines/vm2",
    ]);
    expect(plan(scan, { guests: ["tpl"] }).guests.map((g) => g.owner)).toEqual(["T/Templates/tpl"]);
  });

  it("lists the vm.cfg and each present virtual disk once, with absolute scanned paths and sizes", () => {
    const vm1 = byOwner(result, "G/VirtualMachines/vm1");
    expect(vm1.files.map((f) => [f.role, f.path])).toEqual([
      ["config", "/scan/G/VirtualMachines/vm1/vm.cfg"],
      ["disk", "/scan/G/VirtualDisks/a.img"],
      ["disk", "/scan/G/VirtualDisks/shared.img"],
      ["disk", "/scan/T/VirtualDisks/x.img"],
    ]);
    expect(vm1.files[0]).toMatchObject({ bytes: 700, allocatedBytes: 4096 });
    expect(vm1.files[1]).toMatchObject({
      repository: "G",
      file: "VirtualDisks/a.img",
      bytes: 1000,
      allocatedBytes: 500,
    });
  });

  it("puts ISOs in resources, LUNs and NFS exports in outside with what they need", () => {
    const vm1 = byOwner(result, "G/VirtualMachines/vm1");
    expect(vm1.resources).toEqual([{ repository: "T", file: "ISOs/os.iso", path: "/scan/T/ISOs/os.iso" }]);
    expect(vm1.outside).toEqual([
      { kind: "physical-disk", ref: "/dev/mapper/3600a0b80", needs: "LUN/array-level backup" },
      { kind: "nfs-mount", ref: "nas:/export/data", needs: "NFS-server-level backup" },
    ]);
    expect(vm1.coverage).toBe("partial");
  });

  it("lists a link leaving the repository as an external file at its target, never as a file", () => {
    const vm2 = plan(scan, { guests: ["G/vm2"] }).guests[0]!;
    expect(vm2.files.map((f) => f.file)).toEqual(["VirtualMachines/vm2/vm.cfg", "VirtualDisks/shared.img"]);
    expect(vm2.outside.map((o) => [o.kind, o.ref])).toEqual([
      ["external-file", "/EXAVMIMAGES/GuestImages/vm2/System.img"],
      ["external-file", "/EXAVMIMAGES/conf/extra.img"],
      ["physical-disk", "/dev/mapper/3600a0b80"],
      ["external-file", "/var/tmp/tools.iso"],
      ["nfs-mount", "nas:/export/data/"],
    ]);
    expect(vm2.warnings.map((w) => w.code)).toContain("missing-disk");
  });

  it("reports coverage none for a vm.cfg with errors, complete when everything is in files", () => {
    expect(byOwner(result, "G/VirtualMachines/vm2").coverage).toBe("none");
    const simple = scanOf(
      [repository("R", [repoFile("VirtualDisks/d.img")])],
      [owner("R", "vm", [inRepository("R", "VirtualDisks/d.img")], { running: false })],
    );
    const only = plan(simple).guests[0]!;
    expect(only.coverage).toBe("complete");
    expect(only.warnings).toEqual([]);
    const missing = scanOf(
      [repository("R", [])],
      [owner("R", "vm", [inRepository("R", "VirtualDisks/d.img", { present: false })], { running: false })],
    );
    expect(plan(missing).guests[0]!.coverage).toBe("partial");
  });

  it("lists shared disks and LUNs with all their users, ISOs excepted", () => {
    const vm1 = byOwner(result, "G/VirtualMachines/vm1");
    const shared = Object.fromEntries(vm1.shared.map((s) => [s.ref, s.users]));
    expect(shared["/scan/G/VirtualDisks/shared.img"]).toEqual([
      "G/VirtualMachines/vm1",
      "G/VirtualMachines/vm1copy",
      "G/VirtualMachines/vm2",
    ]);
    expect(shared["/dev/mapper/3600a0b80"]).toEqual([
      "G/VirtualMachines/vm1",
      "G/VirtualMachines/vm1copy",
      "G/VirtualMachines/vm2",
    ]);
    expect(Object.keys(shared)).not.toContain("/scan/T/ISOs/os.iso");
    const tpl = plan(scan, { guests: ["tpl"] }).guests[0]!;
    expect(tpl.shared).toEqual([]);
  });

  it("warns that a running guest's copy is crash-inconsistent, and when the running state is unknown", () => {
    expect(byOwner(result, "G/VirtualMachines/vm1").warnings.map((w) => w.code)).toContain("guest-running");
    expect(byOwner(result, "G/VirtualMachines/vm1copy").warnings.map((w) => w.code)).toContain(
      "running-unknown",
    );
    expect(byOwner(result, "G/VirtualMachines/vm1").running).toBe(true);
  });

  it("counts each file once in the totals, however many guests share it", () => {
    const twice = scanOf(
      [repository("R", [repoFile("VirtualDisks/s.img", { bytes: 300, allocatedBytes: 100 })])],
      [
        owner("R", "a", [inRepository("R", "VirtualDisks/s.img", { bytes: 300, allocatedBytes: 100 })]),
        owner("R", "b", [inRepository("R", "VirtualDisks/s.img", { bytes: 300, allocatedBytes: 100 })]),
      ],
    );
    // The two vm.cfg files have no inventory entry here (unknown size: 0); the disk counts once.
    expect(plan(twice).totals).toEqual({ bytes: 300, allocatedBytes: 100 });
  });

  it("counts hard links to one inode once in the totals", () => {
    const sizes = { bytes: 300, allocatedBytes: 100 };
    const linked = { ...sizes, device: 9, inode: 77, links: 2 };
    const names = scanOf(
      [repository("R", [repoFile("VirtualDisks/s.img", linked), repoFile("VirtualDisks/t.img", linked)])],
      [
        owner("R", "a", [inRepository("R", "VirtualDisks/s.img", sizes)]),
        owner("R", "b", [inRepository("R", "VirtualDisks/t.img", sizes)]),
      ],
    );
    expect(plan(names).totals).toEqual(sizes);
    // Both guests share the one file: each plan says so.
    expect(plan(names).guests.map((g) => g.shared.map((s) => s.users))).toEqual([
      [["R/VirtualMachines/a", "R/VirtualMachines/b"]],
      [["R/VirtualMachines/a", "R/VirtualMachines/b"]],
    ]);
  });

  it("sizes a rotation as allocated × growth × (retain + adhoc): 600 MB × 2 × (15 + 5) = 24 GB", () => {
    const mb600 = 600 * 1000 * 1000;
    const estate = scanOf(
      [repository("R", [repoFile("VirtualDisks/db.img", { bytes: 2 * mb600, allocatedBytes: mb600 })])],
      [
        owner("R", "manager", [
          inRepository("R", "VirtualDisks/db.img", { bytes: 2 * mb600, allocatedBytes: mb600 }),
        ]),
      ],
    );
    const totals = plan(estate, { retain: 15, adhoc: 5, growth: 2 }).totals;
    expect(totals.capacity).toEqual({ retain: 15, adhoc: 5, growth: 2, bytes: 24 * 1000 * 1000 * 1000 });
    expect(plan(estate).totals.capacity).toBeUndefined();
  });
});

describe("selectOwners", () => {
  const scan = sampleEstate();
  const refs = (selectors: string[]): string[] => selectOwners(scan, selectors).owners.map((o) => o.ref);

  it("accepts the owner reference, REPOSITORY/FOLDER, folder, name and simple name", () => {
    for (const selector of ["G/VirtualMachines/vm2", "G/vm2", "vm2", "simple vm2"]) {
      expect(refs([selector]), selector).toEqual(["G/VirtualMachines/vm2"]);
    }
    expect(refs(["T/Templates/tpl", "T/tpl"])).toEqual(["T/Templates/tpl"]);
  });

  it("accepts a uuid with or without dashes, any case", () => {
    const uuid = "0004fb00-0006-0000-cfe2-da48f9e2120e";
    const one = scanOf([repository("R", [])], [owner("R", "vm", [], { uuid })]);
    for (const selector of [
      uuid,
      uuid.toUpperCase(),
      uuid.replaceAll("-", ""),
      uuid.replaceAll("-", "").toUpperCase(),
    ]) {
      expect(
        selectOwners(one, [selector]).owners.map((o) => o.ref),
        selector,
      ).toEqual(["R/VirtualMachines/vm"]);
    }
  });

  it("reports an unknown selector with near candidates and an ambiguous one with all its matches", () => {
    const { problems, owners } = selectOwners(scan, ["VM2", "simple vm1", "nothing-like-it"]);
    expect(owners).toEqual([]);
    expect(problems).toEqual([
      {
        selector: "VM2",
        kind: "unknown",
        candidates: ["G/VirtualMachines/vm2"],
        names: { "G/VirtualMachines/vm2": "simple vm2" },
      },
      {
        selector: "simple vm1",
        kind: "ambiguous",
        candidates: ["G/VirtualMachines/vm1", "G/VirtualMachines/vm1copy"],
        names: { "G/VirtualMachines/vm1": "simple vm1", "G/VirtualMachines/vm1copy": "simple vm1" },
      },
      { selector: "nothing-like-it", kind: "unknown", candidates: [], names: {} },
    ]);
    // A copied vm.cfg keeps its uuid: selecting by it is ambiguous.
    expect(selectOwners(scan, ["0004fb00-0006-0000-0000-000000000001"]).problems[0]?.kind).toBe("ambiguous");
  });

  it("has no precedence between spellings: a folder name that is another owner's uuid is ambiguous", () => {
    // vm-a's folder is named like vm-b's uuid (without dashes): either spelling of that uuid matches both.
    const uuid = "0004fb00-0006-0000-cfe2-da48f9e2120e";
    const two = scanOf(
      [repository("R", [])],
      [
        owner("R", uuid.replaceAll("-", ""), [], { uuid: "0004fb00-0006-0000-aaaa-000000000001" }),
        owner("R", "vm-b", [], { uuid }),
      ],
    );
    for (const selector of [uuid, uuid.replaceAll("-", "")]) {
      const { owners, problems } = selectOwners(two, [selector]);
      expect(owners, selector).toEqual([]);
      expect(
        problems.map((p) => [p.kind, p.candidates]),
        selector,
      ).toEqual([["ambiguous", [`R/VirtualMachines/${uuid.replaceAll("-", "")}`, "R/VirtualMachines/vm-b"]]]);
    }
    // The owner reference is never ambiguous.
    expect(selectOwners(two, ["R/VirtualMachines/vm-b"]).owners.map((o) => o.ref)).toEqual([
      "R/VirtualMachines/vm-b",
    ]);
  });

  it("makes planBackup return the problems as a value", () => {
    const result = planBackup(scan, { guests: ["nope"] });
    expect(isSelectionError(result)).toBe(true);
  });
});

describe("planResources", () => {
  it("gathers templates, ISOs and assemblies of resources repositories, each file once", () => {
    const result = ResourcePlanSchema.parse(planResources(sampleEstate()));
    expect(result.repositories.map((r) => r.id)).toEqual(["T"]);
    expect(result.templates.map((t) => t.owner)).toEqual(["T/Templates/tpl"]);
    expect(result.files.map((f) => [f.role, f.file, f.owner])).toEqual([
      ["config", "Templates/tpl/vm.cfg", "T/Templates/tpl"],
      ["disk", "VirtualDisks/t.img", "T/Templates/tpl"],
      ["iso", "ISOs/os.iso", null],
      ["assembly", "Assemblies/asm1/package.ova", null],
      ["assembly", "Assemblies/asm1/disk.vmdk", null],
    ]);
    // Guests' disks in the resources repository (x.img) belong to the guests' plans, not here.
    expect(result.files.map((f) => f.file)).not.toContain("VirtualDisks/x.img");
  });
});
