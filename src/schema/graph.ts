// Schema of the `graph --format json` document: graphology's serialisation with a `kind` on everything.
import { z } from "zod";

/** Node kinds of the dependency graph. */
export const NodeKindSchema = z.enum([
  "repository",
  "guest",
  "template",
  "virtual-disk",
  "iso",
  "physical-disk",
  "external-file",
  "nfs-export",
  "assembly",
]);
/** Node kinds of the dependency graph. */
export type NodeKind = z.infer<typeof NodeKindSchema>;

/** Edge kinds: `contains` (repository → its content), `uses` (owner → disk/ISO/LUN/file), `mounts` (guest → NFS export). */
export const EdgeKindSchema = z.enum(["contains", "uses", "mounts"]);
/** Edge kinds of the dependency graph. */
export type EdgeKind = z.infer<typeof EdgeKindSchema>;

/** The serialised graph (graphology `export()`). */
export const SerializedGraphSchema = z.object({
  attributes: z.record(z.string(), z.unknown()),
  options: z.object({ type: z.string(), multi: z.boolean(), allowSelfLoops: z.boolean() }).optional(),
  nodes: z.array(
    z.object({ key: z.string(), attributes: z.looseObject({ kind: NodeKindSchema, label: z.string() }) }),
  ),
  edges: z.array(
    z.object({
      key: z.string().optional(),
      source: z.string(),
      target: z.string(),
      attributes: z.looseObject({ kind: EdgeKindSchema }),
    }),
  ),
});
/** The serialised graph. */
export type SerializedGraph = z.infer<typeof SerializedGraphSchema>;
