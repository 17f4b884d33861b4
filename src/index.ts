// ovm-deps: the public API. Named re-exports only; each stage is usable on its own.

export type { Position } from "./diagnostics.js";
export { diagnostic, hasErrors } from "./diagnostics.js";
// graph: the dependency graph, its node keys and queries (src/graph)
export {
  assemblyKey,
  buildGraph,
  type CrossRepositoryReference,
  crossRepositoryReferences,
  disksOf,
  type EdgeAttributes,
  type EstateGraph,
  fileKey,
  guestsOf,
  type NodeAttributes,
  nfsKey,
  normaliseExport,
  ownerKey,
  referenceKey,
  refOfKey,
  repositoryKey,
  serializeGraph,
  usersOf,
} from "./graph/index.js";
// parse: the disk-spec parser (src/parse/disk-spec.ts)
export { type DiskSpecResult, parseDiskSpec } from "./parse/disk-spec.js";
// parse: the vm.cfg reader (src/parse) and its text report
export { type Assignment, parseVmCfg, type VmCfgResult } from "./parse/index.js";
// plan: per-guest backup sets, resource sets and safe selective restore (src/plan, src/report/plan-*, restore-*)
export {
  isSelectionError,
  type PlanOptions,
  planBackup,
  planResources,
  planRestore,
  type RestoreOptions,
  type Selection,
  type SelectionError,
  type SelectionProblem,
  selectOwners,
} from "./plan/index.js";
// policy: integrity and segregation checks, the policy file (src/policy)
export { checkEstate, fingerprintOf } from "./policy/check.js";
export {
  findJsonSyntaxError,
  type JsonPath,
  type JsonSyntaxError,
  lineColumnAt,
  locateJsonPath,
} from "./policy/json-syntax.js";
export { POLICY_INVALID, type PolicyParse, parsePolicy } from "./policy/policy-file.js";
export type { RawFinding, Rule, RuleContext } from "./policy/rule.js";
export { rules as checkRules } from "./policy/rules/index.js";
// report: check renderers (src/report/check-*.ts, sarif.ts, junit.ts, github.ts)
export { renderBaseline } from "./report/check-baseline.js";
export { type FindingLocation, findingLocation } from "./report/check-location.js";
export { renderCheckText } from "./report/check-text.js";
export { renderDot } from "./report/dot.js";
export { escapeData, escapeProperty, renderGithub } from "./report/github.js";
export { escapeXml, renderJunit } from "./report/junit.js";
export { renderMermaid } from "./report/mermaid.js";
export { codeFrame, renderParseText } from "./report/parse-text.js";
export { type ListOutput, planListPaths, renderPathList } from "./report/plan-list.js";
export { renderPlanText, renderResourcesText } from "./report/plan-text.js";
// report: the reporter registry, one renderer per document and format, and saved-document recognition
export {
  type DocumentKind,
  type Documents,
  documentKinds,
  type FailOn,
  formatsOf,
  type KnownDocument,
  type Recognition,
  type Rendered,
  type RenderOptions,
  recognizeDocument,
  renderDocument,
  renderJson,
} from "./report/registry.js";
export { renderRestoreList } from "./report/restore-list.js";
export { renderRestoreText } from "./report/restore-text.js";
export { renderSarif, type SarifTool } from "./report/sarif.js";
// report: scan text and diagnostic lines (src/report/scan-text.ts)
export { renderScanText } from "./report/scan-text.js";
export { escapeText, formatDiagnostic } from "./report/text.js";
export { type Containment, checkContainment } from "./scan/containment.js";
// scan: repository trees → inventory (src/scan)
export {
  type IoMode,
  type RoleRule,
  type ScanOptions,
  scanRepositories,
  type Threads,
} from "./scan/index.js";
export {
  type Access,
  AccessSchema,
  type Area,
  AreaSchema,
  type Blocked,
  BlockedSchema,
  type BlockReason,
  BlockReasonSchema,
  type Capacity,
  CapacitySchema,
  type CheckResult,
  CheckResultSchema,
  type Coverage,
  CoverageSchema,
  type Diagnostic,
  DiagnosticSchema,
  type Disk,
  DiskSchema,
  type EdgeKind,
  EdgeKindSchema,
  type Finding,
  FindingSchema,
  type FindingSeverity,
  FindingSeveritySchema,
  type FindingSource,
  FindingSourceSchema,
  type GuestConfig,
  GuestConfigSchema,
  type GuestIdentity,
  GuestIdentitySchema,
  type LocatedDisk,
  LocatedDiskSchema,
  type NfsMount,
  NfsMountSchema,
  type NodeKind,
  NodeKindSchema,
  type Outside,
  OutsideSchema,
  type Owner,
  OwnerSchema,
  type ParseDocument,
  ParseDocumentSchema,
  type ParsedFile,
  ParsedFileSchema,
  type Plan,
  type PlanFile,
  PlanFileSchema,
  type PlanResult,
  PlanResultSchema,
  PlanSchema,
  type Policy,
  PolicySchema,
  type PyJson,
  PyJsonSchema,
  type Reference,
  type ReferenceKind,
  ReferenceKindSchema,
  ReferenceSchema,
  type Repository,
  type RepositoryFile,
  RepositoryFileSchema,
  RepositorySchema,
  type Resource,
  ResourceSchema,
  type RestoreAction,
  RestoreActionSchema,
  type RestoreResult,
  RestoreResultSchema,
  type Role,
  RoleSchema,
  type RuleInfo,
  RuleInfoSchema,
  type RuleSetting,
  RuleSettingSchema,
  type ScanResult,
  ScanResultSchema,
  type SerializedGraph,
  SerializedGraphSchema,
  type Severity,
  SeveritySchema,
  type Shared,
  SharedSchema,
  type Vif,
  VifSchema,
  type Warning,
  WarningSchema,
} from "./schema/index.js";
export {
  type ResourceFile,
  ResourceFileSchema,
  type ResourcePlan,
  ResourcePlanSchema,
} from "./schema/plan.js";
