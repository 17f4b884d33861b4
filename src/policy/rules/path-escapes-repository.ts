// path-escapes-repository: a disk path that climbs out of its repository with "..".
import { atConfig, ownerLabel, type RawFinding, type Rule } from "../rule.js";

/** A disk entry whose path leaves its repository through `..` (its vm.cfg). */
export const pathEscapesRepositoryRule: Rule = {
  id: "path-escapes-repository",
  title: "Disk path climbing out of its repository",
  description:
    'A disk entry whose path leaves its repository through ".." (…/VirtualDisks/../../../etc/shadow): the guest opens a file outside every repository, which no repository backup holds and a restore must never write.',
  defaultSeverity: "error",
  run: ({ owners }) => {
    const findings: RawFinding[] = [];
    for (const owner of owners) {
      for (const d of owner.diagnostics) {
        if (d.code !== "path-escapes-repository") continue;
        findings.push(atConfig(owner, `${ownerLabel(owner)}: ${d.message}`, d.line));
      }
    }
    return findings;
  },
};
