// How much a command prints about problems: `--min-severity` and `--quiet`, and the one line that counts what was hidden.
import { Option } from "commander";
import { atLeast, type Diagnostic, formatDiagnostic, type Severity, SeveritySchema } from "../index.js";
import { oneOf } from "./args.js";
import type { CliIo } from "./io.js";

/** The values commander gives for `quietOptions`. */
export interface QuietValues {
  minSeverity?: Severity | undefined;
  quiet?: boolean | undefined;
}

/** `--min-severity` and `--quiet`; `fallback` is the command's default threshold, shown in `--help`. */
export function quietOptions(fallback: Severity): Option[] {
  return [
    oneOf(
      "--min-severity <S>",
      `print only diagnostics at least this severe (default ${fallback}); JSON documents keep every one`,
      SeveritySchema.options,
    ),
    new Option(
      "-q, --quiet",
      "print errors only: no warnings, no notes, no count of what was hidden, no progress",
    ),
  ];
}

/** The threshold the flags give: `--min-severity`, else `error` with `--quiet`, else the command's default. */
export function minSeverity(values: QuietValues, fallback: Severity): Severity {
  return values.minSeverity ?? (values.quiet ? "error" : fallback);
}

/**
 * The one line that says what a threshold hid, e.g. `ovm-deps: 12 warning and 4956 info diagnostics not
 * shown (--min-severity info shows them)`; null when nothing was hidden.
 */
export function hiddenLine(hidden: readonly Diagnostic[]): string | null {
  if (hidden.length === 0) return null;
  const counts = (["warning", "info"] as const)
    .map((severity) => ({ severity, count: hidden.filter((d) => d.severity === severity).length }))
    .filter(({ count }) => count > 0);
  const least = counts.at(-1)?.severity ?? "info";
  const what = counts.map(({ severity, count }) => `${count} ${severity}`).join(" and ");
  return `ovm-deps: ${what} diagnostic${hidden.length === 1 ? "" : "s"} not shown (--min-severity ${least} shows them)`;
}

/**
 * Print `diagnostics` at least as severe as the threshold to stderr, one line each, then the count of the
 * others (not with `--quiet`). Errors are never hidden: no threshold is above `error`.
 */
export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  values: QuietValues,
  fallback: Severity,
  io: CliIo,
): void {
  const min = minSeverity(values, fallback);
  const hidden: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (atLeast(d, min)) io.stderr.write(`${formatDiagnostic(d)}\n`);
    else hidden.push(d);
  }
  const line = values.quiet ? null : hiddenLine(hidden);
  if (line !== null) io.stderr.write(`${line}\n`);
}
