// Shared by the check renderers: where a finding is shown (its vm.cfg line, else its subject) and the summary.
import type { CheckResult, Finding } from "../schema/check.js";

/** `check --fail-on`: the lowest severity of an unsuppressed finding that makes the exit status 1. */
export type FailOn = "error" | "warning" | "never";

/** The finding severities that fail at each `--fail-on`. */
const FAILING: Record<FailOn, ReadonlySet<Finding["severity"]>> = {
  error: new Set(["error"]),
  warning: new Set(["error", "warning"]),
  never: new Set(),
};

/** True when `finding` fails the check at `failOn`: unsuppressed and at or above the threshold. */
export function failsAt(finding: Finding, failOn: FailOn): boolean {
  return !finding.suppressed && FAILING[failOn].has(finding.severity);
}

/** A place in a scanned repository: repository id, path relative to its root, 1-based line when known. */
export interface FindingLocation {
  repository: string;
  file: string;
  line: number | null;
}

/**
 * The location CI tools should annotate: the `source` vm.cfg line when the finding has one (a missing file
 * cannot be annotated, the line naming it can), else the subject; null when the subject is in no repository.
 */
export function findingLocation(finding: Finding): FindingLocation | null {
  if (finding.source) return finding.source;
  if (finding.repository === null || finding.file === null) return null;
  return { repository: finding.repository, file: finding.file, line: finding.line };
}

/** `1 error`, `2 warnings`: a count with its noun. */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The summary line every human-facing format ends with. */
export function summaryLine(summary: CheckResult["summary"]): string {
  const { errors, warnings, notes, suppressed } = summary;
  return `${counted(errors, "error")}, ${counted(warnings, "warning")}, ${counted(notes, "note")}, ${suppressed} suppressed`;
}
