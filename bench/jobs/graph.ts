// Jobs `graph` and `graph-format`: scan an estate and build its dependency graph with the built library;
// then render it in one format, as `ovm-deps graph --format F` does.
import { buildGraph, renderDocumentChunks, scanRepositories, serializeGraph } from "../../dist/index.js";

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

/**
 * Scan `roots` (with the guest backups: NFS nodes), build and serialise the graph, and render it in `format`
 * through the registry, in chunks as the CLI writes them; reports the render time alone and the size.
 */
export async function graphFormatJob(args: {
  roots: string[];
  guestBackups: string;
  format: string;
}): Promise<Record<string, number>> {
  const scan = await scanRepositories(args.roots, { guestBackups: args.guestBackups });
  const started = performance.now();
  const document = serializeGraph(buildGraph(scan));
  const serializeMs = performance.now() - started;
  const rendering = performance.now();
  const result = renderDocumentChunks({ kind: "graph", document }, args.format);
  if (!result.ok) throw new Error(result.error);
  let megabytes = 0;
  for (const chunk of result.chunks) megabytes += Buffer.byteLength(chunk) / 2 ** 20;
  return {
    guests: scan.guests.length,
    nodes: document.nodes.length,
    edges: document.edges.length,
    buildAndSerializeMs: serializeMs,
    renderMs: performance.now() - rendering,
    outputMiB: megabytes,
  };
}
