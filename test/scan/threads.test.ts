// `--threads auto`: how many parsing workers a machine of N cores gets (bench/results/2026-12-03-walk.md).
import { describe, expect, it } from "vitest";
import { autoThreads } from "../../src/scan/config-reader.js";

describe("autoThreads", () => {
  it("starts no worker on one or two cores, where one did not measurably pay", () => {
    expect(autoThreads(1)).toBe(0);
    expect(autoThreads(2)).toBe(0);
  });

  it("starts one per core beyond the first from three cores, at most 4", () => {
    expect(autoThreads(3)).toBe(2);
    expect(autoThreads(5)).toBe(4);
    expect(autoThreads(64)).toBe(4);
  });
});
