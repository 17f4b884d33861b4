// Job `graph`: scan an estate and build its dependency graph with the built library.
import { buildGraph, scanRepositories } from "../../dist/index.js";

/** Scan `roots` and build the graph; reports nodes and edges, and the graph build time alone. */
export async function graphJob(args: { roots: string[] }): Promise<Record<string, number>> {
  const scan = await scanRepositories(args.roots);
  const started = performance.now();
  const graph = buildGraph(scan);
  return {
    guests: scan.guests.length,
    nodes: graph.order,
    edges: graph.size,
    buildGraphMs: performance.now() - started,
  };
}
