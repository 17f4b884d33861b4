// planRestoreAsNew through the library: ids from an injected generator, what is copied, kept and refused.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  type AsNewOptions,
  type AsNewRestore,
  DEFAULT_SUFFIX,
  isIntoError,
  isSelectionError,
  parseVmCfg,
  planRestoreAsNew,
  readAsNewSources,
  renderAsNewScript,
  renderAsNewText,
  type ScanResult,
  scanRepositories,
  selectOwners,
} from "ovm-deps";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../plan/helpers.js";

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir("ovm-deps-as-new-plan-");
});
afterEach(() => temp.remove());

/** A ROOT with repositories R (guest `vm1` with `config`, disks `files`) and S (empty), and the same as backup. */
async function trees(config: string, files: string[]): Promise<{ live: ScanResult; backup: ScanResult }> {
  const sides: ScanResult[] = [];
  for (const side of ["live", "backup"]) {
    const root = path.join(temp.dir, side);
    for (const area of ["R/VirtualMachines/vm1", "R/VirtualDisks", "R/ISOs", "S/VirtualDisks"])
      mkdirSync(path.join(root, area), { recursive: true });
    writeFileSync(path.join(root, "R/VirtualMachines/vm1/vm.cfg"), config);
    for (const f of files) writeFileSync(path.join(root, "R", f), `data of ${f}`);
    sides.push(await scanRepositories([root]));
  }
  return { live: sides[0]!, backup: sides[1]! };
}

/** Ids 000…01, 000…02…: one per call. */
function counter(): () => string {
  let n = 0;
  return () => (++n).toString(16).padStart(32, "0");
}

async function plan(
  scans: { live: ScanResult; backup: ScanResult },
  options: Partial<AsNewOptions> = {},
): Promise<AsNewRestore> {
  const owner = selectOwners(scans.backup, ["vm1"]).owners[0]!;
  const sources = await readAsNewSources(owner, [scans.live, scans.backup]);
  const result = planRestoreAsNew(scans.live, scans.backup, {
    guest: "vm1",
    sources,
    newId: counter(),
    newMacBytes: () => Uint8Array.of(1, 2, 3),
    ...options,
  });
  if (isSelectionError(result) || isIntoError(result)) throw new Error(JSON.stringify(result));
  return result;
}

const ID1 = "00000000000000000000000000000001";
const ID2 = "00000000000000000000000000000002";

