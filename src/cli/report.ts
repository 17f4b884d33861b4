// `ovm-deps report ROOT… --out FILE.html`: the estate in one offline HTML page.
import path from "node:path";
import { Option } from "commander";
import {
  buildGraph,
  checkEstate,
  type FailOn,
  isSelectionError,
  PolicySchema,
  planBackup,
  type RebuildSheet,
  readRebuildSources,
  rebuildSheet,
  renderDocument,
  renderReport,
  type ScanResult,
  scopeGraph,
  selectOwners,
  serializeGraph,
  treeHolding,
  writeFileAtomically,
} from "../index.js";
import { type CommandDefinition, repeatable } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { selectionUsageError } from "./plan.js";
import { progressReporter } from "./progress.js";
import { failOnOption } from "./render.js";
import {
  guestBackupsDir,
  ROOTS,
  readPolicyFile,
  type ScanOptionValues,
  scanFromCommandLine,
  scannedTrees,
  scanOptions,
} from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

interface ReportValues extends ScanOptionValues {
  out?: string;
  guest?: string[];
  failOn?: FailOn;
  title?: string;
}

/** How many guests' files are read at once: a few at a time hides the latency of NFS without flooding it. */
const READERS = 8;

/** The rebuild sheet of each owner, with a progress bar on a terminal (each reads its vm.cfg again). */
async function rebuildSheets(
  scan: ScanResult,
  owners: ScanResult["guests"],
  guestBackups: string | null,
  io: CliIo,
  quiet: boolean,
): Promise<RebuildSheet[]> {
  const progress = progressReporter(io, "reading guests", Date.now, quiet);
  const sheets: RebuildSheet[] = new Array(owners.length);
  let next = 0;
  let done = 0;
  const reader = async (): Promise<void> => {
    for (let i = next++; i < owners.length; i = next++) {
      const owner = owners[i]!;
      sheets[i] = rebuildSheet(owner, await readRebuildSources(scan, owner, { guestBackups }));
      progress.onProgress?.(++done, owners.length, true);
    }
  };
  try {
    await Promise.all(Array.from({ length: READERS }, reader));
  } finally {
    progress.stop();
  }
  return sheets;
}

/** `report`: exit 1 as `check` (a finding at --fail-on) or `plan` (coverage none, an unlisted guest area) would. */
export const reportCommand: CommandDefinition<ReportValues> = {
  name: "report",
  summary: SUMMARIES.report,
  description: `Writes one HTML page that works offline (its scripts, style and data are inline; it fetches
nothing): the estate summary (one row per guest and template, sortable and filterable), the check
findings grouped by rule with each rule's explanation, the diagnostics, the dependency graph (pan, zoom,
search a guest, click a node to focus on what it uses and shares), and per guest its backup set, what is
outside the repositories and its rebuild facts. It is built from the documents plan, check, graph and
rebuild print, which it embeds. An incomplete scan makes the page say INCOMPLETE at the top.
--guest limits the summary and the per-guest sections to those owners and the graph to their
neighbourhood (as graph --guest draws it); the findings stay the estate's.`,
  argument: ROOTS,
  options: () => [
    new Option("--out <FILE>", "the HTML file to write (required; - writes the page to stdout)"),
    repeatable("--guest <SEL>", "a guest or template to show (repeatable; default all)"),
    new Option("--title <TEXT>", "the page's title (default: ovm-deps report)"),
    failOnOption(),
    ...scanOptions(),
  ],
  examples: [
    {
      command:
        "ovm-deps report /OVS/Repositories --guest-backups /backup/guests --xm-list xm-list.txt --out estate.html",
      does: "the estate in one page to open in a browser or print",
    },
  ],
  exit: `0 no finding reaches --fail-on and every guest can be backed up from the repositories
1 one does not (as check and plan say), or the scan could not list a guest area
2 usage error: no --out, --out under a ROOT, an unknown or ambiguous --guest`,
  run: async (roots, values, io) => {
    const out = values.out;
    if (out === undefined) throw new UsageError("expects --out FILE.html (or --out - for stdout)");
    const target = out === "-" ? null : path.resolve(io.cwd, out);
    const trees = scannedTrees(roots, values, io.cwd);
    // Read-only: refused before the scan, so that a long scan does not end in a refusal.
    const under = target === null ? null : treeHolding(target, trees);
    if (under !== null)
      throw new UsageError(
        `--out ${out} is inside the scanned tree ${under}: nothing is written under a ROOT`,
      );

    const policy = (await readPolicyFile(values.policy, io.cwd)) ?? PolicySchema.parse({});
    const scan = await scanFromCommandLine(roots, values, io, policy);
    const all = [...scan.guests, ...scan.templates];
    const selection = values.guest?.length ? selectOwners(scan, values.guest) : { owners: all, problems: [] };
    if (selection.problems.length > 0) throw selectionUsageError(selection.problems);
    const plan = planBackup(scan, { guests: selection.owners.map((o) => o.ref) });
    if (isSelectionError(plan)) throw selectionUsageError(plan.problems);
    const check = checkEstate(scan, policy);
    const guestBackups = guestBackupsDir(values, io.cwd);
    const rebuild = await rebuildSheets(scan, selection.owners, guestBackups, io, values.quiet === true);
    // With --guest, the graph is those owners' neighbourhood, as `graph --guest` draws it.
    const estate = buildGraph(scan);
    const scope = {
      guests: values.guest ?? [],
      repositories: [],
      owners: selection.owners.map((o) => o.ref),
      repositoryIds: [],
    };
    const graph = serializeGraph(values.guest?.length ? scopeGraph(estate, scope) : estate);
    const page = renderReport({ scan, plan, check, graph, rebuild }, { title: values.title });

    if (target === null) io.stdout.write(page);
    else {
      const error = writeFileAtomically(target, Buffer.from(page, "utf8"));
      if (error !== null) throw new UsageError(`cannot write --out ${out}: ${error}`);
    }
    // The exit status the plan and check commands give for these documents.
    const failOn = values.failOn ?? "error";
    const status = (known: Parameters<typeof renderDocument>[0]): number => {
      const rendered = renderDocument(known, "text", { failOn });
      return rendered.ok ? rendered.exitCode : 1;
    };
    return Math.max(status({ kind: "plan", document: plan }), status({ kind: "check", document: check }));
  },
};
