// Writing a document through the report registry: the one way every command prints its result.
import { type FailOn, type KnownDocument, type RenderOptions, renderDocument } from "../index.js";
import { chooseValue } from "./args.js";
import { type CliIo, UsageError } from "./io.js";

const FAIL_ON: readonly FailOn[] = ["error", "warning", "never"];

/** Check `--fail-on` (check and format); `error` when not given. */
export function chooseFailOn(value: string | undefined): FailOn {
  return chooseValue("fail-on", value, FAIL_ON, "error");
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
