// Command dispatch: one file per command, usage errors turned into exit code 2.

import packageJson from "../../package.json" with { type: "json" };
import { checkCommand, checkUsage } from "./check.js";
import { formatCommand, formatUsage } from "./format.js";
import { graphCommand, graphUsage } from "./graph.js";
import { type CliIo, type Command, UsageError } from "./io.js";
import { parseCommand, parseUsage } from "./parse.js";
import { planCommand, planUsage } from "./plan.js";
import { restoreCommand, restoreUsage } from "./restore.js";
import { scanCommand, scanUsage } from "./scan.js";

/** Each command: how to run it, one line for the overview, and what its `--help` prints. */
const commands: Record<string, { run: Command; summary: string; usage: string }> = {
  parse: { run: parseCommand, summary: "parse vm.cfg files", usage: parseUsage },
  scan: {
    run: scanCommand,
    summary: "inventory: repositories, guests, templates, their disks, classified",
    usage: scanUsage,
  },
  graph: {
    run: graphCommand,
    summary: "the dependency graph (--format dot|json|mermaid)",
    usage: graphUsage,
  },
  plan: { run: planCommand, summary: "per-guest backup sets (all guests when no --guest)", usage: planUsage },
  restore: {
    run: restoreCommand,
    summary: "pre-restore check and restore file list (--from BACKUP)",
    usage: restoreUsage,
  },
  check: {
    run: checkCommand,
    summary: "integrity and segregation rules for CI (--format sarif|junit|github)",
    usage: checkUsage,
  },
  format: {
    run: formatCommand,
    summary: "re-render a saved --format json document in another format (--format sarif|junit|…)",
    usage: formatUsage,
  },
};

const usage = (): string =>
  [
    "usage: ovm-deps <command> [options]",
    "",
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`),
    "",
    "Run 'ovm-deps <command> --help' for a command's options.",
    "",
  ].join("\n");

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    io.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`ovm-deps: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`ovm-deps ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
