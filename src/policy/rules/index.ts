// The rule registry: every rule `check` runs, in report order.
import type { Rule } from "../rule.js";
import { crossRepositoryDiskRule } from "./cross-repository-disk.js";
import { duplicateUuidRule } from "./duplicate-uuid.js";
import { guestInResourceRepositoryRule } from "./guest-in-resource-repository.js";
import { hardLinkedDiskRule } from "./hard-linked-disk.js";
import { invalidDiskTargetRule } from "./invalid-disk-target.js";
import { missingDiskRule } from "./missing-disk.js";
import { orphanDiskRule } from "./orphan-disk.js";
import { parseErrorRule } from "./parse-error.js";
import { resourceInGuestRepositoryRule } from "./resource-in-guest-repository.js";
import { sharedDiskRule } from "./shared-disk.js";
import { unsafeSymlinkRule } from "./unsafe-symlink.js";

/** Every rule, in the order findings are reported. */
export const rules: readonly Rule[] = [
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
];
