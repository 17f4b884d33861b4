// resource-in-guest-repository: segregation, a template, assembly or ISO in a repository meant for guests.
import { atConfig, ownerLabel, type RawFinding, type Rule } from "../rule.js";

/** A template, assembly or ISO in a guests repository (the vm.cfg, each assembly file, or the ISO). */
export const resourceInGuestRepositoryRule: Rule = {
  id: "resource-in-guest-repository",
  title: "Template, assembly or ISO in a guests repository",
  description:
    "A template, assembly or ISO in a guests repository: resources belong in a resources repository shared by all pools.",
  defaultSeverity: "error",
  run: ({ scan, repositories }) => {
    const findings: RawFinding[] = scan.templates
      .filter((template) => repositories.get(template.repository)?.role === "guests")
      .map((template) =>
        atConfig(template, `template ${ownerLabel(template)} is in guests repository ${template.repository}`),
      );
    for (const repository of scan.repositories) {
      if (repository.role !== "guests") continue;
      for (const entry of repository.files) {
        if (entry.area !== "ISOs" && entry.area !== "Assemblies") continue;
        const what = entry.area === "ISOs" ? "ISO" : "assembly file";
        findings.push({
          message: `${what} ${entry.file} is in guests repository ${repository.id}`,
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
