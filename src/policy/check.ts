// The check runner: runs every rule that is not off, then applies the policy's severities, ignores and baseline.
import { type Estate, estateOf } from "../graph/index.js";
import { completenessOf } from "../scan/completeness.js";
import { matchesPattern } from "../scan/pattern.js";
import {
  type CheckResult,
  type Finding,
  type Policy,
  PolicySchema,
  type Repository,
  type RuleInfo,
  type ScanResult,
} from "../schema/index.js";
import type { RawFinding, RuleContext } from "./rule.js";
import { rules } from "./rules/index.js";

/** The identity of a finding in a baseline: rule, repository and file, never the line (edits move lines). */
export function fingerprintOf(ruleId: string, repository: string | null, file: string | null): string {
  return `${ruleId}:${repository ?? "-"}/${file ?? "-"}`;
}

/** A finding's subject as one sortable string. */
const subjectOf = (raw: RawFinding): string => `${raw.repository ?? ""}\u0000${raw.file ?? ""}`;

/** Code-unit order, the same on every machine (no locale). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The graph (built once, unless given) and indexes for all rules. */
function contextOf(input: ScanResult | Estate): RuleContext {
  const { scan, graph } = estateOf(input);
  const owners = [...scan.guests, ...scan.templates];
  return {
    scan,
    graph,
    owners,
    ownersByRef: new Map(owners.map((owner) => [owner.ref, owner])),
    repositories: new Map(scan.repositories.map((repository) => [repository.id, repository])),
  };
}

/** The ignore entry's reason when it covers the finding; a repository is matched by any of its names. */
function ignoredBecause(
  policy: Policy,
  ruleId: string,
  raw: RawFinding,
  repository: Repository | undefined,
): string | null {
  const names = repository
    ? [repository.id, ...repository.names, ...(repository.alias ? [repository.alias] : [])]
    : [];
  const entry = policy.ignore.find(
    (ignore) =>
      ignore.rule === ruleId &&
      (ignore.repository === undefined ||
        names.some((name) => matchesPattern(ignore.repository ?? "", name))) &&
      (ignore.file === undefined || (raw.file !== null && matchesPattern(ignore.file, raw.file))),
  );
  return entry?.reason ?? null;
}

/**
 * Check an estate — a scan, or the estate model when the caller has built its graph — against the rules
 * and a policy (default: every rule at its default severity).
 */
export function checkEstate(
  input: ScanResult | Estate,
  policy: Policy = PolicySchema.parse({}),
): CheckResult {
  const context = contextOf(input);
  const { scan } = context;
  const baseline = new Set(policy.baseline);
  const findings: Finding[] = [];
  const infos: RuleInfo[] = [];
  for (const rule of rules) {
    const setting = policy.rules[rule.id] ?? rule.defaultSeverity;
    infos.push({
      id: rule.id,
      title: rule.title,
      description: rule.description,
      defaultSeverity: rule.defaultSeverity,
      severity: setting,
    });
    if (setting === "off") continue;
    const raws = rule.run(context).sort((a, b) => compare(subjectOf(a), subjectOf(b)));
    for (const raw of raws) {
      const fingerprint = fingerprintOf(rule.id, raw.repository, raw.file);
      const reason = ignoredBecause(policy, rule.id, raw, context.repositories.get(raw.repository ?? ""));
      const suppressedBy = reason !== null ? "ignore" : baseline.has(fingerprint) ? "baseline" : null;
      findings.push({
        ruleId: rule.id,
        severity: setting,
        ...raw,
        suppressed: suppressedBy !== null,
        suppression: suppressedBy === "baseline" ? "baseline" : reason,
        suppressedBy,
        fingerprint,
      });
    }
  }
  const counted = findings.filter((finding) => !finding.suppressed);
  return {
    findings,
    summary: {
      errors: counted.filter((finding) => finding.severity === "error").length,
      warnings: counted.filter((finding) => finding.severity === "warning").length,
      notes: counted.filter((finding) => finding.severity === "note").length,
      suppressed: findings.length - counted.length,
    },
    rules: infos,
    roots: Object.fromEntries(scan.repositories.map((repository) => [repository.id, repository.root])),
    ...completenessOf(scan),
  };
}
