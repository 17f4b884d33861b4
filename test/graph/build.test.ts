// buildGraph on hand-built scans: node and edge kinds, keys, attributes, one node per vm.cfg and per file.
import { buildGraph, fileKey, ownerKey, referenceKey, usersOf } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { inRepository, owner, reference, repository, sampleEstate, scanOf } from "../support/scan-factory.js";

const graph = buildGraph(sampleEstate());

/** The kinds of every node, by key. */
const kinds = (): Record<string, string> =>
  Object.fromEntries(graph.mapNodes((key, attributes) => [key, attributes.kind]));

describe("buildGraph nodes", () => {
  it("gives every node a prefixed key and the kind that goes with it", () => {
    expect(kinds()).toEqual({
      "repository:G": "repository",
      "repository:T": "repository",
      "disk:G/VirtualDisks/a.img": "virtual-disk",
      "disk:G/VirtualDisks/shared.img": "virtual-disk",
      "disk:G/VirtualDisks/orphan.img": "virtual-disk",
      "disk:G/VirtualDisks/exa.img": "virtual-disk",
      "disk:G/VirtualDisks/missing.img": "virtual-disk",
      "iso:T/ISOs/os.iso": "iso",
      "disk:T/VirtualDisks/t.img": "virtual-disk",
      "disk:T/VirtualDisks/x.img": "virtual-disk",
      "assembly:T/Assemblies/asm1": "assembly",
      "guest:G/VirtualMachines/vm1": "guest",
      "guest:G/VirtualMachines/vm1copy": "guest",
      "guest:G/VirtualMachines/vm2": "guest",
      "template:T/Templates/tpl": "template",
      "lun:/dev/mapper/3600a0b80": "physical-disk",
      "file:/EXAVMIMAGES/conf/extra.img": "external-file",
      "iso:/var/tmp/tools.iso": "iso",
      "nfs:nas:/export/data": "nfs-export",
    });
  });

  it("makes a copied vm.cfg with the same uuid a second node", () => {
    const uuids = graph
      .filterNodes((_key, a) => a.kind === "guest")
      .map((key) => graph.getNodeAttribute(key, "uuid"));
    expect(uuids.filter((uuid) => uuid === "0004fb00-0006-0000-0000-000000000001")).toHaveLength(2);
  });

  it("carries owner attributes from the scan", () => {
    expect(graph.getNodeAttributes("guest:G/VirtualMachines/vm1")).toMatchObject({
      label: "simple vm1",
      ref: "G/VirtualMachines/vm1",
      repository: "G",
      file: "VirtualMachines/vm1/vm.cfg",
      path: "/scan/G/VirtualMachines/vm1/vm.cfg",
      bytes: 700,
      allocatedBytes: 4096,
      running: true,
      ok: true,
    });
    expect(graph.getNodeAttribute("guest:G/VirtualMachines/vm2", "ok")).toBe(false);
  });

  it("carries file attributes: scanned path, sizes, link targets, simple names, presence", () => {
    expect(graph.getNodeAttributes("disk:G/VirtualDisks/a.img")).toMatchObject({
      label: "vm1 system",
      repository: "G",
      file: "VirtualDisks/a.img",
      path: "/scan/G/VirtualDisks/a.img",
      present: true,
      bytes: 1000,
      allocatedBytes: 500,
    });
    expect(graph.getNodeAttributes("disk:G/VirtualDisks/exa.img")).toMatchObject({
      linkTarget: "/EXAVMIMAGES/GuestImages/vm2/System.img",
      bytes: null,
    });
    expect(graph.getNodeAttributes("disk:G/VirtualDisks/missing.img")).toMatchObject({
      present: false,
      bytes: null,
    });
    expect(graph.getNodeAttributes("repository:T")).toMatchObject({
      label: "Templates",
      role: "resources",
      root: "/scan/T",
    });
    expect(graph.getNodeAttributes("assembly:T/Assemblies/asm1")).toMatchObject({
      bytes: 30,
      allocatedBytes: 24,
    });
  });

  it("merges NFS exports however their path is written", () => {
    expect(graph.inDegree("nfs:nas:/export/data")).toBe(2);
    expect(graph.getNodeAttribute("nfs:nas:/export/data", "label")).toBe("nas:/export/data");
  });

  it("holds plain JSON only", () => {
    const exported = graph.export();
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });
});

