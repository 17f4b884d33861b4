// Option handling shared by every command that scans (scan, graph, plan, restore, check): flags → ScanResult.
import path from "node:path";
import { Option } from "commander";
import {
  defaultCacheDir,
  eachProblemOnce,
  formatDiagnostic,
  type IoMode,
  ParseCache,
  type Policy,
  parsePolicy,
  readInputFile,
  type ScanOptions,
  type ScanResult,
  scanRepositories,
  type Threads,
} from "../index.js";
import { oneOf, repeatable } from "./args.js";
import { type CliIo, readError, UsageError } from "./io.js";
import { progressReporter } from "./progress.js";
import { printDiagnostics, type QuietValues, quietOptions } from "./quiet.js";

const IO_MODES: readonly IoMode[] = ["auto", "direct", "concurrent"];

/** The positional arguments of every command that scans. */
export const ROOTS = {
  name: "[ROOT...]",
  description: "a repository folder, or a folder of repository folders (/OVS/Repositories or a copy of it)",
};

/** The options every command that scans accepts (a fresh list: commander keeps state in them). */
export function scanOptions(): Option[] {
  return [
    repeatable(
      "--repository <NAME=DIR>",
      "scan DIR as a repository also known as NAME (repeatable): for a copy mounted under another folder name",
    ),
    new Option(
      "--guest-backups <DIR>",
      "one folder per guest with a copy of its root file system (etc/fstab)",
    ),
    new Option("--xm-list <FILE>", "saved `xm list` output: the guests it lists are running"),
    new Option("--policy <FILE>", "policy file: repository roles (and, for check, rule settings)"),
    oneOf(
      "--io <MODE>",
      "file system calls: direct (local disk), concurrent (NFS, SMB, OCFS2), auto (default)",
      IO_MODES,
    ),
    new Option("--threads <N>", "worker threads that parse vm.cfg files: 0 to 64, or auto (default)"),
    new Option(
      "--cache-dir <DIR>",
      "where the parse cache is kept (default $XDG_CACHE_HOME/ovm-deps, else ~/.cache/ovm-deps)",
    ),
    new Option("--no-cache", "parse every vm.cfg, and read or write no parse cache"),
    ...quietOptions(ESTATE_MIN_SEVERITY),
  ];
}

/** What a whole-estate command prints of its diagnostics by default: warnings and errors (notes are counted). */
const ESTATE_MIN_SEVERITY = "warning";

/** The values commander gives for `scanOptions` (a command's own values may hold more). */
export interface ScanOptionValues extends QuietValues {
  repository?: string[] | undefined;
  guestBackups?: string | undefined;
  xmList?: string | undefined;
  policy?: string | undefined;
  io?: IoMode | undefined;
  threads?: string | undefined;
  cacheDir?: string | undefined;
  /** False with `--no-cache`. */
  cache?: boolean | undefined;
}

/** Diagnostic codes that mean the command line itself is wrong: exit 2. */
const USAGE_CODES: ReadonlySet<string> = new Set([
  "root-not-found",
  "duplicate-repository",
  "no-repositories",
]);

/** `--threads N|auto`: 0 to 64 worker threads (0: none), or auto (the default). */
function parseThreads(value: string | undefined): Threads {
  if (value === undefined || value === "auto") return "auto";
  if (!/^\d{1,2}$/.test(value) || Number(value) > 64) {
    throw new UsageError(`--threads must be auto or a number from 0 to 64 (got "${value}")`);
  }
  return Number(value);
}

/**
 * Every folder a command scans, absolute: its ROOTs and its `--repository NAME=DIR` folders (what must not
 * be written under, or read as the other side of a restore).
 */
export function scannedTrees(roots: readonly string[], values: ScanOptionValues, cwd: string): string[] {
  return [
    ...roots.map((root) => path.resolve(cwd, root)),
    ...parseRepositoryNames(values.repository ?? [], cwd).map((named) => named.dir),
  ];
}

/** `--guest-backups DIR`, absolute; null without it. */
export function guestBackupsDir(values: ScanOptionValues, cwd: string): string | null {
  return values.guestBackups === undefined ? null : path.resolve(cwd, values.guestBackups);
}

/** Parse `--repository NAME=DIR` values; DIR relative to the working directory. */
function parseRepositoryNames(values: readonly string[], cwd: string): Array<{ name: string; dir: string }> {
  return values.map((value) => {
    const at = value.indexOf("=");
    if (at <= 0 || at === value.length - 1) {
      throw new UsageError(`--repository expects NAME=DIR (got "${value}")`);
    }
    return { name: value.slice(0, at), dir: path.resolve(cwd, value.slice(at + 1)) };
  });
}

