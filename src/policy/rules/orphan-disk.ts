// orphan-disk: a file in VirtualDisks/ that no scanned guest or template references.
import { orphanFiles, possibleUsersOfFile } from "../../graph/index.js";
import type { RawFinding, Rule } from "../rule.js";

// Left behind by clone scripts (docs/domain.md): never referenced by design, reported like any orphan.
const CLONE_LEFTOVER = /\.(?:CLONE|reflink)$/;

/** A file in `VirtualDisks/` no guest or template references (the file); uncertain when something that could not be read may. */
export const orphanDiskRule: Rule = {
  id: "orphan-disk",
  title: "Virtual disk no guest or template references",
  description:
    "A file in VirtualDisks/ that no scanned guest or template references. It may still belong to a guest in a repository that was not scanned: check before acting on it.",
  defaultSeverity: "warning",
  run: ({ graph, scan }) => {
    // A vm.cfg that could not be read fully, or a folder of vm.cfg files that could not be listed, may
    // refer to the file: the orphan is then uncertain, and the message says who may use it.
    const estate = { scan, graph };
    return orphanFiles(graph).map((node): RawFinding => {
      const { repository, file } = graph.getNodeAttributes(node);
      const possible =
        repository === null || file === null ? [] : possibleUsersOfFile(estate, repository, file);
      const doubt =
        possible.length === 0
          ? ""
          : ` This finding is uncertain: ${possible.length} vm.cfg file(s) or folder(s) that could not be read may refer to it (${possible.slice(0, 3).join(", ")}${possible.length > 3 ? ", …" : ""}).`;
      const what = CLONE_LEFTOVER.test(file ?? "")
        ? "looks like a leftover of a clone script; no scanned guest or template references it"
        : "is not referenced by any scanned guest or template";
      return { message: `${file} ${what}.${doubt}`, repository, file, line: null, source: null };
    });
  },
};
