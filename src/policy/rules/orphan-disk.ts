// orphan-disk: a file in VirtualDisks/ that no scanned guest or template references.
import { orphanFiles, unreadableOwners } from "../../graph/index.js";
import type { RawFinding, Rule } from "../rule.js";

// Left behind by clone scripts (docs/domain.md): never referenced by design, reported like any orphan.
const CLONE_LEFTOVER = /\.(?:CLONE|reflink)$/;

/** A file in `VirtualDisks/` no guest or template references (the file); uncertain when a vm.cfg could not be read. */
export const orphanDiskRule: Rule = {
  id: "orphan-disk",
  title: "Virtual disk no guest or template references",
  description:
    "A file in VirtualDisks/ that no scanned guest or template references. It may still belong to a guest in a repository that was not scanned: check before acting on it.",
  defaultSeverity: "warning",
  run: ({ graph, ownersByRef }) => {
    // An unreadable vm.cfg may refer to any file: every orphan becomes uncertain, and the message says where.
    const unreadable = unreadableOwners(graph);
    return orphanFiles(graph).map((node): RawFinding => {
      const { repository, file } = graph.getNodeAttributes(node);
      const unreadableHere = unreadable.filter(
        (ref) => ownersByRef.get(ref)?.repository === repository,
      ).length;
      const doubt =
        unreadable.length === 0
          ? ""
          : ` This finding is uncertain: ${unreadable.length} vm.cfg file(s) could not be read (${unreadableHere} in this repository) and may refer to it.`;
      const what = CLONE_LEFTOVER.test(file ?? "")
        ? "looks like a leftover of a clone script; no scanned guest or template references it"
        : "is not referenced by any scanned guest or template";
      return { message: `${file} ${what}.${doubt}`, repository, file, line: null, source: null };
    });
  },
};
