// Command-line parsing shared by the commands: node:util parseArgs, with usage errors as exit code 2.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parse `argv` strictly against `options`; unknown flags and missing values become a UsageError. */
export function parseCommandLine<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Check `--format` against the formats a command offers; text is the default. */
export function chooseFormat<F extends string>(value: string | undefined, formats: readonly F[]): F {
  const format = value ?? "text";
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${formats.join(", ")} (got "${format}")`);
  }
  return format as F;
}
