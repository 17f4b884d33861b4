// The I/O a command gets: its streams and whether stderr is a terminal. Commands never exit.
import type { Writable } from "node:stream";

/** Where a command writes; injected so that tests and embedders can capture it. */
export interface CliIo {
  stdout: Pick<Writable, "write">;
  stderr: Pick<Writable, "write">;
  /** True when stderr is a terminal: only then is progress shown. */
  stderrIsTty: boolean;
  /** Working directory that relative paths on the command line are taken from. */
  cwd: string;
  /** Standard input, for a FILE given as `-` (absent: `-` is a usage error). */
  stdin?: AsyncIterable<Uint8Array | string>;
}

/** A command: takes its arguments (after the command name) and I/O, returns the exit code. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** A usage error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Why a file given on the command line was too large: `file-too-large`, and the limit, in MiB. */
export function tooLarge(maxBytes: number): string {
  return `file-too-large: more than ${maxBytes / (1024 * 1024)} MiB`;
}

/** readInputFile's reason in this CLI's words: a file over its limit is `file-too-large`, others as they are. */
export function readError(error: string): string {
  const limit = /^larger than (\d+) bytes$/.exec(error);
  return limit ? tooLarge(Number(limit[1])) : error;
}

/**
 * What puts a terminal back as it was before a progress line: the line cleared, the cursor shown, line
 * wrapping on (cli-progress hides the cursor and turns wrapping off while a bar is up).
 */
export const RESTORE_TERMINAL = "\r\x1b[2K\x1b[?25h\x1b[?7h";
