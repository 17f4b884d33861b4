// `ovm-deps plan ROOT… [--guest SEL]… [--resources]`: per-guest backup sets, or the resource set.

import { Option } from "commander";
import {
  checksumPlan,
  formatsOf,
  isSelectionError,
  ownerLabel,
  type PlanOptions,
  type PlanResult,
  planBackup,
  planResources,
  type SelectionProblem,
} from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf, repeatable } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { progressReporter } from "./progress.js";
import { nulOption, writeDocument } from "./render.js";
import { ROOTS, type ScanOptionValues, scanFromCommandLine, scanOptions } from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

/** Selection problems as one usage error listing the candidates by owner reference (repositories by id). */
export function selectionUsageError(problems: readonly SelectionProblem[]): UsageError {
  const lines = problems.map((p) => {
    // `NAME (REF)` where the owner has a name: people decide by names.
    const label = (ref: string): string => ownerLabel(ref, p.names);
    if (p.kind === "different-in-live") {
      const [backup, live] = p.candidates.map(label);
      return `--guest ${JSON.stringify(p.selector)} is ${backup} in the backup but ${live} in the live tree (renamed?): name the owner by its reference`;
    }
    const repository = p.selects === "repository";
    const what =
      p.kind === "ambiguous"
        ? `matches several ${repository ? "repositories" : "owners"}`
        : `matches no ${repository ? "scanned repository" : "guest or template"}`;
    const candidates =
      p.candidates.length > 0 ? `; candidates:\n    ${p.candidates.map(label).join("\n    ")}` : "";
    return `${repository ? "--repository" : "--guest"} ${JSON.stringify(p.selector)} ${what}${candidates}`;
  });
  return new UsageError(lines.join("\n"));
}

/** `--retain N`, `--adhoc M`: a number of copies, a whole number from 0. */
function copyCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${flag} expects a whole number of copies, 0 or more (got "${value}")`);
  }
  return n;
}

/** `--growth G`: a positive factor. */
function growthFactor(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--growth expects a positive number (got "${value}")`);
  }
  return n;
}

/**
 * A capacity that bytes cannot count (over 2^53: 8 PiB, or Infinity) is a usage error: it says more about the
 * flags than about the estate, and JSON would hold an inexact number or null.
 */
function refuseOverflow(bytes: number | undefined): void {
  if (bytes !== undefined && !(bytes <= Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(
      `--retain, --adhoc and --growth give a capacity over ${Number.MAX_SAFE_INTEGER} bytes (allocated × growth × copies overflows)`,
    );
  }
}

interface PlanValues extends ScanOptionValues {
  format?: string;
  guest?: string[];
  resources?: boolean;
  retain?: string;
  adhoc?: string;
  growth?: string;
  nul?: boolean;
  checksum?: boolean;
}

/** `plan --checksum`: the SHA-256 of every file, with a progress bar on a terminal (none with --quiet). */
async function checksumWithProgress(plan: PlanResult, io: CliIo, quiet: boolean): Promise<PlanResult> {
  const progress = progressReporter(io, "hashing", Date.now, quiet);
  try {
    return await checksumPlan(plan, (done, total) => progress.onProgress?.(done, total, true));
  } finally {
    progress.stop();
  }
}

/** `plan`: exit 1 when a planned guest (or template) has coverage `none`. */
export const planCommand: CommandDefinition<PlanValues> = {
  name: "plan",
  summary: SUMMARIES.plan,
  description: `Prints each guest's backup set: its vm.cfg and virtual disks (files), the ISOs it uses (resources),
what no repository copy covers (LUNs, NFS mounts, external files: outside), the files it shares with
other guests, and its coverage (complete, partial, none). --format list prints the paths of the
files, ready for tar, restic or rsync. --resources plans the resources repositories instead.`,
  argument: ROOTS,
  options: () => [
    repeatable(
      "--guest <SEL>",
      "a guest or template to plan (repeatable): name, simple name, uuid, folder or reference",
    ),
    oneOf("--format <F>", "output format (default text)", formatsOf("plan")),
    nulOption(),
    new Option("--retain <N>", "capacity: retained copies in the rotation (a whole number)"),
    new Option("--adhoc <M>", "capacity: ad hoc copies kept besides (a whole number)"),
    new Option("--growth <G>", "capacity: growth factor (e.g. 1.2)"),
    new Option("--resources", "plan the templates, ISOs and assemblies of the resources repositories"),
    new Option(
      "--checksum",
      "add the SHA-256 of every file (reads them all): the saved JSON is a manifest for verify",
    ),
    ...scanOptions(),
  ],
  examples: [
    { command: "ovm-deps plan /OVS/Repositories --xm-list xm-list.txt", does: "every guest's backup set" },
    {
      command:
        "ovm-deps plan /OVS/Repositories --guest web01 --format list -0 | tar --null -T - -cf web01.tar",
      does: "back up one guest",
    },
    { command: "ovm-deps plan /OVS/Repositories --retain 7 --adhoc 2 --growth 1.2", does: "size a rotation" },
  ],
  exit: `0 every planned guest can be backed up from the repositories (coverage complete or partial)
1 a planned guest has coverage none (its vm.cfg has errors)
2 usage error: unknown flag, unknown or ambiguous --guest, a path --format list cannot print`,
  run: async (roots, values, io) => {
    const format = chooseFormat(values.format, formatsOf(values.resources ? "resources" : "plan"));
    const options: PlanOptions = {
      guests: values.guest ?? [],
      retain: copyCount("retain", values.retain),
      adhoc: copyCount("adhoc", values.adhoc),
      growth: growthFactor(values.growth),
    };
    if (values.resources && options.guests?.length)
      throw new UsageError("--resources and --guest do not mix");
    // Before a long scan: a factor that overflows whatever the estate holds.
    refuseOverflow((options.growth ?? 1) * ((options.retain ?? 1) + (options.adhoc ?? 0)));
    const scan = await scanFromCommandLine(roots, values, io);

    const nul = values.nul === true;
    if (values.resources) {
      const document = planResources(scan, options);
      refuseOverflow(document.totals.capacity?.bytes);
      return writeDocument({ kind: "resources", document }, format, { nul }, io);
    }
    const result = planBackup(scan, options);
    if (isSelectionError(result)) throw selectionUsageError(result.problems);
    refuseOverflow(result.totals.capacity?.bytes);
    const document = values.checksum ? await checksumWithProgress(result, io, values.quiet === true) : result;
    return writeDocument({ kind: "plan", document }, format, { nul }, io);
  },
};
