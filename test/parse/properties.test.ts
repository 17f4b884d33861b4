// Property tests of the reader: it never throws, and what a writer prints it reads back exactly.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { GuestConfigSchema, parseVmCfg } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { expectedValues, keyArb, printConfig, pyArb, styleArb } from "../support/pyprint.js";
import { havePython, pythonValues } from "../support/python.js";

const meaningCodes = /^(disk-|invalid-value$|not-a-list$|not-a-string$)/;
const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

describe("the reader on arbitrary input", () => {
  it("never throws on arbitrary text, and its diagnostics point inside the text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({
            unit: fc.constantFrom(
              "[",
              "]",
              "(",
              ")",
              "{",
              "}",
              "'",
              '"',
              ",",
              ":",
              "=",
              "\n",
              "#",
              "\\",
              "a",
              "1",
              " ",
              "%",
              ";",
              "u",
              "-",
            ),
            maxLength: 400,
          }),
        ),
        (text) => {
          const result = parseVmCfg(text, { file: "f" });
          expect(GuestConfigSchema.safeParse(result.config).success).toBe(true);
          for (const d of result.diagnostics) {
            if (d.line !== null) expect(d.line).toBeLessThanOrEqual(lineCount(text));
            expect(d.file).toBe("f");
          }
          expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === "error"));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const result = parseVmCfg(bytes);
        expect(Array.isArray(result.diagnostics)).toBe(true);
        if (bytes.includes(0)) expect(result.diagnostics.map((d) => d.code)).toContain("binary-file");
      }),
      { numRuns: 1000 },
    );
  });

  it("reads back what a writer printed, in every style", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, pyArb), { maxLength: 8 }), styleArb, (assignments, style) => {
        const result = parseVmCfg(printConfig(assignments, style));
        // Random values for `disk` or `memory` may well be bad disks or sizes; the reading itself must be clean.
        expect(result.diagnostics.filter((d) => d.severity !== "info" && !meaningCodes.test(d.code))).toEqual(
          [],
        );
        expect(result.config.values).toEqual(expectedValues(assignments));
      }),
      { numRuns: 1500 },
    );
  });
});

describe.skipIf(!havePython)("generated configurations against Python itself", () => {
  it("gives the values Python gives", () => {
    const dir = mkdtempSync(join(tmpdir(), "ovm-deps-py-"));
    try {
      // Python 3 has neither the L suffix nor Python 2's byte strings: print without them.
      const samples = fc.sample(
        fc.tuple(
          fc.array(fc.tuple(keyArb, pyArb), { maxLength: 6 }),
          styleArb.map((s) => ({ ...s, longSuffix: false })),
        ),
        { numRuns: 300, seed: 20261123 },
      );
      const files = samples.map(([assignments, style], i) => {
        const file = join(dir, `${i}.cfg`);
        writeFileSync(file, printConfig(assignments, style));
        return file;
      });
      const readings = pythonValues(files);
      for (const file of files) {
        const reading = readings[file]!;
        expect(reading.ok, file).toBe(true);
        if (reading.ok) expect(parseVmCfg(readFileSync(file)).config.values, file).toEqual(reading.values);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hostile input", () => {
  it("stops 200,000 nested brackets with a diagnostic", () => {
    const result = parseVmCfg(`disk = ${"[".repeat(200_000)}${"]".repeat(200_000)}\nname = 'after'\n`);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([["nesting-too-deep", 1]]);
    expect(result.config.name).toBe("after");
  });

  it("stops 200,000 unclosed brackets and still reads the next statement", () => {
    const result = parseVmCfg(`disk = ${"[(".repeat(100_000)}\nname = 'after'\n`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["nesting-too-deep"]);
    expect(result.config.name).toBe("after");
  });

  it("reads a 30 MB string", () => {
    const big = "x".repeat(30 * 1024 * 1024);
    const result = parseVmCfg(`name = 'vm'\nextra = '${big}'\nmemory = 1\n`);
    expect(result.ok).toBe(true);
    expect((result.config.values.extra as string).length).toBe(big.length);
    expect(result.config.memory).toBe(1);
  });

  it("reports a 30 MB unterminated string once and goes on", () => {
    const result = parseVmCfg(`extra = '${"y".repeat(30 * 1024 * 1024)}\nmemory = 2\n`);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ["unterminated-string", 1, 9],
    ]);
    expect(result.config.memory).toBe(2);
  });

  it("refuses a file that is mostly code with one diagnostic, not millions of tokens", () => {
    const result = parseVmCfg(`x = [${"1,".repeat(2_000_000)}]`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["file-too-large"]);
  });

  it("refuses binary data and reads invalid UTF-8 with a warning", () => {
    expect(parseVmCfg(new Uint8Array([0x6e, 0x3d, 0x31, 0x00, 0xff])).diagnostics.map((d) => d.code)).toEqual(
      ["binary-file"],
    );
    const latin1 = parseVmCfg(new Uint8Array([...Buffer.from("name = 'caf"), 0xe9, ...Buffer.from("'\n")]));
    expect(latin1.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["invalid-utf8", 1, 12]]);
    expect(latin1.config.name).toBe("caf\ufffd");
  });

  it("summarises a flood of problems instead of listing each", () => {
    const result = parseVmCfg("x = ]\n".repeat(5000));
    expect(result.diagnostics.length).toBeLessThanOrEqual(201);
    expect(result.diagnostics.at(-1)?.code).toBe("too-many-diagnostics");
  });
});
