// Every hard case of domain.md §3/§4 as a fixture folder: vm.cfg + the expected reading.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseVmCfg } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { havePython, pythonValues } from "../support/python.js";

const root = fileURLToPath(new URL("../../fixtures/vmcfg/", import.meta.url));
const cases = readdirSync(root).sort();

interface Expected {
  ok: boolean;
  values: Record<string, unknown>;
  disks: Array<Record<string, unknown>>;
  diagnostics: Array<{ severity: string; code: string; line: number | null; column: number | null }>;
}

const read = (name: string) => {
  const result = parseVmCfg(readFileSync(`${root}${name}/vm.cfg`), { file: "vm.cfg" });
  const expected = JSON.parse(readFileSync(`${root}${name}/expected.json`, "utf8")) as Expected;
  return { result, expected };
};

describe("vm.cfg fixtures", () => {
  it("cover the hard cases", () => {
    expect(cases).toEqual(
      expect.arrayContaining([
        "ovm-manager",
        "exadata",
        "human",
        "crlf",
        "cr",
        "bom",
        "non-declarative",
        "xl-disks",
      ]),
    );
  });

  it.each(cases)("%s reads as expected", (name) => {
    const { result, expected } = read(name);
    expect(result.ok).toBe(expected.ok);
    expect(result.config.values).toEqual(expected.values);
    expect(
      result.config.disks.map(({ path, vdev, devtype, access, format, line, column }) => ({
        path,
        vdev,
        devtype,
        access,
        format,
        line,
        column,
      })),
    ).toEqual(expected.disks);
    expect(
      result.diagnostics.map(({ severity, code, line, column }) => ({ severity, code, line, column })),
    ).toEqual(expected.diagnostics);
  });
});

// Where Python 3 reads a fixture at all, its values must be ours — except where Python 2 (which
// xm ran) and Python 3 differ, listed here with the reason.
const python2Differences: Record<string, Record<string, string>> = {
  strings: {
    h: "\\u is an escape only in unicode strings in Python 2; Python 3 treats every string as unicode",
  },
};

describe.skipIf(!havePython)("vm.cfg fixtures against Python itself", () => {
  it("gives Python's values for every fixture Python accepts", () => {
    const files = cases.map((name) => `${root}${name}/vm.cfg`);
    const readings = pythonValues(files);
    let compared = 0;
    for (const name of cases) {
      const reading = readings[`${root}${name}/vm.cfg`]!;
      if (!reading.ok) continue;
      compared++;
      const ours = { ...read(name).result.config.values };
      const theirs = { ...reading.values };
      for (const key of Object.keys(python2Differences[name] ?? {})) {
        delete ours[key];
        delete theirs[key];
      }
      expect(ours, name).toEqual(theirs);
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });
});
