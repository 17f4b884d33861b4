// The graph as plain data: graphology's serialisation, checked against the `graph --format json` schema.
import { type SerializedGraph, SerializedGraphSchema } from "../schema/graph.js";
import type { EstateGraph } from "./model.js";

/** graphology's `export()` of the graph, validated against SerializedGraphSchema (a mismatch is a bug). */
export function serializeGraph(graph: EstateGraph): SerializedGraph {
  return SerializedGraphSchema.parse(graph.export());
}
