// The commands by name, and how to load each: `ovm-deps --version`, `--help` and a typo load no command,
// and a command loads only its own module (and the library it needs), not every other command's.
import type { CommandDefinition } from "./args.js";

/** One line per command, for the overview (`ovm-deps --help`). */
export const SUMMARIES = {
  parse: "parse vm.cfg files",
  scan: "inventory: repositories, guests, templates, their disks, classified",
  graph: "the dependency graph (--format dot|json|mermaid)",
  plan: "per-guest backup sets (all guests when no --guest)",
  restore: "pre-restore check and restore file list (--from BACKUP)",
  check: "integrity and segregation rules for CI (--format sarif|junit|github)",
  format: "re-render a saved --format json document in another format (--format sarif|junit|…)",
} as const;

/** A command the overview lists, loaded only when it runs or shows its own help. */
export interface LazyCommand {
  name: string;
  summary: string;
  load: () => Promise<CommandDefinition<never>>;
}

/** A command by name, its summary, and the module that defines it (imported when it runs). */
const lazy = (name: keyof typeof SUMMARIES, load: () => Promise<unknown>): LazyCommand => ({
  name,
  summary: SUMMARIES[name],
  load: load as LazyCommand["load"],
});

/** Every command, in the order the overview lists them. */
export const COMMANDS: readonly LazyCommand[] = [
  lazy("parse", async () => (await import("./parse.js")).parseCommand),
  lazy("scan", async () => (await import("./scan.js")).scanCommand),
  lazy("graph", async () => (await import("./graph.js")).graphCommand),
  lazy("plan", async () => (await import("./plan.js")).planCommand),
  lazy("restore", async () => (await import("./restore.js")).restoreCommand),
  lazy("check", async () => (await import("./check.js")).checkCommand),
  lazy("format", async () => (await import("./format.js")).formatCommand),
];
