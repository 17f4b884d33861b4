// Command dispatch: one file per command, usage errors turned into exit code 2.

import { checkCommand } from "./check.js";
import { graphCommand } from "./graph.js";
import { type CliIo, type Command, UsageError } from "./io.js";
import { parseCommand } from "./parse.js";
import { planCommand } from "./plan.js";
import { restoreCommand } from "./restore.js";
import { scanCommand } from "./scan.js";

const commands: Record<string, { run: Command; summary: string }> = {
  parse: { run: parseCommand, summary: "parse vm.cfg files" },
  scan: { run: scanCommand, summary: "inventory: repositories, guests, templates, their disks, classified" },
  graph: { run: graphCommand, summary: "the dependency graph (--format dot|json|mermaid)" },
  plan: { run: planCommand, summary: "per-guest backup sets (all guests when no --guest)" },
  restore: { run: restoreCommand, summary: "pre-restore check and restore file list (--from BACKUP)" },
  check: {
    run: checkCommand,
    summary: "integrity and segregation rules for CI (--format sarif|junit|github)",
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
    io.stdout.write(`${process.env.OVM_DEPS_VERSION ?? "ovm-deps"}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`ovm-deps: unknown command "${name}"\n${usage()}`);
    return 2;
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
