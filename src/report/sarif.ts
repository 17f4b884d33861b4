// Pure SARIF 2.1.0 rendering of a CheckResult, in the shape GitHub code scanning accepts.
import { pathToFileURL } from "node:url";
import type { CheckResult, Finding, RuleInfo } from "../schema/check.js";
import { findingLocation } from "./check-location.js";
import { stringifyJson } from "./text.js";

/** Who made the log: the tool's version and where to read about it. */
export interface SarifTool {
  version: string;
  informationUri: string;
}

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** The `uriBaseId` of a repository: SARIF wants a name, ids may hold any character, so number them. */
function uriBaseIds(result: CheckResult): Map<string, string> {
  return new Map(
    Object.keys(result.roots).map((repository, index) => [repository, `REPOSITORY${index + 1}`]),
  );
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `%`, control characters). */
function relativeUri(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}

/** A folder as a `file://` URI ending in `/`, as `originalUriBaseIds` requires. */
function folderUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/** A rule as `tool.driver.rules` describes it; a rule that is off is listed, disabled. */
function sarifRule(rule: RuleInfo): object {
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    defaultConfiguration:
      rule.severity === "off" ? { level: rule.defaultSeverity, enabled: false } : { level: rule.severity },
    properties: { tags: ["ovm", "storage-repository"] },
  };
}

/** Why a finding is suppressed, in words: an ignore's reason, or the baseline. */
function justification(finding: Finding): string {
  return finding.suppressedBy === "baseline"
    ? "known finding, in the policy file's baseline"
    : (finding.suppression ?? "ignored by the policy file");
}

/** One result: located at the vm.cfg line that caused it, or at its subject; suppressions keep their reason. */
function sarifResult(finding: Finding, ruleIndex: number, bases: Map<string, string>): object {
  const location = findingLocation(finding);
  const physical = (repository: string, file: string, line: number | null): object => ({
    physicalLocation: {
      artifactLocation: {
        uri: relativeUri(file),
        ...(bases.has(repository) ? { uriBaseId: bases.get(repository) } : {}),
      },
      ...(line !== null && line >= 1 ? { region: { startLine: line } } : {}),
    },
  });
  const subject =
    finding.source && finding.repository !== null && finding.file !== null
      ? { relatedLocations: [{ id: 1, ...physical(finding.repository, finding.file, finding.line) }] }
      : {};
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.severity,
    message: { text: finding.message },
    locations: location ? [physical(location.repository, location.file, location.line)] : [],
    ...subject,
    partialFingerprints: { "ovmDepsFinding/v1": finding.fingerprint },
    ...(finding.suppressed
      ? { suppressions: [{ kind: "external", status: "accepted", justification: justification(finding) }] }
      : {}),
  };
}

/** An absolute path as a `file://` URI (each segment percent-encoded). */
function fileUri(file: string): string {
  return `file://${file.split("/").map(encodeURIComponent).join("/")}`;
}

/** Render a CheckResult as a SARIF 2.1.0 log: one run, every rule listed, one result per finding. */
export function renderSarif(result: CheckResult, tool: SarifTool): string {
  const bases = uriBaseIds(result);
  const ruleIndex = new Map(result.rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ovm-deps",
            version: tool.version,
            informationUri: tool.informationUri,
            rules: result.rules.map(sarifRule),
          },
        },
        originalUriBaseIds: Object.fromEntries(
          [...bases].map(([repository, base]) => [
            base,
            {
              uri: folderUri(result.roots[repository] ?? "/"),
              description: { text: `repository ${repository}` },
            },
          ]),
        ),
        // Whether the run saw everything: when it did not, GitHub keeps the open alerts instead of closing
        // every alert the run could not see.
        invocations: [
          {
            executionSuccessful: result.complete !== false,
            toolExecutionNotifications: (result.incomplete ?? []).map((gap) => ({
              level: "error",
              message: { text: `${gap.code}: ${gap.message}` },
              descriptor: { id: gap.code },
              ...(gap.file === null
                ? {}
                : { locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(gap.file) } } }] }),
            })),
          },
        ],
        columnKind: "utf16CodeUnits",
        results: result.findings.map((finding) =>
          sarifResult(finding, ruleIndex.get(finding.ruleId) ?? -1, bases),
        ),
      },
    ],
  };
  return `${stringifyJson(log)}\n`;
}
