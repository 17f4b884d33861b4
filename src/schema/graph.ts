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

/**
 * What a graph was limited to (`graph --guest SEL --repository SEL`), in its `attributes.scope`: the
 * selectors as given and what they picked. A graph of the whole estate has none.
 */
export const GraphScopeSchema = z.object({
  /** `--guest` selectors, as given. */
  guests: z.array(z.string()),
  /** `--repository` selectors, as given. */
  repositories: z.array(z.string()),
  /** Owner references the `--guest` selectors picked. */
  owners: z.array(z.string()),
  /** Ids of the repositories the `--repository` selectors picked. */
  repositoryIds: z.array(z.string()),
});
/** What a graph was limited to. */
export type GraphScope = z.infer<typeof GraphScopeSchema>;

/** The serialised graph (graphology `export()`). */
export const SerializedGraphSchema = z.object({
  attributes: z.looseObject({ scope: GraphScopeSchema.optional() }),
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
