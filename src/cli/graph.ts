// `ovm-deps graph ROOT… --format dot|json|mermaid`: the dependency graph of the scanned repositories.
import { buildGraph, renderDot, renderMermaid, serializeGraph } from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import type { CliIo } from "./io.js";
import { scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

// `text` is every command's default format; for a graph the text people read is DOT, so it is an alias.
const FORMATS = ["dot", "json", "mermaid", "text"] as const;

/** What `ovm-deps graph --help` prints. */
export const graphUsage = `usage: ovm-deps graph ROOT… [--format dot|json|mermaid]
                      [--repository NAME=DIR]… [--guest-backups DIR] [--xm-list FILE] [--io MODE] [--threads N] [--policy FILE]

Prints the dependency graph: DOT by default (pipe it to 'dot -Tsvg'), graphology's JSON
serialisation, or a Mermaid flowchart. Exit 0 once the scan completed; problems are diagnostics
on stderr. Exit 2 on a usage error.
`;

/** Run `graph`: scan, build the graph, print it in the chosen format. */
export async function graphCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...scanOptionDefinitions,
  });
  const format = chooseFormat(values.format ?? "dot", FORMATS);
  const scan = await scanFromCommandLine(positionals, values, io);
  const graph = serializeGraph(buildGraph(scan));
  if (format === "json") io.stdout.write(`${JSON.stringify(graph, null, 2)}\n`);
  else if (format === "mermaid") io.stdout.write(renderMermaid(graph));
  else io.stdout.write(renderDot(graph));
  return 0;
}
