// invalid-disk-target: a disk entry naming a folder, a special file or repository metadata.
import { atConfig, ownerLabel, type RawFinding, type Rule } from "../rule.js";

/** A disk entry naming a folder, a FIFO, socket or device node, or `.ovsrepo`/`.ovsmeta` (its vm.cfg). */
export const invalidDiskTargetRule: Rule = {
  id: "invalid-disk-target",
  title: "Disk entry naming something that is not a disk file",
  description:
    "A disk entry names a folder, a FIFO, socket or device node inside a repository, or the repository's own metadata (.ovsrepo, .ovsmeta): it is never opened or copied, and the guest cannot use it as a disk.",
  defaultSeverity: "error",
  run: ({ owners }) => {
    const findings: RawFinding[] = [];
    for (const owner of owners) {
      for (const disk of owner.disks) {
        if (disk.state !== "not-a-file") continue;
        findings.push(
          atConfig(
            owner,
            `${ownerLabel(owner)} uses ${disk.repository}/${disk.file} (${disk.vdev}), which is not a regular file`,
            disk.line,
          ),
        );
      }
    }
    return findings;
  },
};
