// The real vm.cfg files of ../shared/corpus/real: read exactly as Python + xend read them.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseVmCfg } from "ovm-deps";
import { afterAll, expect, it } from "vitest";
import { havePython, pythonValues } from "../support/python.js";
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

// xm ran a vm.cfg as Python: an indented statement is an IndentationError, and the guest never
// loaded. Each real file with one of its statements indented must read as an error, every value kept.
describeShared("the real corpus with an indented statement", () => {
  const dir = `${sharedDir}/corpus/real/`;
  const temp = mkdtempSync(join(tmpdir(), "ovm-deps-indent-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const executable = Object.entries(reference)
    .filter(([, expected]) => expected.executable)
    .map(([file]) => file)
    .sort();
  /** The file with its second statement that starts a line indented by two spaces, and that line. */
  const indented = (file: string): { text: string; line: number; path: string } => {
    const text = readFileSync(dir + file, "utf8");
    const statement = parseVmCfg(text).assignments.filter((a) => a.column === 1)[1]!;
    const lines = text.split("\n");
    lines[statement.line - 1] = `  ${lines[statement.line - 1]}`;
    const path = join(temp, file);
    writeFileSync(path, lines.join("\n"));
    return { text: lines.join("\n"), line: statement.line, path };
  };

  it("has the declarative files to indent", () => {
    expect(executable.length).toBeGreaterThanOrEqual(20);
  });

  it.each(executable)("%s, indented, is an error that keeps every value", (file) => {
    const { text, line } = indented(file);
    const result = parseVmCfg(text, { file });
    expect(result.ok).toBe(false);
    expect(
      result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.line, d.column]),
    ).toEqual([["unexpected-indent", line, 3]]);
    const expected = reference[file]!;
    if (expected.executable) expect(result.config.values).toEqual(expected.values);
  });

  it.skipIf(!havePython)("is what Python says of each: an IndentationError", () => {
    const paths = executable.map((file) => indented(file).path);
    const readings = pythonValues(paths);
    for (const path of paths) {
      expect(readings[path], path).toEqual({ ok: false, error: "IndentationError" });
      expect(parseVmCfg(readFileSync(path)).ok, path).toBe(false);
    }
  });
});
