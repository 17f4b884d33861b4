// unsafe-symlink: a symbolic link that leads out of its repository; a copy of the repository holds the link, not the data.
import { atConfig, type RawFinding, type Rule } from "../rule.js";

/** A symbolic link in a repository that leads out of it (the link). */
export const unsafeSymlinkRule: Rule = {
  id: "unsafe-symlink",
  title: "Symbolic link leading out of its repository",
  description:
    "A symbolic link in a repository that leads out of it: a repository backup holds the link, not the data. Normal on Exadata (VirtualDisks/* point into /EXAVMIMAGES): lower this rule's severity in the policy file there.",
  defaultSeverity: "error",
  run: ({ scan, owners }) => {
    // The scan lists vm.cfg files as owners, not as repository files: a vm.cfg that is such a link is one too.
    const findings: RawFinding[] = owners
      .filter((owner) => owner.configLinkTarget !== null)
      .map((owner) =>
        atConfig(
          owner,
          `${owner.config} is a symbolic link out of repository ${owner.repository}, to ${owner.configLinkTarget}`,
        ),
      );
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
