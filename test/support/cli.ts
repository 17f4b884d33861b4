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
