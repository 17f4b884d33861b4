// unsafe-symlink: a symbolic link that leads out of its repository; a copy of the repository holds the link, not the data.
import type { RawFinding, Rule } from "../rule.js";

/** A symbolic link in a repository that leads out of it (the link): a disk, an ISO, a vm.cfg, an area folder. */
export const unsafeSymlinkRule: Rule = {
  id: "unsafe-symlink",
  title: "Symbolic link leading out of its repository",
  description:
    "A symbolic link in a repository that leads out of it: a repository backup holds the link, not the data. Normal on Exadata (VirtualDisks/* point into /EXAVMIMAGES): lower this rule's severity in the policy file there.",
  defaultSeverity: "error",
  run: ({ scan }) => {
    const findings: RawFinding[] = [];
    for (const repository of scan.repositories) {
      for (const entry of repository.files) {
        if (entry.type !== "symlink" || entry.linkTarget === null) continue;
        findings.push({
          message: `${entry.file} is a symbolic link out of repository ${repository.id}, to ${entry.linkTarget}`,
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
