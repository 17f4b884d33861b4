// The command line: one definition per command (one file each), run through commander.
import packageJson from "../../package.json" with { type: "json" };
import { type CommandDefinition, runProgram } from "./args.js";
import { checkCommand } from "./check.js";
import { formatCommand } from "./format.js";
import { graphCommand } from "./graph.js";
import type { CliIo } from "./io.js";
import { parseCommand } from "./parse.js";
import { planCommand } from "./plan.js";
import { restoreCommand } from "./restore.js";
import { scanCommand } from "./scan.js";

/** Every command, in the order the overview lists them. */
const commands = [
  parseCommand,
  scanCommand,
  graphCommand,
  planCommand,
  restoreCommand,
  checkCommand,
  formatCommand,
] as ReadonlyArray<CommandDefinition<never>>;

/** Run the CLI with `argv` (without node and script); resolves to the exit code (never rejects). */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runProgram(commands, packageJson.version, argv, io);
}
