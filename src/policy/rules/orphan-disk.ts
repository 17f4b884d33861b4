// orphan-disk: a file in VirtualDisks/ that no scanned guest or template references.
import { fileKey, usersOf } from "../../graph/index.js";
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
  run: ({ scan, graph, owners }) => {
    const findings: RawFinding[] = [];
    // An unreadable vm.cfg may refer to any file: every orphan becomes uncertain, and the message says where.
    const unreadable = owners.filter((owner) => !owner.ok);
    for (const repository of scan.repositories) {
      const unreadableHere = unreadable.filter((owner) => owner.repository === repository.id).length;
      const doubt =
        unreadable.length === 0
          ? ""
          : ` This finding is uncertain: ${unreadable.length} vm.cfg file(s) could not be read (${unreadableHere} in this repository) and may refer to it.`;
      for (const entry of repository.files) {
        // A link inside the repository points to a file we cannot name without following it: no evidence.
        const innerLink = entry.type === "symlink" && entry.linkTarget === null;
        // `VirtualDisks` itself can be a link (then it is listed as one entry): only files inside it are disks.
        const inside = entry.file.startsWith("VirtualDisks/");
        if (!inside || entry.type === "other" || innerLink) continue;
        if (usersOf(graph, fileKey(repository.id, entry.file)).length > 0) continue;
        const what = CLONE_LEFTOVER.test(entry.file)
          ? "looks like a leftover of a clone script; no scanned guest or template references it"
          : "is not referenced by any scanned guest or template";
        findings.push({
          message: `${entry.file} ${what}.${doubt}`,
          repository: repository.id,
          file: entry.file,
          line: null,
          source: null,
        });
      }
    }
    return findings;
  },
};