describe("buildGraph edges", () => {
  /** `kind source target` of every edge out of or into a node. */
  const edgesOf = (node: string): string[] =>
    graph.mapEdges(node, (_e, a, source, target) => `${a.kind} ${source} ${target}`).sort();

  it("links a repository to what sits in it, orphans included, missing files not", () => {
    const contained = graph.mapOutEdges("repository:G", (_e, a, _s, target) => `${a.kind} ${target}`).sort();
    expect(contained).toEqual([
      "contains disk:G/VirtualDisks/a.img",
      "contains disk:G/VirtualDisks/exa.img",
      "contains disk:G/VirtualDisks/orphan.img",
      "contains disk:G/VirtualDisks/shared.img",
      "contains guest:G/VirtualMachines/vm1",
      "contains guest:G/VirtualMachines/vm1copy",
      "contains guest:G/VirtualMachines/vm2",
    ]);
    expect(graph.inDegree("disk:G/VirtualDisks/missing.img")).toBe(1);
  });

  it("makes a shared disk one node with one uses edge per user", () => {
    expect(edgesOf("disk:G/VirtualDisks/shared.img")).toEqual([
      "contains repository:G disk:G/VirtualDisks/shared.img",
      "uses guest:G/VirtualMachines/vm1 disk:G/VirtualDisks/shared.img",
      "uses guest:G/VirtualMachines/vm1copy disk:G/VirtualDisks/shared.img",
      "uses guest:G/VirtualMachines/vm2 disk:G/VirtualDisks/shared.img",
    ]);
    expect(graph.inDegree("lun:/dev/mapper/3600a0b80")).toBe(3);
  });

  it("keeps one uses edge per disk entry, even for the same file at two vdevs, and none for an empty CD-ROM", () => {
    const vm1 = "guest:G/VirtualMachines/vm1";
    const uses = graph
      .filterOutEdges(vm1, (_e, a) => a.kind === "uses")
      .map((e) => graph.getEdgeAttributes(e));
    expect(uses.map((a) => a.vdev).sort()).toEqual(["hdc", "xvda", "xvdb", "xvdc", "xvdd", "xvde"]);
    expect(uses.map((a) => a.index).sort()).toEqual([0, 1, 2, 3, 5, 6]);
  });

  it("carries disk-entry attributes on uses edges and mount attributes on mounts edges", () => {
    expect(graph.getEdgeAttributes("uses:guest:G/VirtualMachines/vm1#1")).toMatchObject({
      kind: "uses",
      vdev: "xvdb",
      access: "w!",
      shareable: true,
      devtype: "disk",
      line: 4,
    });
    expect(graph.getEdgeAttributes("mounts:guest:G/VirtualMachines/vm2#0")).toMatchObject({
      kind: "mounts",
      mountPoint: "/mnt/data",
      fstype: "nfs4",
    });
  });
});

describe("node keys", () => {
  it("names owners, files and references by prefixed keys", () => {
    expect(ownerKey({ type: "template", ref: "T/Templates/x" })).toBe("template:T/Templates/x");
    expect(fileKey("R", "VirtualDisks/a.img")).toBe("disk:R/VirtualDisks/a.img");
    expect(fileKey("R", "ISOs/a.iso")).toBe("iso:R/ISOs/a.iso");
    expect(referenceKey(reference({ kind: "physical-disk", path: "iqn.2001-05.com:x" }))).toBe(
      "lun:iqn.2001-05.com:x",
    );
    expect(referenceKey(reference({ kind: "external-file", path: "/x/y.img" }))).toBe("file:/x/y.img");
    expect(referenceKey(reference({ kind: "iso", path: "/dev/cdrom", devtype: "cdrom" }))).toBe(
      "iso:/dev/cdrom",
    );
  });

  it("keys a repository file by where it sits, so a file used as disk and as CD-ROM is one node", () => {
    const asCdrom = inRepository("R", "VirtualDisks/boot.iso", { devtype: "cdrom" });
    const asDisk = inRepository("R", "VirtualDisks/boot.iso");
    expect(referenceKey(asCdrom)).toBe(referenceKey(asDisk));
    const scan = scanOf([repository("R", [])], [owner("R", "a", [asCdrom]), owner("R", "b", [asDisk])]);
    expect(usersOf(buildGraph(scan), referenceKey(asDisk))).toEqual([
      "R/VirtualMachines/a",
      "R/VirtualMachines/b",
    ]);
  });

  it("refuses to key an empty CD-ROM, which refers to nothing", () => {
    expect(() => referenceKey(reference({ kind: "empty-cdrom", path: null, devtype: "cdrom" }))).toThrow();
  });
});
