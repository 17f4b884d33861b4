// shared-disk: a virtual-disk file used by more than one guest or template.

import { usersOf } from "../../graph/index.js";
import type { RawFinding, Rule } from "../rule.js";
import { ownerLabel } from "../rule.js";

/** A virtual-disk file used by more than one guest or template (the file). */
export const sharedDiskRule: Rule = {
  id: "shared-disk",
  title: "Virtual disk used by several guests or templates",
  description:
    "A virtual disk used by more than one guest or template: restoring one user's copy overwrites the others' data.",
  defaultSeverity: "warning",
  run: ({ graph, ownersByRef }) => {
    const findings: RawFinding[] = [];
    graph.forEachNode((node, { kind, repository, file }) => {
      if (kind !== "virtual-disk") return;
      const users = usersOf(graph, node);
      if (users.length < 2) return;
      // Clusters (RAC, OCFS2) share on purpose and say so with w!: worth telling apart from an accident.
      // (only `uses` edges say how an entry declares it; the repository's `contains` edge says nothing)
      const declared = graph.everyInEdge(
        node,
        (_edge, attributes) => attributes.kind !== "uses" || attributes.shareable === true,
      )
        ? " (every entry declares it shareable, w!)"
        : "";
      findings.push({
        message: `${file} is used by ${users.length} guests or templates${declared}: ${users.map((u) => ownerLabel(ownersByRef.get(u), u)).join(", ")}`,
        repository,
        file,
        line: null,
        source: null,
      });
    });
    return findings;
  },
};
