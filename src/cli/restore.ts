// `ovm-deps restore LIVE_ROOT… --from BACKUP_ROOT… --guest SEL… [--allow-shared]`: the pre-restore check.
import path from "node:path";
import { Option } from "commander";
import {
  escapeText,
  formatsOf,
  isIntoError,
  isSelectionError,
  planRestore,
  planRestoreAsNew,
  planTargetedRestore,
  type Repository,
  readAsNewSources,
  type ScanOptions,
  type ScanResult,
  sameContent,
  scanDeferred,
  scanRepositories,
  selectOwners,
} from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf, repeatable } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { selectionUsageError } from "./plan.js";
import { nulOption, writeDocument } from "./render.js";
import {
  readPolicyFile,
  reportScan,
  type ScanOptionValues,
  scannedTrees,
  scanOptions,
  scanWith,
} from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

/** A usage error when a `--from` ROOT is a live ROOT (as given, resolved; links are not followed). */
function refuseLiveAsBackup(live: readonly string[], from: readonly string[], cwd: string): void {
  const liveRoots = new Set(live.map((root) => path.resolve(cwd, root)));
  const same = from.find((root) => liveRoots.has(path.resolve(cwd, root)));
  if (same !== undefined) {
    throw new UsageError(
      `--from ${escapeText(same)} is a live ROOT: restore from a backup copy, not from the live tree itself`,
    );
  }
}

/** What `refuseSameRepositories` looks at: a scan's repositories (full or deferred). */
type Sides = { repositories: readonly Repository[] };

/** A usage error when a backup repository is a scanned live repository folder (one ROOT inside the other). */
function refuseSameRepositories(live: Sides, backup: Sides): void {
  const liveRoots = new Set(live.repositories.map((r) => r.root));
  const same = backup.repositories.find((r) => liveRoots.has(r.root));
  if (same !== undefined) {
    throw new UsageError(
      `--from reaches the live repository ${escapeText(same.root)}: restore from a backup copy, not from the live tree itself`,
    );
  }
}

/**
 * The I/O the scans get: stderr held back (when it is no terminal) so that a refusal can come first on
 * stderr; on a terminal it passes through, progress bar included.
 */
function holdStderr(io: CliIo): { io: CliIo; held: () => string } {
  if (io.stderrIsTty) return { io, held: () => "" };
  const chunks: string[] = [];
  const stderr = {
    write: (chunk: string | Uint8Array): boolean => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    },
  } as CliIo["stderr"];
  return { io: { ...io, stderr }, held: () => chunks.splice(0).join("") };
}

interface RestoreValues extends ScanOptionValues {
  format?: string;
  from?: string[];
  guest?: string[];
  allowShared?: boolean;
  checksum?: boolean;
  allowUnknownUsers?: boolean;
  allowUnknownRunning?: boolean;
  nul?: boolean;
  asNew?: boolean;
  into?: string;
  suffix?: string;
  keepMacs?: boolean;
  fullScan?: boolean;
}

/** `restore`: exit 0 when safe, 1 when not, 2 on usage errors (and when `list` cannot be one rsync run). */
export const restoreCommand: CommandDefinition<RestoreValues> = {
  name: "restore",
  summary: SUMMARIES.restore,
  description: `Checks whether the selected guests can be put back from a backup copy without harming any other
guest, and lists what to copy. The ROOTs are the live repositories; --from names the backup copy, in
which --guest is resolved (the guest as it was then). When the restore is not safe, stderr starts
with NOT SAFE: and the reasons, and list and script print nothing.`,
  argument: {
    name: "[LIVE_ROOT...]",
    description: "the live repositories (a repository folder or a folder of them)",
  },
  options: () => [
    repeatable("--from <BACKUP_ROOT>", "the backup copy (repeatable; required)"),
    repeatable(
      "--guest <SEL>",
      "a guest to restore (repeatable; required): name, simple name, uuid, folder or reference",
    ),
    new Option(
      "--allow-shared",
      "restore files other guests use too (lifts the shared block only); with --as-new: keep shared disks, LUNs, external files and NFS mounts attached",
    ),
    new Option("--checksum", "unchanged means the same SHA-256, not only the same size and mtime"),
    new Option(
      "--allow-unknown-users",
      "lift users-unknown: a vm.cfg that could not be read fully may use a file",
    ),
    new Option("--allow-unknown-running", "lift xm-list-invalid: --xm-list is not an xm list table"),
    new Option(
      "--as-new",
      "restore one guest beside the live ones as a new guest: fresh uuid, folder, disk names, MACs",
    ),
    new Option("--into <REPOSITORY>", "--as-new: the live repository to create it in (id or folder name)"),
    new Option("--suffix <TEXT>", "--as-new: appended to the simple name (default -restored)"),
    new Option("--keep-macs", "--as-new: keep the MAC addresses (never run both guests at once)"),
    new Option(
      "--full-scan",
      "parse every vm.cfg of both trees, not only those that could change the verdict (same JSON, slower)",
    ),
    oneOf("--format <F>", "output format (default text)", formatsOf("restore")),
    nulOption(),
    ...scanOptions(),
  ],
  examples: [
    {
      command: "ovm-deps restore /OVS/Repositories --from /mnt/backup/Repositories --guest web01",
      does: "is it safe, and what would be copied",
    },
    {
      command:
        "ovm-deps restore /OVS/Repositories --from /mnt/backup/Repositories --guest web01 --format script > restore.sh",
      does: "a POSIX sh script that performs it",
    },
    {
      command:
        "ovm-deps restore /OVS/Repositories --from /mnt/backup/Repositories --guest web01 --as-new --format script > clone.sh",
      does: "last night's web01 beside today's, as a new guest",
    },
  ],
  exit: `0 the restore is safe
1 it is not (blocked: NOT SAFE: on stderr with the reasons)
2 usage error: no --from or --guest, unknown or ambiguous --guest, --from naming a live ROOT,
  a list or script that cannot be written safely; with --as-new: not exactly one --guest, an
  --into that names no live repository, --format list`,
  run: restore,
};

