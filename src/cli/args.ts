// The command-line grammar, on commander: each command is a definition (options, help, examples, a run
// function); commander parses flags, prints --help, and suggests the nearest command or flag for a typo.
import { Command, CommanderError, Option } from "commander";
import { type CliIo, UsageError } from "./io.js";

/** Positionals and option values as commander gives them to a command (values keyed by camelCase name). */
export type RunCommand<O> = (positionals: string[], options: O, io: CliIo) => Promise<number>;

/** A command the overview lists, loaded only when it runs or shows its own help (src/cli/commands.ts). */
export interface LazyCommand {
  name: string;
  summary: string;
  load: () => Promise<CommandDefinition<never>>;
}

/** One command: what `--help` shows, the options it takes and the function that runs it. */
export interface CommandDefinition<O> {
  name: string;
  /** One line for the overview (`ovm-deps --help`). */
  summary: string;
  /** What the command does, for its own `--help`: a few lines, wrapped at about 100 columns. */
  description: string;
  /** The positional arguments as the usage line writes them, e.g. `[ROOT...]`, and what they are. */
  argument: { name: string; description: string };
  /** The options: a fresh list per call (commander keeps state in them). */
  options: () => Option[];
  /** Example command lines, each with what it does. */
  examples: ReadonlyArray<{ command: string; does: string }>;
  /** What its exit statuses mean. */
  exit: string;
  run: RunCommand<O>;
}

/** Collect a repeatable option's values (`--guest a --guest b`) into a list. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--NAME VALUE` that may be given several times: its values as a list (absent when never given). */
export function repeatable(flags: string, description: string): Option {
  return new Option(flags, description).argParser(collect);
}

/** `--NAME VALUE` among `choices`, checked by commander and listed in `--help`. */
export function oneOf(flags: string, description: string, choices: readonly string[]): Option {
  return new Option(flags, description).choices(choices);
}

/** Check `--format` against the formats a command offers; `fallback` (text) when not given. */
export function chooseFormat<F extends string>(
  value: string | undefined,
  formats: readonly F[],
  fallback = "text" as F,
): F {
  const chosen = value ?? fallback;
  if (!(formats as readonly string[]).includes(chosen)) {
    throw new UsageError(`--format must be one of ${formats.join(", ")} (got "${chosen}")`);
  }
  return chosen as F;
}

/** The help text after the options: examples (what each does, then the command line) and exit statuses. */
function helpAfter(definition: CommandDefinition<unknown>): string {
  return [
    "",
    "Examples:",
    ...definition.examples.flatMap((e) => [`  ${e.does}:`, `    $ ${e.command}`]),
    "",
    "Exit status:",
    ...definition.exit.split("\n").map((line) => `  ${line}`),
    "",
  ].join("\n");
}

/**
 * A description written wrapped in the source, as paragraphs for commander to wrap at the terminal's width:
 * a line break inside a paragraph becomes a space; blank lines and indented lines (a table) stay.
 */
const unwrap = (text: string): string => text.replace(/([^\n])\n(?=[^\n\s])/g, "$1 ");

/** What running the command line came to: the command that ran (its name), its exit code, `--debug`. */
interface Outcome {
  command: string | null;
  code: number | null;
  debug: boolean;
}

/** Commander's errors for help and version are exit 0; every other one is a usage error, exit 2. */
const COMMANDER_EXIT: Readonly<Record<string, number>> = {
  "commander.helpDisplayed": 0,
  "commander.help": 0,
  "commander.version": 0,
};

/** The overview: what `ovm-deps` is, its commands, the global options. */
const DESCRIPTION = `Reads Oracle VM 3 storage repositories offline (a live /OVS/Repositories or a copy of it) and tells
what each guest depends on, what to back up, and whether a selective restore is safe.`;

/** Commander's error message in this CLI's words: one line, "did you mean" inline, choices as a list. */
function commanderMessage(text: string): string {
  return text
    .replace(/^error: /, "")
    .replace(/\n\(Did you mean (.*)\)/, " (did you mean $1)")
    .replace(
      /^option '(--[\w-]+)[^']*' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/m,
      (_, flag: string, value: string, choices: string) =>
        `${flag} must be one of ${choices} (got "${value}")`,
    );
}

