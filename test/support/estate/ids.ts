// Oracle VM object ids and uuids, drawn from the estate's random source.
import type { Random } from "./random.js";

// Object type numbers of Oracle VM ids (domain.md §2). Assemblies' 0009 is an assumption.
export const TYPE = {
  repository: "0003",
  vm: "0006",
  disk: "0012",
  template: "0014",
  iso: "0015",
  assembly: "0009",
};

export const ovmId = (rng: Random, type: string): string => `0004fb00${type}0000${rng.hex(16)}`;
export const dashed = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
export const uuid4Hex = (rng: Random): string =>
  `${rng.hex(12)}4${rng.hex(3)}${rng.pick(["8", "9", "a", "b"])}${rng.hex(15)}`;
