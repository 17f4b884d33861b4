// `ovm-deps graph ROOT… --format dot|json|mermaid`: the dependency graph of the scanned repositories.

import { buildGraph, formatsOf, serializeGraph } from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf } from "./args.js";
import { writeDocument } from "./render.js";
import { ROOTS, type ScanOptionValues, scanFromCommandLine, scanOptions } from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

interface GraphValues extends ScanOptionValues {
  format?: string;
}

/** `graph`: scan, build the graph, print it in the chosen format. */
export const graphCommand: CommandDefinition<GraphValues> = {
  name: "graph",
  summary: SUMMARIES.graph,
  description: `Prints the dependency graph of the scanned estate: repositories, guests, templates, virtual disks,
ISOs, LUNs, external files, NFS exports and assemblies. DOT by default (pipe it to 'dot -Tsvg'),
graphology's JSON serialisation, or a Mermaid flowchart.`,
  argument: ROOTS,
  options: () => [
    oneOf("--format <F>", "output format (default dot; text is dot)", formatsOf("graph")),
    ...scanOptions(),
  ],
  examples: [
    { command: "ovm-deps graph /OVS/Repositories | dot -Tsvg > estate.svg", does: "a picture of the estate" },
    { command: "ovm-deps graph /OVS/Repositories --format mermaid", does: "a flowchart for a wiki page" },
  ],
  exit: `0 once the scan completed (problems are diagnostics on stderr)
2 usage error`,
  run: async (roots, values, io) => {
    // `text` is every command's default format; for a graph the text people read is DOT, so it is an alias.
    const format = chooseFormat(values.format, formatsOf("graph"), "dot");
    const scan = await scanFromCommandLine(roots, values, io);
    return writeDocument({ kind: "graph", document: serializeGraph(buildGraph(scan)) }, format, {}, io);
  },
};
