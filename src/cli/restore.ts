// `ovm-deps restore LIVE_ROOT… --from BACKUP_ROOT… --guest SEL… [--allow-shared]`: the pre-restore check.
import path from "node:path";
import {
  escapeText,
  formatsOf,
  isSelectionError,
  planRestore,
  type ScanResult,
  sameContent,
} from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { selectionUsageError } from "./plan.js";
import { writeDocument } from "./render.js";
import { readPolicyFile, scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

/** What `ovm-deps restore --help` prints. */
export const restoreUsage = `usage: ovm-deps restore LIVE_ROOT… --from BACKUP_ROOT… --guest SEL… [--allow-shared]
                        [--format text|json|list|script] [-0] [--checksum] [--allow-unknown-users] [--allow-unknown-running]
                        [--repository NAME=DIR]… [--guest-backups DIR] [--xm-list FILE] [--io MODE] [--threads N] [--policy FILE]
`;

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

/** A usage error when a backup repository is a scanned live repository folder (one ROOT inside the other). */
function refuseSameRepositories(live: ScanResult, backup: ScanResult): void {
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

/** Run `restore`: exit 0 when safe, 1 when not, 2 on usage errors (and when `list` cannot be one rsync run). */
export async function restoreCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...scanOptionDefinitions,
    from: { type: "string", multiple: true },
    guest: { type: "string", multiple: true },
    "allow-shared": { type: "boolean" },
    checksum: { type: "boolean" },
    "allow-unknown-users": { type: "boolean" },
    "allow-unknown-running": { type: "boolean" },
    nul: { type: "boolean", short: "0" },
  });
  const format = chooseFormat(values.format, formatsOf("restore"));
  const from = values.from ?? [];
  const guests = values.guest ?? [];
  if (from.length === 0) throw new UsageError("expects --from BACKUP_ROOT (the backup copy)");
  if (guests.length === 0) throw new UsageError("expects --guest SEL (the guests to restore)");
  const named = (values.repository ?? []).map((value) => value.slice(value.indexOf("=") + 1));
  refuseLiveAsBackup([...positionals, ...named], from, io.cwd);

  const policy = await readPolicyFile(values.policy, io.cwd);
  const scanning = holdStderr(io);
  let live: ScanResult;
  let backup: ScanResult;
  let result: Awaited<ReturnType<typeof planRestore>>;
  try {
    live = await scanFromCommandLine(positionals, values, scanning.io, policy, from);
    // `--repository NAME=DIR` names live repositories; the backup side is the --from ROOTs alone.
    const liveTrees = [...positionals, ...named];
    backup = await scanFromCommandLine(from, { ...values, repository: [] }, scanning.io, policy, liveTrees);
    refuseSameRepositories(live, backup);
    result = await planRestore(live, backup, {
      guests,
      allowShared: values["allow-shared"] === true,
      allowUnknownUsers: values["allow-unknown-users"] === true,
      allowUnknownRunning: values["allow-unknown-running"] === true,
      ...(values.checksum === true ? { sameContent } : {}),
    });
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
