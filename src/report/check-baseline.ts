// The `baseline` format: the policy file again, its baseline replaced by the fingerprints of today's findings.
import type { CheckResult, Policy } from "../schema/check.js";
import { stringifyJson } from "./text.js";

/**
 * Render `policy` with `baseline` set to every finding that is not ignored (open or already baselined), sorted:
 * a policy file a team can adopt so that only new problems fail. Entries that no longer match drop out.
 */
export function renderBaseline(result: CheckResult, policy: Policy): string {
  const known = result.findings.filter((finding) => finding.suppressedBy !== "ignore");
  const baseline = [...new Set(known.map((finding) => finding.fingerprint))].sort();
  return `${stringifyJson({ ...policy, baseline })}\n`;
}
