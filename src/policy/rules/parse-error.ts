// parse-error: a vm.cfg that cannot be read or has error diagnostics; its disk list cannot be trusted.
import { atConfig, ownerLabel, type Rule } from "../rule.js";

/** A vm.cfg that cannot be read or has error diagnostics (the vm.cfg). */
export const parseErrorRule: Rule = {
  id: "parse-error",
  title: "vm.cfg cannot be read or has errors",
  description: "A vm.cfg that cannot be read or has error diagnostics: its disk list cannot be trusted.",
  defaultSeverity: "error",
  run: ({ owners }) =>
    owners
      .filter((owner) => !owner.ok)
      .map((owner) => {
        const first = owner.diagnostics.find((d) => d.severity === "error");
        const why = first ? `${first.code}: ${first.message}` : "it could not be read";
        return atConfig(
          owner,
          `The ${owner.type} ${ownerLabel(owner)} cannot be trusted: ${why}`,
          first?.line ?? null,
        );
      }),
};
