// Run the built CLI (dist/cli/bin.js) as a user would, capturing output and exit code.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Absolute path of the built executable. */
export const binPath = fileURLToPath(new URL("../../dist/cli/bin.js", import.meta.url));

/** What a CLI run gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `ovm-deps ARGS…` synchronously. */
export function runCli(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): CliRun {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
