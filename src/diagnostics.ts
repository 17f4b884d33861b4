// Building and inspecting diagnostics: the one error value every layer returns.
import type {
  Diagnostic,
  DiagnosticCode,
  Gap,
  ReferencePosition,
  Severity,
  Warning,
  WarningCode,
} from "./schema/diagnostic.js";

export type {
  Diagnostic,
  DiagnosticCode,
  ReferencePosition,
  Severity,
  Warning,
  WarningCode,
} from "./schema/diagnostic.js";

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

/** Severities, the least severe first. */
const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** True when `d` is at least as severe as `min` (`warning`: warnings and errors). */
export function atLeast(d: Pick<Diagnostic, "severity">, min: Severity): boolean {
  return RANK[d.severity] >= RANK[min];
}

/** The vm.cfg diagnostics about another file (`subject`), by code and that file. */
function bySubject(ownerDiagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of ownerDiagnostics) {
    if (d.subject === undefined) continue;
    const key = `${d.code}\0${d.subject}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [d]);
    else group.push(d);
  }
  return groups;
}

const positionOf = (d: Diagnostic): ReferencePosition => ({
  file: d.file ?? "",
  line: d.line,
  column: d.column,
});

/**
 * The diagnostics about files (a scan's own), each with `references`: the vm.cfg positions whose diagnostics
 * (`ownerDiagnostics`, the guests' and templates') are the same problem — same code, that file as `subject`.
 * Nothing is dropped or merged; a diagnostic no vm.cfg reaches is returned as it is.
 */
export function withReferences(
  diagnostics: readonly Diagnostic[],
  ownerDiagnostics: readonly Diagnostic[],
): Diagnostic[] {
  const groups = bySubject(ownerDiagnostics);
  return diagnostics.map((d) => {
    const group = d.file === null ? undefined : groups.get(`${d.code}\0${d.file}`);
    return group === undefined ? d : { ...d, references: group.map(positionOf) };
  });
}

/**
 * Each problem once, for people: the scan's own `diagnostics`, then the guests' and templates'
 * (`ownerDiagnostics`), where every vm.cfg diagnostic about another file (`subject`) is folded into one
 * diagnostic about that file, with every vm.cfg position as `references` — the scan's own diagnostic about
 * it when there is one, else a new one. The folded diagnostic is as severe as the most severe of them.
 */
export function eachProblemOnce(
  diagnostics: readonly Diagnostic[],
  ownerDiagnostics: readonly Diagnostic[],
): Diagnostic[] {
  const groups = bySubject(ownerDiagnostics);
  const mostSevere = (d: Diagnostic, group: readonly Diagnostic[]): Diagnostic["severity"] =>
    group.reduce((worst, g) => (RANK[g.severity] > RANK[worst] ? g.severity : worst), d.severity);
  const folded = new Set<string>();
  const once: Diagnostic[] = diagnostics.map((d) => {
    const key = `${d.code}\0${d.file}`;
    const group = d.file === null ? undefined : groups.get(key);
    if (group === undefined) return d;
    folded.add(key);
    return { ...d, severity: mostSevere(d, group), references: group.map(positionOf) };
  });
  for (const d of ownerDiagnostics) {
    if (d.subject === undefined) {
      once.push(d);
      continue;
    }
    const key = `${d.code}\0${d.subject}`;
    if (folded.has(key)) continue;
    folded.add(key);
    const group = groups.get(key) ?? [d];
    const { subject, ...about } = d;
    once.push({
      ...about,
      severity: mostSevere(d, group),
      file: subject,
      line: null,
      column: null,
      references: group.map(positionOf),
    });
  }
  return once;
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
