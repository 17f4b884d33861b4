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
 */
export function writeDocument(
  known: KnownDocument,
  format: string,
  options: RenderOptions,
  io: CliIo,
): number {
  const result = renderDocument(known, format, { cwd: io.cwd, ...options });
  if (!result.ok) throw new UsageError(result.error);
  io.stdout.write(result.output);
  return result.exitCode;
}
