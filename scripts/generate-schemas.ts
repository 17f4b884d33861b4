// Writes schemas/<document>.schema.json (JSON Schema draft 2020-12) from the zod schemas of every JSON
// document: `npm run schemas`. A test regenerates them in memory and fails when the committed files differ.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ZodType, z } from "zod";
import {
  AsNewRestoreSchema,
  CheckResultSchema,
  ParseDocumentSchema,
  PlanResultSchema,
  PolicySchema,
  RebuildSheetSchema,
  ResourcePlanSchema,
  RestoreResultSchema,
  ScanResultSchema,
  SerializedGraphSchema,
  VerifyResultSchema,
} from "../src/schema/index.js";

/** One document: its zod schema, and whether ovm-deps writes it (`output`) or reads it (`input`). */
interface SchemaDocument {
  schema: ZodType;
  io: "input" | "output";
  title: string;
  description: string;
}

/**
 * The documents, by the name of their schema file. Documents ovm-deps writes use the output side, so
 * their objects admit no property this version does not write; the policy file is read, so its
 * defaulted keys are optional there.
 */
export const schemaDocuments: Readonly<Record<string, SchemaDocument>> = {
  parse: {
    schema: ParseDocumentSchema,
    io: "output",
    title: "ovm-deps parse document",
    description: "`ovm-deps parse --format json`: one element per vm.cfg file. See docs/json.md.",
  },
  scan: {
    schema: ScanResultSchema,
    io: "output",
    title: "ovm-deps scan document",
    description:
      "`ovm-deps scan --format json`: repositories, guests, templates, diagnostics. See docs/json.md.",
  },
  graph: {
    schema: SerializedGraphSchema,
    io: "output",
    title: "ovm-deps graph document",
    description:
      "`ovm-deps graph --format json`: graphology's serialisation of the dependency graph. See docs/json.md.",
  },
  plan: {
    schema: PlanResultSchema,
    io: "output",
    title: "ovm-deps plan document",
    description: "`ovm-deps plan --format json`: the backup set of each guest. See docs/json.md.",
  },
  resources: {
    schema: ResourcePlanSchema,
    io: "output",
    title: "ovm-deps resources document",
    description: "`ovm-deps plan --resources --format json`: the resource set. See docs/json.md.",
  },
  restore: {
    schema: RestoreResultSchema,
    io: "output",
    title: "ovm-deps restore document",
    description: "`ovm-deps restore --format json`: the pre-restore check and its actions. See docs/json.md.",
  },
  "restore-as-new": {
    schema: AsNewRestoreSchema,
    io: "output",
    title: "ovm-deps restore --as-new document",
    description:
      "`ovm-deps restore --as-new --format json`: a backed-up guest restored as a new guest, every id and file old → new. See docs/json.md.",
  },
  check: {
    schema: CheckResultSchema,
    io: "output",
    title: "ovm-deps check document",
    description:
      "`ovm-deps check --format json`: findings of the integrity and segregation rules. See docs/json.md.",
  },
  verify: {
    schema: VerifyResultSchema,
    io: "output",
    title: "ovm-deps verify document",
    description:
      "`ovm-deps verify --format json`: a backup copy (or restored tree) against a plan --checksum manifest. See docs/json.md.",
  },
  rebuild: {
    schema: RebuildSheetSchema,
    io: "output",
    title: "ovm-deps rebuild document",
    description:
      "`ovm-deps rebuild --format json`: what it takes to recreate one guest (disks, interfaces, NFS mounts, addresses). See docs/json.md.",
  },
  policy: {
    schema: PolicySchema,
    io: "input",
    title: "ovm-deps policy file",
    description:
      "The file given with `--policy FILE`: repository roles, rule severities, ignores, baseline. See docs/ci.md.",
  },
};

/** The folder the schema files are written to. */
export const schemasFolder = fileURLToPath(new URL("../schemas/", import.meta.url));

/** The text of each schema file, by file name (`scan.schema.json`…). */
export function schemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, document] of Object.entries(schemaDocuments)) {
    const { $schema, ...rest } = z.toJSONSchema(document.schema, {
      target: "draft-2020-12",
      io: document.io,
    });
    const json = { $schema, title: document.title, description: document.description, ...rest };
    files.set(`${name}.schema.json`, `${JSON.stringify(json, null, 2)}\n`);
  }
  return files;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(schemasFolder, { recursive: true });
  for (const [file, text] of schemaFiles()) writeFileSync(path.join(schemasFolder, file), text);
  console.log(`wrote ${Object.keys(schemaDocuments).length} schemas to ${schemasFolder}`);
}
