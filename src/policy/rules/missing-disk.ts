// missing-disk: a file a vm.cfg refers to inside a scanned repository that is not there, or cannot be read.

import { usersOf } from "../../graph/index.js";
import type { FileState } from "../../schema/scan.js";
import type { RawFinding, Rule } from "../rule.js";
import { ownerLabel } from "../rule.js";

/** Why a referenced file cannot be read, by the walker's verdict; a state not listed here is readable. */
const WHY: Partial<Record<FileState, string>> = {
  missing: "is not in repository",
  dangling: "is a symbolic link to nothing in repository",
  loop: "is a loop of symbolic links in repository",
  unreadable: "cannot be examined in repository",
};

/** A referenced file that should be in a scanned repository but is not there or cannot be read (the file). */
export const missingDiskRule: Rule = {
  id: "missing-disk",
  title: "Referenced file missing from its repository",
  description:
    "A file a guest or template refers to inside a scanned repository is not there, or cannot be read (a dangling link, a loop of links, a folder that cannot be examined): the guest cannot start and no backup holds it.",
  defaultSeverity: "error",
  run: ({ graph, ownersByRef }) => {
    const findings: RawFinding[] = [];
    graph.forEachNode((node, { state, repository, file }) => {
      const why = state === null ? undefined : WHY[state];
      if (why === undefined || repository === null || file === null) return;
      const users = usersOf(graph, node);
      // One finding per file, its source the first user's entry that names it.
      const first = ownersByRef.get(users[0] ?? "");
      const entry = first?.disks.find((disk) => disk.repository === repository && disk.file === file);
      findings.push({
        message: `${file} ${why} ${repository}; referenced by ${users.map((u) => ownerLabel(ownersByRef.get(u), u)).join(", ")}`,
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
