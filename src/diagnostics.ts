// Building and inspecting diagnostics: the one error value every layer returns.
import type { Diagnostic, DiagnosticCode, Gap, Severity, Warning, WarningCode } from "./schema/diagnostic.js";

export type { Diagnostic, DiagnosticCode, Severity, Warning, WarningCode } from "./schema/diagnostic.js";

/** Where a diagnostic points: a file and a 1-based position, each null when unknown. */
export interface Position {
  file: string | null;
  line: number | null;
  column: number | null;
}

/** No position at all. */
export const NOWHERE: Position = { file: null, line: null, column: null };

/** Make a diagnostic at a position. */
export function diagnostic(
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  at: Position = NOWHERE,
): Diagnostic {
  return { severity, code, message, file: at.file, line: at.line, column: at.column };
}

/** Make a plan or restore warning. */
export function warning(code: WarningCode, message: string): Warning {
  return { code, message };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * True when a gap may hide guests or templates: no repository, a repository's top, its `VirtualMachines/`
 * or `Templates/` or a folder in them that could not be listed. `plan` exits 1 on such a gap: a backup
 * job must not succeed with guests it never saw.
 */
export function hidesOwners(gap: Gap): boolean {
  if (gap.code === "no-repositories" || gap.code === "root-not-found") return true;
  if (gap.code !== "unreadable" || gap.file === null) return false;
  return (
    /\/(?:VirtualMachines|Templates)(?:\/[^/]+)?$/.test(gap.file) ||
    gap.message.startsWith("cannot list the repository folder")
  );
}
