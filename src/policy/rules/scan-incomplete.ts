// scan-incomplete: something the scan could not see (a folder, a file, an xm list…): check is never clean about it.
import { gapsOf } from "../../scan/completeness.js";
import { RecordedTrees } from "../../scan/recorded.js";
import type { RawFinding, Rule } from "../rule.js";

/** One finding per gap of the scan (`gapsOf`): what could not be read, and why. */
export const scanIncompleteRule: Rule = {
  id: "scan-incomplete",
  title: "Something could not be read",
  description:
    "A folder, file or input the scan could not read (permissions, an unmounted file system, a vm.cfg too large or broken, an xm list that is not one): everything the check says is about what it could see, so the run is not clean.",
  defaultSeverity: "error",
  run: ({ scan }) => {
    // A vm.cfg that could not be read is parse-error's finding: each problem once.
    const configs = new Set([...scan.guests, ...scan.templates].map((o) => o.path));
    const gaps = gapsOf(scan).filter((gap) => gap.file === null || !configs.has(gap.file));
    if (gaps.length === 0) return [];
    // Each gap in the repository whose folder holds it (the innermost), as every other finding is placed.
    const trees = new RecordedTrees(scan.repositories);
    return gaps.map((gap): RawFinding => {
      const inside = gap.file === null ? null : trees.byFolder(gap.file);
      return {
        message: `${gap.code}: ${gap.message}${gap.file === null ? "" : ` (${gap.file})`}`,
        repository: inside?.repository.id ?? null,
        file: inside === null ? gap.file : inside.rest === "" ? null : inside.rest,
        line: null,
        source: null,
      };
    });
  },
};