/** A policy file is a few kilobytes; a baseline of a large estate, a few megabytes. */
const MAX_POLICY_BYTES = 64 * 1024 * 1024;

/** Read and validate `--policy FILE` (null without one); an unreadable or invalid policy file is a usage error. */
export async function readPolicyFile(file: string | undefined, cwd: string): Promise<Policy | null> {
  if (file === undefined) return null;
  const absolute = path.resolve(cwd, file);
  const read = await readInputFile(absolute, MAX_POLICY_BYTES);
  if (read.bytes === null) throw new UsageError(`cannot read --policy ${file}: ${readError(read.error)}`);
  const text = read.bytes.toString("utf8");
  const { policy, diagnostics } = parsePolicy(text, absolute);
  if (policy === null) {
    throw new UsageError(`invalid --policy file:\n${diagnostics.map(formatDiagnostic).join("\n")}`);
  }
  return policy;
}

/**
 * Turn the shared flags into ScanOptions, scan `roots` (relative to io.cwd), show progress, print the
 * scan's diagnostics to stderr (each problem once, from `--min-severity`, default warning), and throw a UsageError for a missing ROOT or a duplicate repository.
 * `policy` is the `--policy` file when the command has read it already; `otherTrees`, the folders the
 * command scans in another call (the parse cache is kept in none of them).
 */
export async function scanFromCommandLine(
  roots: string[],
  values: ScanOptionValues,
  io: CliIo,
  given?: Policy | null,
  otherTrees: readonly string[] = [],
): Promise<ScanResult> {
  return reportScan(await scanWith(scanRepositories, roots, values, io, given, otherTrees), values, io);
}

/** `scanFromCommandLine`'s scan with another scanner (`scanDeferred`): its diagnostics are left to `reportScan`. */
export async function scanWith<T>(
  scanner: (roots: string[], options: ScanOptions) => Promise<T>,
  roots: string[],
  values: ScanOptionValues,
  io: CliIo,
  given?: Policy | null,
  otherTrees: readonly string[] = [],
): Promise<T> {
  const policy = given === undefined ? await readPolicyFile(values.policy, io.cwd) : given;
  const repositoryNames = parseRepositoryNames(values.repository ?? [], io.cwd);
  const ioMode = values.io ?? "auto";
  const threads = parseThreads(values.threads);
  if (roots.length === 0 && repositoryNames.length === 0) {
    throw new UsageError("expects at least one ROOT (a repository folder or a folder of repositories)");
  }
  const roles = policy?.repositories ?? [];
  // --quiet: no progress bar either.
  const progress = progressReporter(io, "scanning", Date.now, values.quiet === true);
  let result: T;
  try {
    result = await scanner(
      roots.map((root) => path.resolve(io.cwd, root)),
      {
        repositoryNames,
        guestBackups: guestBackupsDir(values, io.cwd),
        xmList: values.xmList === undefined ? null : path.resolve(io.cwd, values.xmList),
        roles,
        io: ioMode,
        threads,
        cache:
          values.cache === false
            ? null
            : new ParseCache(
                values.cacheDir === undefined ? defaultCacheDir() : path.resolve(io.cwd, values.cacheDir),
                { outside: otherTrees.map((tree) => path.resolve(io.cwd, tree)) },
              ),
        onProgress: progress.onProgress,
      },
    );
  } finally {
    progress.stop();
  }
  return result;
}

/**
 * Throw a UsageError for a missing ROOT or a duplicate repository, and print a scan's diagnostics to stderr
 * (each problem once, from `--min-severity`, default warning).
 */
export function reportScan(result: ScanResult, values: ScanOptionValues, io: CliIo): ScanResult {
  const usage = result.diagnostics.filter((d) => USAGE_CODES.has(d.code));
  if (usage.length > 0) throw new UsageError(usage.map(formatDiagnostic).join("\n"));
  // Each problem once (a link's, with every vm.cfg that reaches it), at least as severe as --min-severity.
  const problems = eachProblemOnce(result.diagnostics, [
    ...result.guests.flatMap((o) => o.diagnostics),
    ...result.templates.flatMap((o) => o.diagnostics),
  ]);
  printDiagnostics(problems, values, ESTATE_MIN_SEVERITY, io);
  return result;
}
