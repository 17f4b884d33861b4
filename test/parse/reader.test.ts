// Reader details that the fixtures do not show: keys that are special in JavaScript, quoted counts.
import { parseVmCfg } from "ovm-deps";
import { describe, expect, it } from "vitest";

describe("the values of a vm.cfg", () => {
  it("keeps a key named __proto__ as a plain key, in statement order", () => {
    const { config, assignments } = parseVmCfg("__proto__ = 1\nconstructor = 'c'\nname = 'vm'\n");
    expect(Object.getPrototypeOf(config.values)).toBe(Object.prototype);
    expect(Object.hasOwn(config.values, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(config.values, "__proto__")?.value).toBe(1);
    expect(Object.keys(config.values)).toEqual(["__proto__", "constructor", "name"]);
    expect(assignments.map((a) => [a.key, a.line, a.column])).toEqual([
      ["__proto__", 1, 1],
      ["constructor", 2, 1],
      ["name", 3, 1],
    ]);
  });

  it.each([
    ["65536", 65536],
    ["'65536'", 65536],
    ["' 512 '", 512],
    ["1.5", 1.5],
    ["0x10L", 16],
    ["-0", 0],
  ])("reads memory = %s as the count %d", (literal, count) => {
    const result = parseVmCfg(`memory = ${literal}\n`);
    expect(result.config.memory).toBe(count);
    expect(result.diagnostics).toEqual([]);
  });

  it.each(["'64 MB'", "True", "None", "[1]", "1e999", "''"])("refuses memory = %s as a count", (literal) => {
    const result = parseVmCfg(`memory = ${literal}\n`);
    expect(result.config.memory).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["invalid-value", 1, 10]]);
  });
});
