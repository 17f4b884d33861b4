// ovm-deps: the public API. Named re-exports only, grouped by pipeline stage; each stage is usable on its own.
// Every name is documented where it is declared and listed in docs/library.md (test/api/public-api.test.ts).
// Helpers the stages use among themselves stay in their modules: tests import those from there.

// parse: a vm.cfg, and one disk entry of it (src/parse)

export { atLeast, eachProblemOnce, type Position, withReferences } from "./diagnostics.js";
export { type DiskSpecResult, parseDiskSpec } from "./parse/disk-spec.js";
export {
  type Assignment,
  MAX_SOURCE_BYTES,
  parseVmCfg,
  rewriteVmCfg,
  type VmCfgEdit,
  type VmCfgResult,
  type VmCfgRewrite,
} from "./parse/index.js";

// scan: repository trees → inventory (src/scan)

export {
  checksumPlan,
  completenessOf,
  type DeferredScan,
  defaultCacheDir,
  fileSha256,
  gapsOf,
  type IoMode,
  ParseCache,
  type ParseCacheOptions,
  type ParseCacheStats,
  type RebuildSourceOptions,
  type RoleRule,
  readAsNewSources,
  readInputFile,
  readRebuildSources,
  type ScanOptions,
  sameContent,
  scanDeferred,
  scanRepositories,
  type Threads,
  treeHolding,
  writeFileAtomically,
} from "./scan/index.js";

// graph: the dependency graph, the node keys and the queries a graph consumer needs (src/graph)

export {
  assemblyKey,
  buildGraph,
  type CrossRepositoryReference,
  crossRepositoryReferences,
  disksOf,
  type EdgeAttributes,
  type Estate,
  type EstateGraph,
  estateOf,
  fileKey,
  guestsOf,
  isShared,
  type NodeAttributes,
  neighbourhoodOf,
  nfsKey,
  nodeOfFile,
  nodeOfReference,
  orphanFiles,
  ownerKey,
  ownerOfConfig,
  possibleUsersOfFile,
  referenceKey,
  repositoryKey,
  scopeGraph,
  serializeGraph,
  unreadableOwners,
  usersOf,
  usersOfFile,
} from "./graph/index.js";

// plan and restore: per-guest backup sets, the resource set, safe selective restore (src/plan)

export {
  type AsNewOptions,
  DEFAULT_SUFFIX,
  type IntoError,
  isIntoError,
  isSelectionError,
  type PlanOptions,
  planBackup,
  planResources,
  planRestore,
  planRestoreAsNew,
  planTargetedRestore,
  type RestoreOptions,
  rebuildSheet,
  type Selection,
  type SelectionError,
  type SelectionProblem,
  selectGraphScope,
  selectOwners,
  selectRepositories,
  type TargetedRestore,
  type VerifyOptions,
  verifyManifest,
} from "./plan/index.js";

// check: integrity and segregation rules, the policy file (src/policy)

export { checkEstate } from "./policy/check.js";
export { type PolicyParse, parsePolicy } from "./policy/policy-file.js";

// report: pure renderers of each document, byte for byte what the CLI prints (src/report) — parse and scan

export { renderParseText } from "./report/parse-text.js";
export { renderScanText } from "./report/scan-text.js";
export { escapeText, formatDiagnostic, jsonChunks } from "./report/text.js";

// report: graph

export { dotChunks, renderDot } from "./report/dot.js";
export {
  MERMAID_LIMITS,
  type MermaidChart,
  type MermaidLimits,
  mermaidChart,
  renderMermaid,
} from "./report/mermaid.js";

// report: plan and restore

export { type ListOutput, planListPaths, renderPathList } from "./report/plan-list.js";
export { renderPlanText, renderResourcesText } from "./report/plan-text.js";
export { renderAsNewScript, renderAsNewText } from "./report/restore-as-new.js";
export { renderRestoreList } from "./report/restore-list.js";
export { ownerLabel } from "./report/restore-refusal.js";
export { renderRestoreText } from "./report/restore-text.js";

// report: rebuild

export { renderRebuildExclude, renderRebuildMarkdown, renderRebuildText } from "./report/rebuild.js";

// report: any document by kind and format — the reporter registry the commands and `format` print through

export {
  type DocumentKind,
  type Documents,
  documentKinds,
  type FailOn,
  formatsOf,
  type KnownDocument,
  type Recognition,
  type Rendered,
  type RenderedChunks,
  type RenderOptions,
  recognizeDocument,
  renderDocument,
  renderDocumentChunks,
  renderJson,
} from "./report/registry.js";

// report: the HTML report of an estate (src/report/html)

export {
  type CompactGraph,
  type ReportData,
  type ReportDocuments,
  type ReportOptions,
  type ReportRepository,
  type ReportRow,
  reportData,
} from "./report/html/data.js";
export { renderReport } from "./report/html/page.js";

// report: check

export { renderBaseline } from "./report/check-baseline.js";
export { renderCheckText } from "./report/check-text.js";
export { renderGithub } from "./report/github.js";
export { renderJunit } from "./report/junit.js";
export { renderSarif, type SarifTool } from "./report/sarif.js";

// schema: the zod schemas of every JSON document ovm-deps reads or writes, and their types (src/schema)

export {
  type Access,
  AccessSchema,
  type Area,
  AreaSchema,
  type AsNewFile,
  AsNewFileSchema,
  type AsNewKept,
  AsNewKeptSchema,
  type AsNewRestore,
  AsNewRestoreSchema,
  type AsNewSources,
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
  type Gap,
  GapSchema,
  type GraphScope,
  GraphScopeSchema,
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
  type RebuildAddress,
  RebuildAddressSchema,
  type RebuildDisk,
  RebuildDiskSchema,
  type RebuildSheet,
  RebuildSheetSchema,
  type RebuildSources,
  type Reference,
  type ReferenceKind,
  ReferenceKindSchema,
  type ReferencePosition,
  ReferencePositionSchema,
  ReferenceSchema,
  type Repository,
  type RepositoryFile,
  RepositoryFileSchema,
  RepositorySchema,
  type Resource,
  type ResourceFile,
  ResourceFileSchema,
  type ResourcePlan,
  ResourcePlanSchema,
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
  type VerifiedFile,
  VerifiedFileSchema,
  type VerifyResult,
  VerifyResultSchema,
  type Vif,
  VifSchema,
  type Warning,
  WarningSchema,
} from "./schema/index.js";
