// The one Diagnostic shape (docs/json.md), its codes (docs/diagnostics.md), shared by every layer.
import { z } from "zod";

/** How bad a diagnostic is. */
export const SeveritySchema = z.enum(["error", "warning", "info"]);
/** How bad a diagnostic is. */
export type Severity = z.infer<typeof SeveritySchema>;

/** A problem found while reading input: `file` null when about no file, `line`/`column` 1-based or null. */
export const DiagnosticSchema = z.object({
  severity: SeveritySchema,
  code: z.string(),
  message: z.string(),
  file: z.string().nullable(),
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
});
/** A problem found while reading input. */
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** A warning attached to a plan or restore: `{ code, message }`. */
export const WarningSchema = z.object({ code: z.string(), message: z.string() });
/** A warning attached to a plan or restore. */
export type Warning = z.infer<typeof WarningSchema>;
