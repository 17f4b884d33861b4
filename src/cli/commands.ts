// The commands by name, and how to load each: `ovm-deps --version`, `--help` and a typo load no command,
// and a command loads only its own module (and the library it needs), not every other command's.
import type { LazyCommand } from "./args.js";
import { SUMMARIES } from "./summaries.js";

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
  lazy("verify", async () => (await import("./verify.js")).verifyCommand),
  lazy("rebuild", async () => (await import("./rebuild.js")).rebuildCommand),
  lazy("report", async () => (await import("./report.js")).reportCommand),
  lazy("format", async () => (await import("./format.js")).formatCommand),
];