describe("planRestoreAsNew", () => {
  it("names the folder, name, uuid and disks with the generated ids, and maps each old → new", async () => {
    const scans = await trees(
      "name = 'vm1'\ndisk = ['file:/OVS/Repositories/R/VirtualDisks/a.img,xvda,w', 'file:/OVS/Repositories/R/ISOs/x.iso,hdc:cdrom,r']\nvif = ['mac=00:21:f6:01:02:03']\n",
      ["VirtualDisks/a.img", "ISOs/x.iso"],
    );
    const result = await plan(scans);
    expect(result.safe).toBe(true);
    expect(result.folder).toEqual({ old: "vm1", new: ID1 });
    expect(result.name).toEqual({ old: "vm1", new: ID1 });
    // No uuid in the vm.cfg: one is added, dashed.
    expect(result.uuid).toEqual({ old: null, new: "00000000-0000-0000-0000-000000000001" });
    expect(result.simpleName).toEqual({ old: null, new: `vm1${DEFAULT_SUFFIX}` });
    expect(result.files.map((f) => [f.role, f.old, f.new])).toEqual([
      ["disk", "VirtualDisks/a.img", `VirtualDisks/${ID2}.img`],
      ["config", "VirtualMachines/vm1/vm.cfg", `VirtualMachines/${ID1}/vm.cfg`],
    ]);
    expect(result.kept).toEqual([
      { kind: "iso", ref: "/OVS/Repositories/R/ISOs/x.iso", todo: expect.any(String) },
    ]);
    // The generator's MAC is the one in use: after the draws, the first free one in order.
    expect(result.macs).toEqual([{ item: 0, old: "00:21:f6:01:02:03", new: "00:21:f6:00:00:00" }]);
    const values = parseVmCfg(result.config.text).config.values;
    expect(values.disk).toEqual([
      `file:/OVS/Repositories/R/VirtualDisks/${ID2}.img,xvda,w`,
      "file:/OVS/Repositories/R/ISOs/x.iso,hdc:cdrom,r",
    ]);
    expect(renderAsNewText(result)).toContain(`folder:      vm1 → ${ID1}`);
    const script = renderAsNewScript(result);
    expect(script.ok && script.output.includes(`ovm_create`)).toBe(true);
  });

  it("never gives a MAC a scanned vm.cfg uses", async () => {
    const scans = await trees("name = 'vm1'\nvif = ['mac=00:21:f6:01:02:03', 'bridge=b']\n", []);
    const draws = [Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3), Uint8Array.of(9, 9, 9)];
    const result = await plan(scans, { newMacBytes: () => draws.shift()! });
    expect(result.macs).toEqual([{ item: 0, old: "00:21:f6:01:02:03", new: "00:21:f6:09:09:09" }]);
  });

  it("puts the disks in the repository --into names, and names it in the disk paths", async () => {
    const scans = await trees(
      "name = 'vm1'\ndisk = ['file:/OVS/Repositories/R/VirtualDisks/a.img,xvda,w']\n",
      ["VirtualDisks/a.img"],
    );
    const result = await plan(scans, { into: "S" });
    expect(result.repository.id).toBe("S");
    expect(result.files[0]!.target).toBe(path.join(temp.dir, "live/S", `VirtualDisks/${ID2}.img`));
    expect(result.files[0]!.spec?.new).toBe(`file:/OVS/Repositories/S/VirtualDisks/${ID2}.img,xvda,w`);
    const owner = selectOwners(scans.backup, ["vm1"]).owners[0]!;
    const sources = await readAsNewSources(owner, [scans.live]);
    const nowhere = planRestoreAsNew(scans.live, scans.backup, { guest: "vm1", sources, into: "T" });
    expect(nowhere).toEqual({ into: "T", candidates: ["R", "S"] });
  });

  it("refuses LUNs, shared disks and NFS mounts without allowShared, and keeps them with what to do with it", async () => {
    const scans = await trees(
      "name = 'vm1'\ndisk = ['phy:/dev/mapper/lun1,xvda,w!', 'file:/OVS/Repositories/R/VirtualDisks/a.img,xvdb,w']\n",
      ["VirtualDisks/a.img"],
    );
    // Another guest uses a.img in the backup; the guest's OS mounts an export.
    const other = {
      ...scans.backup.guests[0]!,
      ref: "R/VirtualMachines/vm2",
      id: "vm2",
      name: "vm2",
      uuid: null,
      config: "VirtualMachines/vm2/vm.cfg",
    };
    const backup: ScanResult = {
      ...scans.backup,
      guests: [
        {
          ...scans.backup.guests[0]!,
          nfsMounts: [{ source: "nas:/data", mountPoint: "/data", fstype: "nfs" }],
        },
        other,
      ],
    };
    const refused = await plan({ live: scans.live, backup });
    expect(refused.safe).toBe(false);
    expect(refused.blocked.map((b) => b.reason).sort()).toEqual(["nfs-mount", "physical-disk", "shared"]);
    expect(refused.blocked.find((b) => b.reason === "shared")?.users).toEqual(["R/VirtualMachines/vm2"]);
    expect(renderAsNewScript(refused)).toEqual({ ok: true, output: "" });

    const kept = await plan({ live: scans.live, backup }, { allowShared: true });
    expect(kept.safe).toBe(true);
    expect(kept.kept.map((k) => k.kind).sort()).toEqual(["nfs-mount", "physical-disk", "shared-disk"]);
    // Kept entries stay as they were in the new vm.cfg: nothing is copied.
    expect(kept.files.map((f) => f.role)).toEqual(["config"]);
    expect(parseVmCfg(kept.config.text).config.values.disk).toEqual([
      "phy:/dev/mapper/lun1,xvda,w!",
      "file:/OVS/Repositories/R/VirtualDisks/a.img,xvdb,w",
    ]);
  });
});
