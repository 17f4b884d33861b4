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

/** Every command, in the order the overview lists them. */
export const COMMANDS: readonly LazyCommand[] = [
  {
    name: "parse",
    summary: SUMMARIES.parse,
    load: async () => (await import("./parse.js")).parseCommand as CommandDefinition<never>,
  },
  {
    name: "scan",
    summary: SUMMARIES.scan,
    load: async () => (await import("./scan.js")).scanCommand as CommandDefinition<never>,
  },
  {
    name: "graph",
    summary: SUMMARIES.graph,
    load: async () => (await import("./graph.js")).graphCommand as CommandDefinition<never>,
  },
  {
    name: "plan",
    summary: SUMMARIES.plan,
    load: async () => (await import("./plan.js")).planCommand as CommandDefinition<never>,
  },
  {
    name: "restore",
    summary: SUMMARIES.restore,
    load: async () => (await import("./restore.js")).restoreCommand as CommandDefinition<never>,
  },
  {
    name: "check",
    summary: SUMMARIES.check,
    load: async () => (await import("./check.js")).checkCommand as CommandDefinition<never>,
  },
  {
    name: "format",
    summary: SUMMARIES.format,
    load: async () => (await import("./format.js")).formatCommand as CommandDefinition<never>,
  },
];
