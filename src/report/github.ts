// Pure rendering of a CheckResult as GitHub Actions workflow commands (annotations on the files).
import path from "node:path";
import type { CheckResult, Finding } from "../schema/check.js";
import { findingLocation, summaryLine } from "./check-location.js";
import { escapeText } from "./text.js";

const COMMAND: Record<Finding["severity"], string> = { error: "error", warning: "warning", note: "notice" };

/**
 * Escape a workflow command's message: control characters made visible as in every other format (`\x1b`,
 * `\r`: the Actions log would render an ESC sequence, a terminal would execute it), then `%`, CR and LF as
 * @actions/core does (none are left after the first step, but the encoding stays the runner's own).
 */
export function escapeData(text: string): string {
  return escapeText(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a workflow command's property value: the message's escapes plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** The annotated file: relative to `cwd` (the workspace) when inside it, else (or with no `cwd`) absolute. */
function annotatedFile(result: CheckResult, repository: string, file: string, cwd: string | null): string {
  const absolute = path.posix.join(result.roots[repository] ?? "/", file);
  if (cwd === null) return absolute;
  const relative = path.posix.relative(cwd, absolute);
  return relative.startsWith("../") || relative === ".." ? absolute : relative;
}

/** One finding as a workflow command, at its vm.cfg line when it has a source. */
function command(result: CheckResult, finding: Finding, cwd: string | null): string {
  const location = findingLocation(finding);
  const properties = [
    ...(location
      ? [`file=${escapeProperty(annotatedFile(result, location.repository, location.file, cwd))}`]
      : []),
    ...(location?.line != null ? [`line=${location.line}`] : []),
    `title=${escapeProperty(`ovm-deps ${finding.ruleId}`)}`,
  ];
  return `::${COMMAND[finding.severity]} ${properties.join(",")}::${escapeData(finding.message)}`;
}

/**
 * Render a CheckResult as workflow commands: one annotation per unsuppressed finding; suppressed findings
 * and the summary are plain log lines (visible in the log, never annotations). `cwd` is the workspace
 * (null: annotate absolute paths).
 */
export function renderGithub(result: CheckResult, cwd: string | null): string {
  const open = result.findings.filter((finding) => !finding.suppressed);
  const suppressed = result.findings.filter((finding) => finding.suppressed);
  // A run that could not see everything fails loudly, even when every rule is off or suppressed.
  const incomplete = (result.incomplete ?? []).map(
    (gap) =>
      `::error title=ovm-deps: could not read::${escapeData(`${gap.code}: ${gap.message}${gap.file === null ? "" : ` (${gap.file})`}`)}`,
  );
  return [
    ...incomplete,
    ...open.map((finding) => command(result, finding, cwd)),
    ...suppressed.map(
      (finding) =>
        `suppressed ${finding.ruleId} ${escapeData(`${finding.repository}/${finding.file}`)}: ${escapeData(finding.suppression ?? "")}`,
    ),
    `ovm-deps check: ${summaryLine(result.summary)}`,
    "",
  ].join("\n");
}
