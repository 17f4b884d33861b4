// The real vm.cfg files of ../shared/corpus/real: read exactly as Python + xend read them.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseVmCfg } from "ovm-deps";
import { expect, it } from "vitest";
import { describeShared, sharedDir } from "../support/shared.js";

// Made by tools/corpus-reference.py: Python's exec of each file, and xend's split of each disk.
const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../fixtures/corpus/real-expected.json", import.meta.url)), "utf8"),
) as Record<
  string,
  | { executable: true; values: Record<string, unknown>; disks: Array<Record<string, string | null>> }
  | { executable: false; error: string }
>;

describeShared("the real corpus", () => {
  const dir = `${sharedDir}/corpus/real/`;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cfg"))
    .sort();

  it("has the 21 files the reference was made from", () => {
    expect(files).toHaveLength(21);
    expect(Object.keys(reference).sort()).toEqual(files);
  });

  it.each(files)("%s reads as Python and xend read it", (file) => {
    const result = parseVmCfg(readFileSync(dir + file), { file });
    const expected = reference[file]!;
    if (!expected.executable) {
      // The non-declarative example (021): an error, never executed, every readable assignment kept.
      expect(result.ok).toBe(false);
      return;
    }
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.config.values).toEqual(expected.values);
    expect(
      result.config.disks.map(({ spec, path, vdev, devtype, access }) => ({
        spec,
        path,
        vdev,
        devtype,
        access,
      })),
    ).toEqual(expected.disks);
  });

  it("reports the non-declarative Python of 021 with positions and keeps what can be read", () => {
    const result = parseVmCfg(readFileSync(`${dir}021.cfg`), { file: "021.cfg" });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.code, d.line, d.column])).toEqual([
      ["non-declarative", 23, 1], // def vmid_check(var, val):
      ["non-declarative", 30, 1], // xm_vars.var('vmid', …)
      ["non-declarative", 35, 1], // xm_vars.check()
      ["non-declarative", 62, 15], // name = "VM%d" % vmid
      ["non-declarative", 108, 29], // disk = [ 'phy:sda%d,sda1,w' % (7+vmid), …
      ["non-declarative", 186, 33], // extra = "VMID=%d usr=/dev/sda6" % vmid
    ]);
    expect(result.config.values).toMatchObject({
      kernel: "/boot/vmlinuz-xen",
      memory: 64,
      vcpus: 4,
      vif: [""],
      root: "/dev/sda1",
    });
    expect(result.config.values).not.toHaveProperty("name");
    expect(result.config.values).not.toHaveProperty("disk");
    expect(result.config.name).toBeNull();
  });

  it("reads quoted numbers as numbers and identities from every writer", () => {
    const exadata = parseVmCfg(readFileSync(`${dir}001.cfg`), { file: "001.cfg" }).config;
    expect(exadata).toMatchObject({ memory: 32768, maxmem: 32768, vcpus: 32, simpleName: "exaclu-127" });
    const manager = parseVmCfg(readFileSync(`${dir}004.cfg`), { file: "004.cfg" }).config;
    expect(manager).toMatchObject({
      uuid: "0004fb00-0006-0000-cfe2-da48f9e2120e",
      name: "0004fb0000060000cfe2da48f9e2120e",
      simpleName: "ESXi-01",
      domainType: "xen_hvm",
      memory: 4096,
    });
  });
});