/**
 * Build the program: the overview, the global `--debug`, and one sub-command per definition. Output goes to
 * `io`; errors are `ovm-deps COMMAND: message` lines on stderr, with commander's "did you mean" suggestion.
 */
function buildProgram(
  commands: ReadonlyArray<CommandDefinition<never> | { name: string; summary: string }>,
  version: string,
  io: CliIo,
  outcome: Outcome,
): Command {
  const program = new Command("ovm-deps");
  const output = (name: string) => ({
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) => write(`${name}: ${commanderMessage(text)}`),
  });
  program
    .description(unwrap(DESCRIPTION))
    .version(version, "-V, --version", "print the version")
    .option("--debug", "on an internal error, print its stack trace")
    .configureOutput(output("ovm-deps"))
    .helpCommand("help [command]", "show the help of a command")
    .exitOverride()
    .addHelpText("after", "\nRun 'ovm-deps COMMAND --help' for a command's options and examples.\n");
  for (const entry of commands) {
    // A command that does not run here: its name and summary are all the overview and "did you mean" need.
    if (!("run" in entry)) {
      program.command(entry.name).summary(entry.summary);
      continue;
    }
    const definition = entry;
    const command = program
      .command(definition.name)
      .summary(definition.summary)
      .description(unwrap(definition.description))
      .argument(definition.argument.name, definition.argument.description)
      .configureOutput(output(`ovm-deps ${definition.name}`))
      .exitOverride()
      .addHelpText("after", helpAfter(definition as CommandDefinition<unknown>));
    for (const option of definition.options()) command.addOption(option);
    command.action(async (...args: unknown[]) => {
      // Commander passes the argument (a list when variadic), the options, the command.
      const first = args[0] as string | string[] | undefined;
      const positionals = Array.isArray(first) ? first : first === undefined ? [] : [first];
      outcome.command = definition.name;
      outcome.debug = program.opts().debug === true;
      outcome.code = await definition.run(positionals, command.opts() as never, io);
    });
  }
  return program;
}

/** An internal error (a bug): one line, a hint to re-run with --debug; with --debug, the stack trace too. */
export function reportInternalError(error: unknown, debug: boolean, io: Pick<CliIo, "stderr">): void {
  const message = error instanceof Error ? error.message : String(error);
  if (debug) {
    io.stderr.write(`${error instanceof Error && error.stack ? error.stack : message}\n`);
    return;
  }
  const firstLine = message.split("\n", 1)[0] ?? "";
  io.stderr.write(`ovm-deps: internal error: ${firstLine} (re-run with --debug for the trace)\n`);
}

/** Exit status of an internal error (EX_SOFTWARE). */
export const INTERNAL_ERROR = 70;

/**
 * Parse `argv` and run the command it names; resolves to the exit code. A usage error (commander's, or a
 * UsageError from the command) is one message on stderr and exit 2; an internal error is one line, exit 70.
 */
export async function runProgram(
  commands: readonly LazyCommand[],
  version: string,
  argv: string[],
  io: CliIo,
): Promise<number> {
  const outcome: Outcome = { command: null, code: null, debug: argv.includes("--debug") };
  // Only the command the line names is loaded (`help COMMAND` names one too): --version, the overview and
  // a mistyped command start without loading the library.
  const words = argv.filter((arg) => !arg.startsWith("-"));
  const named = words[0] === "help" ? words[1] : words[0];
  let loaded: ReadonlyArray<CommandDefinition<never> | LazyCommand>;
  try {
    loaded = await Promise.all(commands.map((c) => (c.name === named ? c.load() : c)));
  } catch (error) {
    reportInternalError(error, outcome.debug, io);
    return INTERNAL_ERROR;
  }
  const program = buildProgram(loaded, version, io, outcome);
  if (argv.length === 0) {
    // No command at all: the overview, as a usage error.
    io.stderr.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return COMMANDER_EXIT[error.code] ?? 2;
    if (error instanceof UsageError) {
      const name = outcome.command === null ? "ovm-deps" : `ovm-deps ${outcome.command}`;
      io.stderr.write(`${name}: ${error.message}\n`);
      return 2;
    }
    reportInternalError(error, outcome.debug, io);
    return INTERNAL_ERROR;
  }
  return outcome.code ?? 0;
}
