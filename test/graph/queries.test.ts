// The graph queries: disks of an owner, users of a node, owners of a repository, cross-repository use.
import { buildGraph, crossRepositoryReferences, disksOf, guestsOf, usersOf } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { inRepository, owner, repository, sampleEstate, scanOf } from "../support/scan-factory.js";

const graph = buildGraph(sampleEstate());

describe("disksOf", () => {
  it("lists what an owner uses in vm.cfg order, each once, without empty CD-ROMs or NFS exports", () => {
    const expected = [
      "disk:G/VirtualDisks/a.img",
      "disk:G/VirtualDisks/shared.img",
      "disk:T/VirtualDisks/x.img",
      "iso:T/ISOs/os.iso",
      "lun:/dev/mapper/3600a0b80",
    ];
    expect(disksOf(graph, "guest:G/VirtualMachines/vm1")).toEqual(expected);
    expect(disksOf(graph, "G/VirtualMachines/vm1")).toEqual(expected);
  });

  it("follows vm.cfg order even when it differs from the order the nodes were added", () => {
    const scan = scanOf(
      [repository("R", [])],
      [
        owner("R", "first", [
          inRepository("R", "VirtualDisks/y.img"),
          inRepository("R", "VirtualDisks/z.img"),
        ]),
        owner("R", "second", [
          inRepository("R", "VirtualDisks/z.img"),
          inRepository("R", "VirtualDisks/y.img"),
        ]),
      ],
    );
    expect(disksOf(buildGraph(scan), "R/VirtualMachines/second")).toEqual([
      "disk:R/VirtualDisks/z.img",
      "disk:R/VirtualDisks/y.img",
    ]);
  });

  it("gives nothing for an unknown owner or a node that is not an owner", () => {
    expect(disksOf(graph, "G/VirtualMachines/nobody")).toEqual([]);
    expect(disksOf(graph, "disk:G/VirtualDisks/a.img")).toEqual([]);
  });
});

describe("usersOf", () => {
  it("gives the sorted owner references of every user of a node", () => {
    expect(usersOf(graph, "disk:G/VirtualDisks/shared.img")).toEqual([
      "G/VirtualMachines/vm1",
      "G/VirtualMachines/vm1copy",
      "G/VirtualMachines/vm2",
    ]);
    expect(usersOf(graph, "disk:T/VirtualDisks/t.img")).toEqual(["T/Templates/tpl"]);
    expect(usersOf(graph, "nfs:nas:/export/data")).toEqual([
      "G/VirtualMachines/vm1",
      "G/VirtualMachines/vm2",
    ]);
  });

  it("gives nothing for an orphan or an unknown node", () => {
    expect(usersOf(graph, "disk:G/VirtualDisks/orphan.img")).toEqual([]);
    expect(usersOf(graph, "disk:G/VirtualDisks/none.img")).toEqual([]);
  });
});

describe("guestsOf", () => {
  it("gives the sorted owner references of the guests and templates whose vm.cfg is in a repository", () => {
    expect(guestsOf(graph, "G")).toEqual([
      "G/VirtualMachines/vm1",
      "G/VirtualMachines/vm1copy",
      "G/VirtualMachines/vm2",
    ]);
    expect(guestsOf(graph, "T")).toEqual(["T/Templates/tpl"]);
    expect(guestsOf(graph, "nowhere")).toEqual([]);
  });
});

describe("crossRepositoryReferences", () => {
  it("lists each owner using a virtual disk in another repository once, ISOs left out", () => {
    expect(crossRepositoryReferences(graph)).toEqual([
      {
        owner: "G/VirtualMachines/vm1",
        node: "disk:T/VirtualDisks/x.img",
        ownerRepository: "G",
        diskRepository: "T",
      },
      {
        owner: "G/VirtualMachines/vm1copy",
        node: "disk:T/VirtualDisks/x.img",
        ownerRepository: "G",
        diskRepository: "T",
      },
    ]);
  });

  it("counts a pair once however many entries name the disk", () => {
    const twice = [
      inRepository("B", "VirtualDisks/d.img", { vdev: "xvda" }),
      inRepository("B", "VirtualDisks/d.img", { vdev: "xvdb" }),
    ];
    const scan = scanOf([repository("A", []), repository("B", [])], [owner("A", "g", twice)]);
    expect(crossRepositoryReferences(buildGraph(scan))).toHaveLength(1);
  });
});
