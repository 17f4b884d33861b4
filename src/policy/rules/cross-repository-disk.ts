// cross-repository-disk: a guest or template whose virtual disk lives in another repository.
import { crossRepositoryReferences } from "../../graph/index.js";
import { atConfig, type RawFinding, type Rule } from "../rule.js";

/** A guest or template whose virtual disk lives in another repository (its vm.cfg). */
export const crossRepositoryDiskRule: Rule = {
  id: "cross-repository-disk",
  title: "Virtual disk in another repository",
  description:
    "A guest or template whose virtual disk lives in another repository: a backup of its own repository misses that disk.",
  defaultSeverity: "warning",
  run: ({ graph, ownersByRef }) => {
    const byOwner = new Map<string, string[]>();
    for (const { owner, node } of crossRepositoryReferences(graph)) {
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), node]);
    }
    const findings: RawFinding[] = [];
    for (const [ref, nodes] of byOwner) {
      const owner = ownersByRef.get(ref);
      if (!owner) continue;
      const disks = nodes.map((node) => graph.getNodeAttributes(node));
      const first = owner.disks.find(
        (disk) => disk.repository === disks[0]?.repository && disk.file === disks[0]?.file,
      );
      const where = disks.map((disk) => `${disk.repository}/${disk.file}`).join(", ");
      findings.push(
        atConfig(owner, `${ref} uses virtual disks in other repositories: ${where}`, first?.line ?? null),
      );
    }
    return findings;
  },
};
