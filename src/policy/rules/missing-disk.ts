// missing-disk: a file a vm.cfg refers to inside a scanned repository that is not there.
import { usersOf } from "../../graph/index.js";
import type { RawFinding, Rule } from "../rule.js";

/** A referenced file that should be in a scanned repository but is not (the missing file). */
export const missingDiskRule: Rule = {
  id: "missing-disk",
  title: "Referenced file missing from its repository",
  description:
    "A file a guest or template refers to inside a scanned repository is not there: the guest cannot start and no backup holds it.",
  defaultSeverity: "error",
  run: ({ graph, ownersByRef }) => {
    const findings: RawFinding[] = [];
    graph.forEachNode((node, { present, repository, file }) => {
      if (present !== false || repository === null || file === null) return;
      const users = usersOf(graph, node);
      // One finding per missing file, its source the first user's entry that names it.
      const first = ownersByRef.get(users[0] ?? "");
      const entry = first?.disks.find((disk) => disk.repository === repository && disk.file === file);
      findings.push({
        message: `${file} is not in repository ${repository}; referenced by ${users.join(", ")}`,
        repository,
        file,
        line: null,
        source: first
          ? { repository: first.repository, file: first.config, line: entry?.line ?? null }
          : null,
      });
    });
    return findings;
  },
};
