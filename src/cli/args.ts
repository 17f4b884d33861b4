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

/** Check `--NAME VALUE` against the values the flag takes; `fallback` when the flag is not given. */
export function chooseValue<V extends string>(
  name: string,
  value: string | undefined,
  values: readonly V[],
  fallback: V,
): V {
  const chosen = value ?? fallback;
  if (!(values as readonly string[]).includes(chosen)) {
    throw new UsageError(`--${name} must be one of ${values.join(", ")} (got "${chosen}")`);
  }
  return chosen as V;
}

/** Check `--format` against the formats a command offers; text is the default. */
export function chooseFormat<F extends string>(value: string | undefined, formats: readonly F[]): F {
  return chooseValue("format", value, formats, "text" as F);
}
