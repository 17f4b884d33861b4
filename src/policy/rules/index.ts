// The rule registry: every rule `check` runs, in report order.
import type { Rule } from "../rule.js";
import { crossRepositoryDiskRule } from "./cross-repository-disk.js";
import { duplicateUuidRule } from "./duplicate-uuid.js";
import { externalDiskRule } from "./external-disk.js";
import { guestInResourceRepositoryRule } from "./guest-in-resource-repository.js";
import { hardLinkedDiskRule } from "./hard-linked-disk.js";
import { invalidDiskTargetRule } from "./invalid-disk-target.js";
import { missingDiskRule } from "./missing-disk.js";
import { orphanDiskRule } from "./orphan-disk.js";
import { parseErrorRule } from "./parse-error.js";
import { pathEscapesRepositoryRule } from "./path-escapes-repository.js";
import { resourceInGuestRepositoryRule } from "./resource-in-guest-repository.js";
import { scanIncompleteRule } from "./scan-incomplete.js";
import { sharedDiskRule } from "./shared-disk.js";
import { unsafeSymlinkRule } from "./unsafe-symlink.js";

/** Every rule, in the order findings are reported. */
export const rules: readonly Rule[] = [
  scanIncompleteRule,
  parseErrorRule,
  missingDiskRule,
  invalidDiskTargetRule,
  orphanDiskRule,
  sharedDiskRule,
  hardLinkedDiskRule,
  crossRepositoryDiskRule,
  duplicateUuidRule,
  guestInResourceRepositoryRule,
  resourceInGuestRepositoryRule,
  unsafeSymlinkRule,
  pathEscapesRepositoryRule,
  externalDiskRule,
];
