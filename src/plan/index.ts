// Backup sets and restore plans: what to copy for a guest, and whether copying it back is safe.
export { type PlanOptions, planBackup, planResources } from "./backup.js";
export { rebuildSheet } from "./rebuild.js";
export { planRestore, type RestoreOptions } from "./restore.js";
export {
  type AsNewOptions,
  DEFAULT_SUFFIX,
  type IntoError,
  isIntoError,
  planRestoreAsNew,
} from "./restore-as-new.js";
export {
  isSelectionError,
  type Selection,
  type SelectionError,
  type SelectionProblem,
  selectGraphScope,
  selectOwners,
  selectRepositories,
} from "./select.js";
export { planTargetedRestore, type TargetedRestore } from "./targeted-restore.js";
export { type VerifyOptions, verifyManifest } from "./verify.js";
