// The one Diagnostic shape (docs/json.md), its codes (docs/diagnostics.md), shared by every layer.
import { z } from "zod";

/** How bad a diagnostic is. */
export const SeveritySchema = z.enum(["error", "warning", "info"]);
/** How bad a diagnostic is. */
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * Every diagnostic code ovm-deps emits, each documented in docs/diagnostics.md (a test keeps the two
 * in step). `diagnostic()` takes only these.
 */
export const DIAGNOSTIC_CODES = [
  // the vm.cfg reader
  "binary-file",
  "duplicate-key",
  "file-too-large",
  "invalid-utf8",
  "nesting-too-deep",
  "non-declarative",
  "syntax-error",
  "too-many-diagnostics",
  "unclosed-bracket",
  "unexpected-indent",
  "unterminated-string",
  // the typed configuration
  "invalid-value",
  "not-a-list",
  "not-a-string",
  // disk entries
  "disk-access-defaulted",
  "disk-access-invalid",
  "disk-backendtype-invalid",
  "disk-cdrom-readonly",
  "disk-device-path-assumed",
  "disk-devtype-invalid",
  "disk-format-invalid",
  "disk-parameter-repeated",
  "disk-parameter-unknown",
  "disk-prefix-unknown",
  "disk-spec-empty",
  "disk-spec-invalid",
  "disk-tap-subtype-missing",
  "disk-tap-subtype-unknown",
  "disk-target-missing",
  "disk-type-unknown",
  "disk-vdev-missing",
  // the scan
  "alias-not-used",
  "ambiguous-repository-name",
  "backing-file-unknown",
  "cache-invalid",
  "cache-under-root",
  "cache-unwritable",
  "dangling-symlink",
  "duplicate-repository",
  "fstab-unreadable",
  "guest-backup-ambiguous",
  "guest-backup-unmatched",
  "guest-backups-unreadable",
  "incomplete-vm-cfg",
  "line-break-in-name",
  "metadata-not-read",
  "missing-vm-cfg",
  "no-repositories",
  "non-utf8-name",
  "not-a-file",
  "not-a-repository",
  "ovsmeta-invalid",
  "path-escapes-repository",
  "relative-disk-path",
  "repository-name-case",
  "repository-not-scanned",
  "root-not-found",
  "symlink-loop",
  "threads-unavailable",
  "unreadable",
  "unsafe-symlink",
  "vm-cfg-too-large",
  "xm-list-invalid",
  "xm-list-unreadable",
  // the policy file
  "policy-invalid",
  // the rebuild sheet
  "guest-backup-not-found",
  "guest-file-unreadable",
  "mount-point-not-excludable",
] as const;
/** Every diagnostic code ovm-deps emits. */
export const DiagnosticCodeSchema = z.enum(DIAGNOSTIC_CODES);
/** A diagnostic code ovm-deps emits. */
export type DiagnosticCode = z.infer<typeof DiagnosticCodeSchema>;

/** A position in a vm.cfg: the file (absolute) and the 1-based line and column of the entry. */
export const ReferencePositionSchema = z.object({
  file: z.string(),
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
});
/** A position in a vm.cfg. */
export type ReferencePosition = z.infer<typeof ReferencePositionSchema>;

/**
 * A problem found while reading input: `file` null when about no file, `line`/`column` 1-based or null.
 * `code` stays a plain string here, so that a document written by a later version with a new code
 * still validates; the codes this version emits are `DIAGNOSTIC_CODES`.
 */
export const DiagnosticSchema = z.object({
  severity: SeveritySchema,
  code: z.string(),
  message: z.string(),
  file: z.string().nullable(),
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
  /**
   * On a diagnostic of a vm.cfg (`file`) about a file one of its entries reaches (a link, a disk that is a
   * folder, an image whose header cannot be read): that file, absolute. Absent otherwise.
   */
  subject: z.string().optional(),
  /**
   * On a diagnostic about a file: every vm.cfg position (a disk entry) that reaches it, each of which also
   * carries the problem as its own diagnostic, with `subject`. Absent when none does.
   */
  references: z.array(ReferencePositionSchema).optional(),
});
/** A problem found while reading input. */
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** Every code of a plan or restore warning, each documented in docs/diagnostics.md. `warning()` takes only these. */
export const WARNING_CODES = [
  "backing-file-unknown",
  "config-unreadable",
  "disk-gained",
  "disk-not-a-file",
  "disk-unreadable",
  "guest-running",
  "macs-kept",
  "macs-unknown",
  "missing-disk",
  "nfs-mounts-unknown",
  "no-live-counterpart",
  "resource-not-covered",
  "running-unknown",
  "scope-incomplete",
  "symlink-on-the-way",
] as const;
/** Every code of a plan or restore warning. */
export const WarningCodeSchema = z.enum(WARNING_CODES);
/** A code of a plan or restore warning. */
export type WarningCode = z.infer<typeof WarningCodeSchema>;

/** A warning attached to a plan or restore: `{ code, message }` (`code` a plain string, as in `DiagnosticSchema`). */
export const WarningSchema = z.object({ code: z.string(), message: z.string() });
/** A warning attached to a plan or restore. */
export type Warning = z.infer<typeof WarningSchema>;

/**
 * Something a run could not see — a ROOT with no repository, a folder or file it could not read, an
 * `xm list` it could not use, a vm.cfg it could not read fully — with why. A document with any is
 * `complete: false`: nothing it says is complete, clean or safe about what it could not see.
 */
export const GapSchema = z.object({
  /** The diagnostic code that says what could not be seen (docs/diagnostics.md). */
  code: z.string(),
  file: z.string().nullable(),
  message: z.string(),
});
/** Something a run could not see. */
export type Gap = z.infer<typeof GapSchema>;

/**
 * `complete` and `incomplete`, top-level fields of every document made from a scan. Optional in the
 * schema so that documents saved by earlier versions still validate; every document this version writes has them.
 */
export const CompletenessFields = {
  /** False when anything could not be seen: then `incomplete` says what, and why. */
  complete: z.boolean().optional(),
  incomplete: z.array(GapSchema).optional(),
};
