#!/usr/bin/env node
// The ovm-deps executable: picks a command, runs it, and is the only place that exits.
import { main } from "./main.js";

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTty: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug: say so in one line, never a stack trace (OVM_DEPS_DEBUG=1 shows it).
    process.stderr.write(
      `ovm-deps: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    if (process.env.OVM_DEPS_DEBUG) console.error(error);
    process.exitCode = 70;
  },
);
