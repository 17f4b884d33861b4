// scan-incomplete: something the scan could not see (a folder, a file, an xm list…): check is never clean about it.
import { gapsOf } from "../../scan/completeness.js";
import type { RawFinding, Rule } from "../rule.js";

/** One finding per gap of the scan (`gapsOf`): what could not be read, and why. */
export const scanIncompleteRule: Rule = {
  id: "scan-incomplete",
  title: "Something could not be read",
  description:
    "A folder, file or input the scan could not read (permissions, an unmounted file system, a vm.cfg too large or broken, an xm list that is not one): everything the check says is about what it could see, so the run is not clean.",
  defaultSeverity: "error",
  run: ({ scan }) => {
    const roots = scan.repositories.map((r) => ({ id: r.id, root: r.root }));
    // A vm.cfg that could not be read is parse-error's finding: each problem once.
    const configs = new Set([...scan.guests, ...scan.templates].map((o) => o.path));
    return gapsOf(scan)
      .filter((gap) => gap.file === null || !configs.has(gap.file))
      .map((gap): RawFinding => {
        const inside =
          gap.file === null
            ? undefined
            : roots.find((r) => gap.file === r.root || gap.file?.startsWith(`${r.root}/`));
        const file =
          inside === undefined || gap.file === null
            ? gap.file
            : gap.file === inside.root
              ? null
              : gap.file.slice(inside.root.length + 1);
        return {
          message: `${gap.code}: ${gap.message}${gap.file === null ? "" : ` (${gap.file})`}`,
          repository: inside?.id ?? null,
          file,
          line: null,
          source: null,
        };
      });
  },
};
