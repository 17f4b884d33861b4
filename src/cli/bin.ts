#!/usr/bin/env node
// The ovm-deps executable: runs the command line and is the only place that exits, quietly on a closed pipe
// (141, as SIGPIPE), restoring the terminal on Ctrl-C or SIGTERM (130, 143), one line on a bug (70).
import { INTERNAL_ERROR, reportInternalError } from "./args.js";
import { RESTORE_TERMINAL } from "./io.js";
import { main } from "./main.js";

/** The exit status of a process killed by SIGPIPE, as shells report it: 128 + 13. */
const SIGPIPE_STATUS = 141;

const debug = process.argv.includes("--debug");

// A reader that went away (`| head`): stop at once, silently, as a Unix tool killed by SIGPIPE would.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(SIGPIPE_STATUS);
    reportInternalError(error, debug, { stderr: process.stderr });
    process.exit(INTERNAL_ERROR);
  });
}

// Ctrl-C or a kill: put the terminal back (a progress bar hides the cursor and turns line wrapping off), then
// die of the same signal, so that the shell sees 130 or 143 and a calling loop stops too. Re-raised rather than
// process.exit: an exit waits for file system calls in flight, which can block for ever (an --xm-list FIFO
// nobody writes, a hung NFS mount).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  const handler = (): void => {
    if (process.stderr.isTTY) process.stderr.write(RESTORE_TERMINAL);
    process.removeListener(signal, handler);
    process.kill(process.pid, signal);
  };
  process.on(signal, handler);
}

// A bug outside the command's own promise (a callback, a stray rejection): one line, never a stack trace.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => {
    if (process.stderr.isTTY) process.stderr.write(RESTORE_TERMINAL);
    reportInternalError(error, debug, { stderr: process.stderr });
    process.exit(INTERNAL_ERROR);
  });
}

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTty: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
