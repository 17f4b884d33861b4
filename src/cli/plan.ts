// `ovm-deps plan ROOT… [--guest SEL]… [--resources]`: per-guest backup sets, or the resource set.
import {
  escapeText,
  formatsOf,
  isSelectionError,
  type PlanOptions,
  planBackup,
  planResources,
  type SelectionProblem,
} from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { writeDocument } from "./render.js";
import { scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

/** What `ovm-deps plan --help` prints. */
export const planUsage = `usage: ovm-deps plan ROOT… [--guest SEL]… [--format text|json|list] [-0]
                     [--retain N --adhoc M --growth G] [--resources]
                     [--repository NAME=DIR]… [--guest-backups DIR] [--xm-list FILE] [--io MODE] [--threads N] [--policy FILE]
`;

/** Selection problems as one usage error listing the candidates by owner reference. */
export function selectionUsageError(problems: readonly SelectionProblem[]): UsageError {
  const lines = problems.map((p) => {
    // `NAME (REF)` where the owner has a name: people decide by names.
    const label = (ref: string | undefined): string => {
      const name = ref === undefined ? undefined : p.names[ref];
      return name === undefined || name === ref
        ? escapeText(ref ?? "")
        : `${escapeText(name)} (${escapeText(ref ?? "")})`;
    };
    if (p.kind === "different-in-live") {
      const [backup, live] = p.candidates.map(label);
      return `--guest ${JSON.stringify(p.selector)} is ${backup} in the backup but ${live} in the live tree (renamed?): name the owner by its reference`;
    }
    const what = p.kind === "ambiguous" ? "matches several owners" : "matches no guest or template";
    const candidates =
      p.candidates.length > 0 ? `; candidates:\n    ${p.candidates.map(label).join("\n    ")}` : "";
    return `--guest ${JSON.stringify(p.selector)} ${what}${candidates}`;
  });
  return new UsageError(lines.join("\n"));
}

/** A rotation option: a non-negative number (`--growth` greater than zero). */
function rotationNumber(flag: string, value: string | undefined, positive: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (positive && n === 0)) {
    throw new UsageError(
      `--${flag} expects a ${positive ? "positive" : "non-negative"} number (got "${value}")`,
    );
  }
  return n;
}

/** Run `plan`: exit 1 when a planned guest (or template) has coverage `none`. */
export async function planCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...scanOptionDefinitions,
    guest: { type: "string", multiple: true },
    resources: { type: "boolean" },
    retain: { type: "string" },
    adhoc: { type: "string" },
    growth: { type: "string" },
    nul: { type: "boolean", short: "0" },
  });
  const format = chooseFormat(values.format, formatsOf(values.resources ? "resources" : "plan"));
  const options: PlanOptions = {
    guests: values.guest ?? [],
    retain: rotationNumber("retain", values.retain, false),
    adhoc: rotationNumber("adhoc", values.adhoc, false),
    growth: rotationNumber("growth", values.growth, true),
  };
  if (values.resources && options.guests?.length) throw new UsageError("--resources and --guest do not mix");
  const scan = await scanFromCommandLine(positionals, values, io);

  const nul = values.nul === true;
  if (values.resources)
    return writeDocument({ kind: "resources", document: planResources(scan, options) }, format, { nul }, io);
  const result = planBackup(scan, options);
  if (isSelectionError(result)) throw selectionUsageError(result.problems);
  return writeDocument({ kind: "plan", document: result }, format, { nul }, io);
}
