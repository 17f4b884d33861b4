// `ovm-deps graph ROOT… [--guest SEL]… [--repository SEL]… --format dot|json|mermaid`: the dependency
// graph of the scanned repositories, or of some guests' and repositories' neighbourhood.

import {
  buildGraph,
  formatsOf,
  isSelectionError,
  scopeGraph,
  selectGraphScope,
  serializeGraph,
} from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf, repeatable } from "./args.js";
import { selectionUsageError } from "./plan.js";
import { writeDocument } from "./render.js";
import { ROOTS, type ScanOptionValues, scanFromCommandLine, scanOptions } from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

interface GraphValues extends ScanOptionValues {
  format?: string;
  guest?: string[];
}

/** `--repository` values: NAME=DIR (a repository to scan, as for every command) and SEL (one to draw). */
function splitRepositoryValues(values: readonly string[]): { names: string[]; selectors: string[] } {
  const names = values.filter((value) => value.includes("="));
  return { names, selectors: values.filter((value) => !value.includes("=")) };
}

/** `graph`: scan, build the graph, limit it to the selected neighbourhood, print it in the chosen format. */
export const graphCommand: CommandDefinition<GraphValues> = {
  name: "graph",
  summary: SUMMARIES.graph,
  description: `Prints the dependency graph of the scanned estate: repositories, guests, templates, virtual disks,
ISOs, LUNs, external files, NFS exports and assemblies. DOT by default (pipe it to 'dot -Tsvg'),
graphology's JSON serialisation, or a Mermaid flowchart (cut within Mermaid's limits, with a note).
--guest SEL and --repository SEL (repeatable) limit every format to those owners and repositories,
what they use, and the other guests and templates that share a disk, LUN or file with them.`,
  argument: ROOTS,
  options: () => [
    oneOf("--format <F>", "output format (default dot; text is dot)", formatsOf("graph")),
    repeatable(
      "--guest <SEL>",
      "draw only this guest or template and its neighbourhood (repeatable): name, simple name, uuid, folder or reference",
    ),
    // `--repository` is every scanning command's NAME=DIR; here a value without `=` selects a repository.
    ...scanOptions().map((option) =>
      option.long === "--repository"
        ? repeatable(
            "--repository <SEL|NAME=DIR>",
            "SEL: draw only this repository (id, folder name or alias) and its guests' neighbourhood; NAME=DIR: scan DIR as a repository also known as NAME (repeatable)",
          )
        : option,
    ),
  ],
  examples: [
    { command: "ovm-deps graph /OVS/Repositories | dot -Tsvg > estate.svg", does: "a picture of the estate" },
    {
      command: "ovm-deps graph /OVS/Repositories --guest web01 | dot -Tsvg > web01.svg",
      does: "one guest, its disks and who shares them",
    },
    {
      command: "ovm-deps graph /OVS/Repositories --repository Guests --format mermaid",
      does: "one repository as a flowchart for a wiki page",
    },
  ],
  exit: `0 once the scan completed (problems are diagnostics on stderr)
2 usage error: an unknown or ambiguous --guest or --repository`,
  run: async (roots, values, io) => {
    // `text` is every command's default format; for a graph the text people read is DOT, so it is an alias.
    const format = chooseFormat(values.format, formatsOf("graph"), "dot");
    const { names, selectors } = splitRepositoryValues(values.repository ?? []);
    const guests = values.guest ?? [];
    const scan = await scanFromCommandLine(roots, { ...values, repository: names }, io);
    let graph = buildGraph(scan);
    if (guests.length > 0 || selectors.length > 0) {
      const scope = selectGraphScope(scan, guests, selectors);
      if (isSelectionError(scope)) throw selectionUsageError(scope.problems);
      graph = scopeGraph(graph, scope);
    }
    return writeDocument({ kind: "graph", document: serializeGraph(graph) }, format, {}, io);
  },
};
