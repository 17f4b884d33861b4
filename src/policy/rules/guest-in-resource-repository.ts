// guest-in-resource-repository: segregation, a guest in a repository meant for templates, ISOs and assemblies.
import { atConfig, ownerLabel, type Rule } from "../rule.js";

/** A guest in a resources repository (its vm.cfg). */
export const guestInResourceRepositoryRule: Rule = {
  id: "guest-in-resource-repository",
  title: "Guest in a resources repository",
  description:
    "A guest in a resources repository (templates, ISOs, assemblies): resources and guests are backed up on different schedules.",
  defaultSeverity: "error",
  run: ({ scan, repositories }) =>
    scan.guests
      .filter((guest) => repositories.get(guest.repository)?.role === "resources")
      .map((guest) =>
        atConfig(guest, `guest ${ownerLabel(guest)} is in resources repository ${guest.repository}`),
      ),
};
