// What a rule is: an id, a description, a default severity and a function from the estate to findings.
import type { EstateGraph } from "../graph/index.js";
import type { FindingSeverity, FindingSource, Owner, Repository, ScanResult } from "../schema/index.js";

/** What a rule reports before the policy applies severities, ignores and the baseline. */
export interface RawFinding {
  message: string;
  /** The repository id of the subject, null when the subject is in no scanned repository. */
  repository: string | null;
  /** The subject, relative to the repository root. */
  file: string | null;
  line: number | null;
  /** The vm.cfg that caused the finding when that is not the subject itself. */
  source: FindingSource | null;
}

/** The estate as the rules see it: the scan, its dependency graph and indexes built once for all rules. */
export interface RuleContext {
  scan: ScanResult;
  graph: EstateGraph;
  /** Every guest and template. */
  owners: Owner[];
  /** Guests and templates by owner reference. */
  ownersByRef: Map<string, Owner>;
  repositories: Map<string, Repository>;
}

/** One integrity or segregation rule. */
export interface Rule {
  id: string;
  /** A few words, for lists of rules (SARIF `shortDescription`). */
  title: string;
  description: string;
  defaultSeverity: FindingSeverity;
  run(context: RuleContext): RawFinding[];
}

/** A finding about an owner's vm.cfg. */
export function atConfig(owner: Owner, message: string, line: number | null = null): RawFinding {
  return { message, repository: owner.repository, file: owner.config, line, source: null };
}

/** An owner as people know it: `NAME (REF)` with its simple name (or `name`), else its reference. */
export function ownerLabel(owner: Owner | undefined, ref: string = owner?.ref ?? ""): string {
  const name = owner?.simpleName ?? owner?.name ?? null;
  return name === null || name === "" || name === ref ? ref : `${name} (${ref})`;
}
