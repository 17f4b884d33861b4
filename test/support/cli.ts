// Run the built CLI (dist/cli/bin.js) as a user would, capturing output and exit code.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the built executable. */
export const binPath = fileURLToPath(new URL("../../dist/cli/bin.js", import.meta.url));

/** What a CLI run gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let runs = 0;

/**
 * A fresh XDG_CACHE_HOME for one run, inside the test file's temp folder (test/support/cache-env.ts, removed
 * after the file): the CLI's parse cache never reaches the real ~/.cache, and no run is made warm by
 * another's (tests of the cache set their own).
 */
function freshCacheHome(): string {
  const base = process.env.OVM_DEPS_TEST_CACHE ?? mkdtempSync(path.join(tmpdir(), "ovm-deps-cli-cache-"));
  return path.join(base, `run-${runs++}`);
}

/** Run `ovm-deps ARGS…` synchronously (with a fresh, empty parse cache unless `env` sets XDG_CACHE_HOME). */
export function runCli(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): CliRun {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    input: options.input,
    env: { ...process.env, XDG_CACHE_HOME: freshCacheHome(), ...options.env },
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Root ignores file modes: when the tests run as root, permission cases run the CLI as `nobody`. */
const asRoot = process.getuid?.() === 0;

/** True when `runAsUser` can drop privileges (not root, or root with runuser): else such cases are skipped. */
export const canRunAsUser = !asRoot || spawnSync("runuser", ["--help"]).status === 0;

/** Run `ovm-deps ARGS…` as an unprivileged user (`nobody` via runuser when root), so that EACCES really happens. */
export function runAsUser(args: string[]): CliRun {
  const run = asRoot
    ? spawnSync("runuser", ["-u", "nobody", "--", process.execPath, binPath, ...args], { encoding: "utf8" })
    : spawnSync(process.execPath, [binPath, ...args], { encoding: "utf8" });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}
