// Pure text rendering of a CheckResult for people: findings grouped by rule, control characters escaped.
import type { CheckResult, Finding, RuleInfo } from "../schema/check.js";
import { summaryLine } from "./check-location.js";
import { escapeText, incompleteLines } from "./text.js";

/** `repository/file:line`, escaped; `-` for what is in no repository. */
function place(repository: string | null, file: string | null, line: number | null): string {
  const where = repository === null ? (file ?? "-") : `${repository}/${file ?? ""}`;
  return escapeText(line === null ? where : `${where}:${line}`);
}

/** One finding: its subject and message, then where it comes from and why it is suppressed. */
function findingLines(finding: Finding): string[] {
  const lines = [
    `  ${place(finding.repository, finding.file, finding.line)}`,
    `      ${escapeText(finding.message)}`,
  ];
  if (finding.source) {
    lines.push(`      from ${place(finding.source.repository, finding.source.file, finding.source.line)}`);
  }
  if (finding.suppression !== null) lines.push(`      suppressed: ${escapeText(finding.suppression)}`);
  return lines;
}

/** A rule's heading and findings, unsuppressed first. */
function ruleLines(rule: RuleInfo, findings: Finding[]): string[] {
  const open = findings.filter((finding) => !finding.suppressed);
  const suppressed = findings.length - open.length;
  const count = `${open.length}${suppressed > 0 ? ` + ${suppressed} suppressed` : ""}`;
  return [
    `${rule.severity} ${rule.id} (${count}): ${escapeText(rule.title)}`,
    ...[...open, ...findings.filter((finding) => finding.suppressed)].flatMap(findingLines),
    "",
  ];
}

/** Render a CheckResult as text: one block per rule that found something, then the summary. */
export function renderCheckText(result: CheckResult): string {
  const blocks = result.rules.flatMap((rule) => {
    const findings = result.findings.filter((finding) => finding.ruleId === rule.id);
    return findings.length === 0 ? [] : ruleLines(rule, findings);
  });
  const off = result.rules.filter((rule) => rule.severity === "off").map((rule) => rule.id);
  const checked = `${result.rules.length - off.length} rules checked${off.length > 0 ? ` (off: ${off.join(", ")})` : ""}`;
  return [...incompleteLines(result), ...blocks, `${summaryLine(result.summary)}; ${checked}`, ""].join("\n");
}
