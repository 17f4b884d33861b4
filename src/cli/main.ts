// The command line: one definition per command (one file each, loaded when it runs), run through commander.
import packageJson from "../../package.json" with { type: "json" };
import { runProgram } from "./args.js";
import { COMMANDS } from "./commands.js";
import type { CliIo } from "./io.js";

/** Run the CLI with `argv` (without node and script); resolves to the exit code (never rejects). */
export function main(argv: string[], io: CliIo): Promise<number> {
  return runProgram(COMMANDS, packageJson.version, argv, io);
}
