// external-disk: a writable disk that is a file outside every scanned repository.
import { atConfig, ownerLabel, type RawFinding, type Rule } from "../rule.js";

/** A writable disk entry naming a file outside every scanned repository (its vm.cfg). */
export const externalDiskRule: Rule = {
  id: "external-disk",
  title: "Writable disk outside every repository",
  description:
    "A writable disk entry names a file outside every scanned repository (/root/disk.img, a host file): no repository backup holds it, and the guest writes to the host's file system.",
  defaultSeverity: "warning",
  run: ({ owners }) => {
    const findings: RawFinding[] = [];
    for (const owner of owners) {
      for (const disk of owner.disks) {
        if (disk.kind !== "external-file" || disk.access === "r") continue;
        findings.push(
          atConfig(
            owner,
            `${ownerLabel(owner)} writes to ${disk.path ?? disk.spec} (${disk.vdev}), a file outside every scanned repository`,
            disk.line,
          ),
        );
      }
    }
    return findings;
  },
};
