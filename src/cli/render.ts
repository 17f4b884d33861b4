// Writing a document through the report registry: the one way every command prints its result.

import { Option } from "commander";
import { type FailOn, type KnownDocument, type RenderOptions, renderDocument } from "../index.js";
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
 * command held back so that the refusal is the first thing on stderr.
 */
export function writeDocument(
  known: KnownDocument,
  format: string,
  options: RenderOptions,
  io: CliIo,
  held = "",
): number {
  const result = renderDocument(known, format, { cwd: io.cwd, ...options });
  if (!result.ok) {
    if (held !== "") io.stderr.write(held);
    throw new UsageError(result.error);
  }
  const stderr = (result.stderr ?? "") + held;
  if (stderr !== "") io.stderr.write(stderr);
  io.stdout.write(result.output);
  return result.exitCode;
}