/** `--as-new`: the plan of one guest restored as a new guest, or a usage error. */
async function planAsNew(live: ScanResult, backup: ScanResult, values: RestoreValues, guest: string) {
  const selection = selectOwners(backup, [guest]);
  if (selection.problems.length > 0) throw selectionUsageError(selection.problems);
  const sources = await readAsNewSources(selection.owners[0]!, [live, backup]);
  const result = planRestoreAsNew(live, backup, {
    guest,
    sources,
    ...(values.into === undefined ? {} : { into: values.into }),
    ...(values.suffix === undefined ? {} : { suffix: values.suffix }),
    keepMacs: values.keepMacs === true,
    allowShared: values.allowShared === true,
  });
  if (isSelectionError(result)) throw selectionUsageError(result.problems);
  if (isIntoError(result)) {
    const what =
      result.into === null
        ? "no live ROOT holds the guest's repository: name one with --into"
        : `--into ${escapeText(result.into)} names no live repository`;
    throw new UsageError(`${what}; candidates: ${result.candidates.map(escapeText).join(", ")}`);
  }
  return result;
}

/** The options `--as-new` does not take, or takes only with it: usage errors before any scan. */
function checkAsNewOptions(values: RestoreValues, guests: readonly string[]): void {
  if (values.asNew !== true) {
    const only = [
      values.into === undefined ? null : "--into",
      values.suffix === undefined ? null : "--suffix",
      values.keepMacs ? "--keep-macs" : null,
    ].filter((f) => f !== null);
    if (only.length > 0) throw new UsageError(`${only.join(", ")} only go with --as-new`);
    return;
  }
  if (guests.length !== 1) throw new UsageError("--as-new restores one guest: give --guest once");
  if (values.format === "list")
    throw new UsageError(
      "--as-new has no list format: one rsync run cannot give files new names; use --format script",
    );
  const refused = [values.checksum ? "--checksum" : null, values.nul ? "-0/--nul" : null].filter(
    (f) => f !== null,
  );
  if (refused.length > 0) throw new UsageError(`--as-new does not take ${refused.join(", ")}`);
}

async function restore(positionals: string[], values: RestoreValues, io: CliIo): Promise<number> {
  const guests = values.guest ?? [];
  checkAsNewOptions(values, guests);
  const format = chooseFormat(values.format, formatsOf(values.asNew === true ? "restore-as-new" : "restore"));
  const from = values.from ?? [];
  if (from.length === 0) throw new UsageError("expects --from BACKUP_ROOT (the backup copy)");
  if (guests.length === 0) throw new UsageError("expects --guest SEL (the guests to restore)");
  // `--repository NAME=DIR` names live repositories; the backup side is the --from ROOTs alone.
  const liveTrees = scannedTrees(positionals, values, io.cwd);
  refuseLiveAsBackup(liveTrees, from, io.cwd);

  const policy = await readPolicyFile(values.policy, io.cwd);
  const scanning = holdStderr(io);
  const restoreOptions = {
    guests,
    allowShared: values.allowShared === true,
    allowUnknownUsers: values.allowUnknownUsers === true,
    allowUnknownRunning: values.allowUnknownRunning === true,
    ...(values.checksum === true ? { sameContent } : {}),
  };
  // The live tree, then the backup copy, each scanned as `scanner` does.
  const scanBoth = async <T extends Sides>(
    scanner: (roots: string[], options: ScanOptions) => Promise<T>,
  ) => {
    const live = await scanWith(scanner, positionals, values, scanning.io, policy, from);
    const backup = await scanWith(
      scanner,
      from,
      { ...values, repository: [] },
      scanning.io,
      policy,
      liveTrees,
    );
    refuseSameRepositories(live, backup);
    return { live, backup };
  };
  let result: Awaited<ReturnType<typeof planRestore>>;
  try {
    if (values.asNew === true) {
      // As new: the backed-up guest's whole vm.cfg and every MAC in use on both sides, so full scans.
      const { live, backup } = await scanBoth(scanRepositories);
      const asNew = await planAsNew(
        reportScan(live, values, scanning.io),
        reportScan(backup, values, scanning.io),
        values,
        guests[0]!,
      );
      return writeDocument({ kind: "restore-as-new", document: asNew }, format, {}, io, scanning.held());
    }
    if (values.fullScan === true) {
      const { live, backup } = await scanBoth(scanRepositories);
      result = await planRestore(
        reportScan(live, values, scanning.io),
        reportScan(backup, values, scanning.io),
        restoreOptions,
      );
    } else {
      // Targeted: every file-system fact of both trees, and only the vm.cfg files that could change the verdict parsed.
      const { live, backup } = await scanBoth(scanDeferred);
      const planned = await planTargetedRestore(live, backup, restoreOptions);
      reportScan(planned.live, values, scanning.io);
      reportScan(planned.backup, values, scanning.io);
      result = planned.result;
    }
    if (isSelectionError(result)) throw selectionUsageError(result.problems);
  } catch (error) {
    io.stderr.write(scanning.held());
    throw error;
  }

  return writeDocument(
    { kind: "restore", document: result },
    format,
    { nul: values.nul === true },
    io,
    scanning.held(),
  );
}
