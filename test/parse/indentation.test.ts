// Indentation as Python (and so xm) sees it: an indented statement refuses the whole file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkEstate, parseVmCfg, scanRepositories } from "ovm-deps";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEstate } from "../check/tree.js";
import { havePython, pythonValues } from "../support/python.js";

/** [source, where the unexpected-indent error is (null: none), the values kept]. */
const cases: Array<[string, [number, number] | null, Record<string, unknown>]> = [
  ["  a = 1\n", [1, 3], { a: 1 }],
  ["a = 1\n\tb = 2\n", [2, 2], { a: 1, b: 2 }],
  ["a = 1\n  # a comment\n\n \tb = 2\nc = 3\n", [4, 3], { a: 1, b: 2, c: 3 }],
  ["a = 1\r\n  b = 2\r\n", [2, 3], { a: 1, b: 2 }],
  // A form feed resets Python's count of the indentation.
  ["\fa = 1\n \fb = 2\n", null, { a: 1, b: 2 }],
  ["\f c = 1\n", [1, 3], { c: 1 }],
  // Not indentation: lines inside brackets, comments, blank lines, a statement after `;`.
  ["a = [1,\n    2]\n    # c\n   \nb = 1;   c = 2\n", null, { a: [1, 2], b: 1, c: 2 }],
];

describe("indented statements", () => {
  it.each(cases)("%j", (source, at, values) => {
    const result = parseVmCfg(source, { file: "vm.cfg" });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual(
      at ? [["error", "unexpected-indent", ...at]] : [],
    );
    expect(result.ok).toBe(at === null);
    expect(result.config.values).toEqual(values);
  });

  it("reports each indented statement and keeps reading", () => {
    const result = parseVmCfg("  a = 1\nb = 'x'\n  c = [\n1]\nd = 2\n");
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ["unexpected-indent", 1, 3],
      ["unexpected-indent", 3, 3],
    ]);
    expect(result.config.values).toEqual({ a: 1, b: "x", c: [1], d: 2 });
  });

  it("leaves the body of a def or if block to the block's own error", () => {
    const result = parseVmCfg("if True:\n    name = 'x'\nmemory = 1\n");
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([["non-declarative", 1]]);
    expect(result.config.values).toEqual({ memory: 1 });
  });
});

describe.skipIf(!havePython)("indented statements against Python itself", () => {
  const temp = mkdtempSync(join(tmpdir(), "ovm-deps-indent-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("refuses what Python refuses and reads what Python reads", () => {
    const files = cases.map(([source], i) => {
      const path = join(temp, `${i}.cfg`);
      writeFileSync(path, source);
      return path;
    });
    const readings = pythonValues(files);
    cases.forEach(([source, at, values], i) => {
      const python = readings[files[i]!]!;
      expect(python, JSON.stringify(source)).toEqual(
        at ? { ok: false, error: "IndentationError" } : { ok: true, values },
      );
    });
  });
});

describe("check on an indented vm.cfg", () => {
  const temp = mkdtempSync(join(tmpdir(), "ovm-deps-indent-check-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("gives a parse-error finding at the indented line", async () => {
    const root = cleanEstate(temp);
    const path = join(root, "G", "VirtualMachines", "db", "vm.cfg");
    writeFileSync(
      path,
      "name = 'db'\n  uuid = '0004fb00-0006-0000-0000-00000000000b'\nmemory = 2048\ndisk = ['file:/OVS/Repositories/G/VirtualDisks/db.img,xvda,w']\n",
    );
    const result = checkEstate(await scanRepositories([root]));
    expect(
      result.findings.filter((f) => f.ruleId === "parse-error").map((f) => [f.repository, f.file, f.line]),
    ).toEqual([["G", "VirtualMachines/db/vm.cfg", 2]]);
    expect(result.findings.find((f) => f.ruleId === "parse-error")?.message).toMatch(/unexpected-indent/);
  });
});
