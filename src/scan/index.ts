// The scanner: repository trees → inventory of repositories, guests, templates and their classified disks.

export { readAsNewSources } from "./as-new-sources.js";
export { checksumPlan, fileSha256 } from "./checksum.js";
export { completenessOf, gapsOf } from "./completeness.js";
export type { DeferredScan } from "./deferred.js";
export { readInputFile, sameContent, treeHolding, writeFileAtomically } from "./io.js";
export type { IoMode, RoleRule, ScanOptions, Threads } from "./options.js";
export {
  defaultCacheDir,
  ParseCache,
  type ParseCacheOptions,
  type ParseCacheStats,
} from "./parse-cache.js";
export { type RebuildSourceOptions, readRebuildSources } from "./rebuild-sources.js";
export { scanDeferred, scanRepositories } from "./scan.js";
