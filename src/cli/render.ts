// Writing a document through the report registry: the one way every command prints its result.

import { Option } from "commander";
import { type FailOn, type KnownDocument, type RenderOptions, renderDocumentChunks } from "../index.js";
import { oneOf } from "./args.js";
import { type CliIo, UsageError } from "./io.js";

/** `--fail-on` (check and format): the lowest severity of an unsuppressed finding that makes the exit status 1. */
export function failOnOption(): Option {
  return oneOf(
    "--fail-on <SEVERITY>",
    "lowest severity of a finding that makes the exit status 1 (default error)",
    ["error", "warning", "never"] satisfies FailOn[],
  );
}

/** `-0` (plan, restore and format): `--format list` with NUL-terminated paths. */
export function nulOption(): Option {
  return new Option("-0, --nul", "with --format list: NUL-terminated paths");
}

/**
 * Render `known` in `format` and write it to stdout; resolves to the exit status the document gives.
 * What cannot be rendered (a list that a path would break) is a usage error: exit 2, nothing on stdout.
 * A refusal (an unsafe restore, in any format) goes to stderr first, then `held`: stderr output the
 * command held back so that the refusal is the first thing on stderr. The output is written in pieces as it
 * is rendered, waiting whenever stdout is full (the graph of a large estate is more than one string).
 */
export async function writeDocument(
  known: KnownDocument,
  format: string,
  options: RenderOptions,
  io: CliIo,
  held = "",
): Promise<number> {
  const result = renderDocumentChunks(known, format, { cwd: io.cwd, ...options });
  if (!result.ok) {
    if (held !== "") io.stderr.write(held);
    throw new UsageError(result.error);
  }
  const stderr = (result.stderr ?? "") + held;
  if (stderr !== "") io.stderr.write(stderr);
  let piece = "";
  for (const chunk of result.chunks) {
    piece += chunk;
    if (piece.length >= PIECE) {
      await write(io.stdout, piece);
      piece = "";
    }
  }
  if (piece !== "") await write(io.stdout, piece);
  return result.exitCode;
}

/** How much output is gathered before it is written: 1 MiB of text. */
const PIECE = 1 << 20;

/** Write `text`; when the stream says it is full, wait until it has taken it. */
function write(stream: CliIo["stdout"], text: string): Promise<void> | undefined {
  let done: () => void = () => {};
  const taken = new Promise<void>((resolve) => {
    done = resolve;
  });
  // A closed pipe is the stream's error event (bin.ts ends the process): the callback only says "taken".
  return stream.write(text, () => done()) === false ? taken : undefined;
}
