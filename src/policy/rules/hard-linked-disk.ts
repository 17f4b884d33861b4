// hard-linked-disk: a file a guest or template uses whose inode has other names.
import { usersOf } from "../../graph/index.js";
import type { RawFinding, Rule } from "../rule.js";

/** A referenced file with more than one name (the file; its other names, or how many are outside the scan). */
export const hardLinkedDiskRule: Rule = {
  id: "hard-linked-disk",
  title: "Disk file with other names (hard links)",
  description:
    "A file a guest or template uses has other names (hard links): writing through any of them changes all of them, so a restore refuses it, and a backup made with hard links (cp -al) is no independent copy.",
  defaultSeverity: "warning",
  run: ({ graph, scan }) => {
    const findings: RawFinding[] = [];
    // Only files with more than one link matter: index those (a handful, usually), not every file.
    const linked = new Map<string, number>();
    for (const r of scan.repositories) {
      for (const f of r.files)
        if (f.links > 1 && f.fileType === "file") linked.set(`${r.id}/${f.file}`, f.links);
    }
    if (linked.size === 0) return findings;
    graph.forEachNode((node, { fileType, repository, file, aliases }) => {
      if (fileType !== "file" || repository === null || file === null) return;
      const links = linked.get(`${repository}/${file}`);
      if (links === undefined || usersOf(graph, node).length === 0) return;
      const unseen = links - 1 - aliases.length;
      const names = [
        ...aliases,
        ...(unseen > 0 ? [`${unseen} name(s) outside the scanned repositories`] : []),
      ];
      findings.push({
        message: `${file} has ${links} names (hard links): also ${names.join(", ")}`,
        repository,
        file,
        line: null,
        source: null,
      });
    });
    return findings;
  },
};
