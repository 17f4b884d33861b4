// Pure JUnit XML rendering of a CheckResult: one test case per rule; failures carry the rule's findings.
import type { CheckResult, Finding, RuleInfo } from "../schema/check.js";
import { type FailOn, failsAt, findingLocation } from "./check-location.js";
import { escapeText } from "./text.js";

// Characters XML 1.0 does not allow at all, not even as character references.
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escape text for an XML attribute or element; characters XML cannot hold are written as `\xNN`/`\uNNNN`. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u${code.toString(16).padStart(4, "0")}`;
    })
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

/**
 * One finding as a line of a failure's text: `repository/file:line: message`, control characters made visible
 * as in every other format (a name's line break would otherwise pass for a second finding).
 */
function findingLine(finding: Finding): string {
  return escapeText(findingText(finding));
}

function findingText(finding: Finding): string {
  const location = findingLocation(finding);
  const where =
    location === null
      ? "-"
      : `${location.repository}/${location.file}${location.line === null ? "" : `:${location.line}`}`;
  const subject = finding.source && finding.file !== null ? ` [${finding.repository}/${finding.file}]` : "";
  const suppressed = finding.suppressed ? ` (suppressed: ${finding.suppression})` : "";
  return `${finding.severity} ${where}${subject}: ${finding.message}${suppressed}`;
}

/** A rule fails its test case with its unsuppressed findings that reach `--fail-on`; the others only inform. */
function failing(findings: Finding[], failOn: FailOn): Finding[] {
  return findings.filter((f) => failsAt(f, failOn));
}

/** A rule's test case: failed as above, skipped when it is off; the other findings in its output. */
function testCase(rule: RuleInfo, findings: Finding[], failOn: FailOn): string {
  const failures = failing(findings, failOn);
  const informative = findings.filter((finding) => !failures.includes(finding));
  const attributes = `classname="ovm-deps.check" name="${escapeXml(rule.id)}"`;
  const body: string[] = [];
  if (rule.severity === "off") {
    body.push(`      <skipped message="rule is off in the policy file"/>`);
  } else if (failures.length > 0) {
    const message = `${failures.length} ${rule.severity} finding${failures.length === 1 ? "" : "s"}: ${rule.title}`;
    body.push(
      `      <failure type="${rule.severity}" message="${escapeXml(escapeText(message))}">${escapeXml(failures.map(findingLine).join("\n"))}</failure>`,
    );
  }
  // Findings below --fail-on and suppressed ones stay visible (suppressed with their reasons) without failing.
  if (informative.length > 0) {
    body.push(`      <system-out>${escapeXml(informative.map(findingLine).join("\n"))}</system-out>`);
  }
  return body.length === 0
    ? `    <testcase ${attributes}/>`
    : [`    <testcase ${attributes}>`, ...body, "    </testcase>"].join("\n");
}

/**
 * Render a CheckResult as JUnit XML: one test suite, one test case per rule. A case fails only with findings
 * that reach `failOn` (as `check --fail-on` does for the exit status; default `error`).
 */
export function renderJunit(result: CheckResult, failOn: FailOn = "error"): string {
  const findingsOf = (rule: RuleInfo): Finding[] =>
    result.findings.filter((finding) => finding.ruleId === rule.id);
  const failures = result.rules.filter((rule) => failing(findingsOf(rule), failOn).length > 0).length;
  const skipped = result.rules.filter((rule) => rule.severity === "off").length;
  // A run that could not see everything is an error of the suite itself, whatever the rules found.
  const gaps = result.incomplete ?? [];
  const incomplete =
    result.complete === false
      ? [
          `    <testcase classname="ovm-deps.check" name="scan-complete">`,
          `      <error message="${escapeXml(`${gaps.length} thing(s) could not be read`)}" type="scan-incomplete">${escapeXml(gaps.map((g) => escapeText(`${g.code}: ${g.message}${g.file === null ? "" : ` (${g.file})`}`)).join("\n"))}</error>`,
          "    </testcase>",
        ]
      : [];
  const tests = result.rules.length + (incomplete.length > 0 ? 1 : 0);
  const errors = incomplete.length > 0 ? 1 : 0;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="ovm-deps check" ${counts}>`,
    `  <testsuite name="ovm-deps check" ${counts}>`,
    ...incomplete,
    ...result.rules.map((rule) => testCase(rule, findingsOf(rule), failOn)),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
