// `ovm-deps graph ROOT… --format dot|json|mermaid`: the dependency graph of the scanned repositories.
import { buildGraph, formatsOf, serializeGraph } from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import type { CliIo } from "./io.js";
import { writeDocument } from "./render.js";
import { scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

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
  // `text` is every command's default format; for a graph the text people read is DOT, so it is an alias.
  const format = chooseFormat(values.format ?? "dot", formatsOf("graph"));
  const scan = await scanFromCommandLine(positionals, values, io);
  return writeDocument({ kind: "graph", document: serializeGraph(buildGraph(scan)) }, format, {}, io);
}
