// duplicate-uuid: the same guest uuid in more than one vm.cfg (a copied vm.cfg confuses the Manager).
import { uuidKey } from "../../parse/index.js";
import type { Owner } from "../../schema/index.js";
import { atConfig, ownerLabel, type RawFinding, type Rule } from "../rule.js";

/** The same uuid in more than one vm.cfg (each vm.cfg); uuids compare without dashes, in any case. */
export const duplicateUuidRule: Rule = {
  id: "duplicate-uuid",
  title: "Same uuid in several vm.cfg files",
  description:
    "The same uuid in more than one vm.cfg, usually a vm.cfg copied by hand: Oracle VM Manager cannot tell the guests apart.",
  defaultSeverity: "error",
  run: ({ owners }) => {
    const byUuid = new Map<string, Owner[]>();
    for (const owner of owners) {
      if (owner.uuid === null) continue;
      const key = uuidKey(owner.uuid);
      byUuid.set(key, [...(byUuid.get(key) ?? []), owner]);
    }
    const findings: RawFinding[] = [];
    for (const same of byUuid.values()) {
      if (same.length < 2) continue;
      for (const owner of same) {
        const others = same.filter((other) => other !== owner).map((other) => ownerLabel(other));
        findings.push(
          atConfig(owner, `uuid ${owner.uuid} of ${ownerLabel(owner)} is also in ${others.join(", ")}`),
        );
      }
    }
    return findings;
  },
};
