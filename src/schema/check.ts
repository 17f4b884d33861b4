// Schemas of the `check` document and of the policy file.
import { z } from "zod";
import { CompletenessFields } from "./diagnostic.js";

/** Severity of a finding, in SARIF's words. */
export const FindingSeveritySchema = z.enum(["error", "warning", "note"]);
/** Severity of a finding. */
export type FindingSeverity = z.infer<typeof FindingSeveritySchema>;

/** Where a finding comes from, when that is not the file it is about. */
export const FindingSourceSchema = z.object({
  repository: z.string(),
  file: z.string(),
  line: z.number().int().nullable(),
});
/** Where a finding comes from. */
export type FindingSource = z.infer<typeof FindingSourceSchema>;

/** A rule's setting in the policy file: a severity, or `off`. */
export const RuleSettingSchema = z.enum(["error", "warning", "note", "off"]);
/** A rule's setting in the policy file. */
export type RuleSetting = z.infer<typeof RuleSettingSchema>;

/** One finding of one rule about one subject. */
export const FindingSchema = z.object({
  ruleId: z.string(),
  severity: FindingSeveritySchema,
  message: z.string(),
  repository: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  source: FindingSourceSchema.nullable(),
  suppressed: z.boolean(),
  /** Why it is suppressed (an ignore's reason, or `baseline`), null when it is not. */
  suppression: z.string().nullable(),
  /** What suppressed it: an `ignore` entry of the policy, or its `baseline`; null when it is not suppressed. */
  suppressedBy: z.enum(["ignore", "baseline"]).nullable(),
  /** Stable identity for baselines: rule, repository and file (never the line). */
  fingerprint: z.string(),
});
/** One finding. */
export type Finding = z.infer<typeof FindingSchema>;

/** A rule as the report describes it. */
export const RuleInfoSchema = z.object({
  id: z.string(),
  /** A few words, for lists of rules (SARIF `shortDescription`). */
  title: z.string(),
  description: z.string(),
  defaultSeverity: FindingSeveritySchema,
  severity: RuleSettingSchema,
});
/** A rule as the report describes it. */
export type RuleInfo = z.infer<typeof RuleInfoSchema>;

/** The `check` document. */
export const CheckResultSchema = z.object({
  findings: z.array(FindingSchema),
  summary: z.object({
    errors: z.number().int(),
    warnings: z.number().int(),
    notes: z.number().int(),
    suppressed: z.number().int(),
  }),
  rules: z.array(RuleInfoSchema),
  /** Repository id → scanned root, for locations (SARIF `originalUriBaseIds`). */
  roots: z.record(z.string(), z.string()),
  ...CompletenessFields,
});
/** The `check` document. */
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** The policy file (`--policy FILE`). */
export const PolicySchema = z.strictObject({
  /** Repository roles: `match` is an id, or a glob-like alias pattern (`*` any run of characters). */
  repositories: z
    .array(z.strictObject({ match: z.string().min(1), role: z.enum(["guests", "resources"]).nullable() }))
    .default([]),
  /** Severity per rule id, or `off`. */
  rules: z.record(z.string(), RuleSettingSchema).default({}),
  /** Findings to ignore, each with a reason that stays visible in the report. */
  ignore: z
    .array(
      z.strictObject({
        rule: z.string().min(1),
        repository: z.string().optional(),
        file: z.string().optional(),
        reason: z.string().min(1),
      }),
    )
    .default([]),
  /** Fingerprints of known findings: they are reported as suppressed, new ones fail. */
  baseline: z.array(z.string()).default([]),
});
/** The policy file. */
export type Policy = z.infer<typeof PolicySchema>;
