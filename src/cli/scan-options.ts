// Option handling shared by every command that scans (scan, graph, plan, restore, check): flags → ScanResult.
import path from "node:path";
import { SingleBar } from "cli-progress";
import {
  type Diagnostic,
  defaultCacheDir,
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
import { chooseValue } from "./args.js";
import { type CliIo, UsageError } from "./io.js";

/** The parseArgs option definitions every command that scans accepts; spread them into a command's own. */
export const scanOptionDefinitions = {
  /** `--repository NAME=DIR` (repeatable): DIR is scanned as a ROOT and its repository is also known as NAME. */
  repository: { type: "string", multiple: true },
  /** `--guest-backups DIR`: one folder per guest with its backed-up `etc/fstab`. */
  "guest-backups": { type: "string" },
  /** `--xm-list FILE`: saved `xm list` output. */
  "xm-list": { type: "string" },
  /** `--policy FILE`: repository roles (and, for `check`, rule settings). */
  policy: { type: "string" },
  /** `--format`: checked by each command against the formats it offers. */
  format: { type: "string" },
  /** `--io auto|direct|concurrent`: how the file system is called (see IoMode). */
  io: { type: "string" },
  /** `--threads N|auto`: worker threads that parse vm.cfg files (see Threads). */
  threads: { type: "string" },
  /** `--cache-dir DIR`: where the parse cache is kept (default `$XDG_CACHE_HOME/ovm-deps`, `~/.cache/ovm-deps`). */
  "cache-dir": { type: "string" },
  /** `--no-cache`: parse every vm.cfg, and read or write no cache. */
  "no-cache": { type: "boolean" },
} as const;

/** The values parseArgs gives for `scanOptionDefinitions` (a command's own values may hold more). */
export interface ScanOptionValues {
  repository?: string[] | undefined;
  "guest-backups"?: string | undefined;
  "xm-list"?: string | undefined;
  policy?: string | undefined;
  format?: string | undefined;
  io?: string | undefined;
  threads?: string | undefined;
  "cache-dir"?: string | undefined;
  "no-cache"?: boolean | undefined;
}

const IO_MODES: readonly IoMode[] = ["auto", "direct", "concurrent"];

/** Diagnostic codes that mean the command line itself is wrong: exit 2. */
const USAGE_CODES: ReadonlySet<string> = new Set([
  "root-not-found",
  "duplicate-repository",
  "no-repositories",
]);

/** A scan shorter than this shows no progress bar at all. */
const PROGRESS_DELAY_MS = 1000;

/** `--threads N|auto`: 0 to 64 worker threads (0: none), or auto (the default). */
function parseThreads(value: string | undefined): Threads {
  if (value === undefined || value === "auto") return "auto";
  if (!/^\d{1,2}$/.test(value) || Number(value) > 64) {
    throw new UsageError(`--threads must be auto or a number from 0 to 64 (got "${value}")`);
  }
  return Number(value);
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
  if (read.bytes === null) throw new UsageError(`cannot read --policy ${file}: ${read.error}`);
  const text = read.bytes.toString("utf8");
  const { policy, diagnostics } = parsePolicy(text, absolute);
  if (policy === null) {
    throw new UsageError(`invalid --policy file:\n${diagnostics.map(formatDiagnostic).join("\n")}`);
  }
  return policy;
}

/** Drive a cli-progress bar from scan progress: only on a terminal, and only once the scan has run a while. */
function progressReporter(io: CliIo): { onProgress: ScanOptions["onProgress"]; stop: () => void } {
  if (!io.stderrIsTty) return { onProgress: undefined, stop: () => {} };
  const started = Date.now();
  let bar: SingleBar | null = null;
  const onProgress = (done: number, total: number): void => {
    if (bar === null) {
      if (Date.now() - started < PROGRESS_DELAY_MS) return;
      // cli-progress checks `isTTY` on its stream; io.stderr is known to be a terminal here.
      const stream = { isTTY: true, write: (chunk: string) => io.stderr.write(chunk) };
      bar = new SingleBar({
        stream: stream as unknown as NodeJS.WritableStream,
        format: "scanning [{bar}] {value}/{total}",
        clearOnComplete: true,
        hideCursor: true,
      });
      bar.start(total, done);
      return;
    }
    bar.setTotal(total);
    bar.update(done);
  };
  return { onProgress, stop: () => bar?.stop() };
}

/** Print diagnostics to stderr, one `file:line:column: severity code message` line each. */
function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIo): void {
  for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
}

/**
 * Turn the shared flags into ScanOptions, scan `roots` (relative to io.cwd), show progress, print the
 * scan's diagnostics to stderr, and throw a UsageError for a missing ROOT or a duplicate repository.
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
  const policy = given === undefined ? await readPolicyFile(values.policy, io.cwd) : given;
  const repositoryNames = parseRepositoryNames(values.repository ?? [], io.cwd);
  const ioMode = chooseValue("io", values.io, IO_MODES, "auto");
  const threads = parseThreads(values.threads);
  if (roots.length === 0 && repositoryNames.length === 0) {
    throw new UsageError("expects at least one ROOT (a repository folder or a folder of repositories)");
  }
  const roles = policy?.repositories ?? [];
  const progress = progressReporter(io);
  let result: ScanResult;
  try {
    result = await scanRepositories(
      roots.map((root) => path.resolve(io.cwd, root)),
      {
        repositoryNames,
        guestBackups:
          values["guest-backups"] === undefined ? null : path.resolve(io.cwd, values["guest-backups"]),
        xmList: values["xm-list"] === undefined ? null : path.resolve(io.cwd, values["xm-list"]),
        roles,
        io: ioMode,
        threads,
        cache: values["no-cache"]
          ? null
          : new ParseCache(
              values["cache-dir"] === undefined
                ? defaultCacheDir()
                : path.resolve(io.cwd, values["cache-dir"]),
              { outside: otherTrees.map((tree) => path.resolve(io.cwd, tree)) },
            ),
        onProgress: progress.onProgress,
      },
    );
  } finally {
    progress.stop();
  }
  const usage = result.diagnostics.filter((d) => USAGE_CODES.has(d.code));
  if (usage.length > 0) throw new UsageError(usage.map(formatDiagnostic).join("\n"));
  printDiagnostics(
    [
      ...result.diagnostics,
      ...result.guests.flatMap((o) => o.diagnostics),
      ...result.templates.flatMap((o) => o.diagnostics),
    ],
    io,
  );
  return result;
}
