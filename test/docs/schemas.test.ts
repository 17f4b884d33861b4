// The JSON Schemas in schemas/: never stale (regenerated in memory from the zod schemas), and what the
// built CLI really prints validates against them. CLI runs need `npm run build`.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AjvModule from "ajv/dist/2020.js";
import { PolicySchema } from "ovm-deps";
import { describe, expect, it, onTestFinished } from "vitest";
import { type schemaDocuments, schemaFiles, schemasFolder } from "../../scripts/generate-schemas.js";
import { runCli } from "../support/cli.js";
import { repositoryRoot } from "./emitted-codes.js";

// ajv is CommonJS: under NodeNext its default import is the module, whose `default` is the class.
const Ajv2020 = AjvModule as unknown as typeof AjvModule.default;

describe("schemas/", () => {
  it("holds exactly the schema files `npm run schemas` writes, with the same content", () => {
    const expected = schemaFiles();
    expect(readdirSync(schemasFolder).sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) {
      // Compared as JSON: `npm run schemas` leaves the layout to the formatter.
      const committed: unknown = JSON.parse(readFileSync(path.join(schemasFolder, file), "utf8"));
      expect(committed, `${file} is stale: run npm run schemas`).toEqual(JSON.parse(text));
    }
  });
});

/** A validator per document, compiled from the committed schema files. */
function validator(document: keyof typeof schemaDocuments) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const schema: object = JSON.parse(
    readFileSync(path.join(schemasFolder, `${document}.schema.json`), "utf8"),
  );
  const validate = ajv.compile(schema);
  return (value: unknown): string[] =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const estate = path.join(repositoryRoot, "examples", "estate");
const repositories = path.join(estate, "repositories");
const scanFlags = [
  "--guest-backups",
  path.join(estate, "guest-backups"),
  "--xm-list",
  path.join(estate, "xm-list.txt"),
];

/** Run the CLI and parse its stdout as the one JSON document it prints. */
function jsonOf(args: string[], codes: readonly number[] = [0]): unknown {
  const run = runCli(args);
  expect(codes, `exit ${run.code}: ${run.stderr.slice(0, 500)}`).toContain(run.code);
  return JSON.parse(run.stdout);
}

/** Every vm.cfg of the example estate, relative to the repositories folder. */
function vmCfgFiles(): string[] {
  return readdirSync(repositories, { recursive: true, encoding: "utf8" })
    .filter((f) => path.basename(f) === "vm.cfg")
    .sort();
}

describe("what the CLI prints validates against schemas/", () => {
  it("parse", () => {
    const files = [...vmCfgFiles().map((f) => path.join(repositories, f)), "no-such-vm.cfg"];
    const document = jsonOf(["parse", "--format", "json", ...files], [1]);
    expect(validator("parse")(document)).toEqual([]);
  });

  it("scan", () => {
    const document = jsonOf(["scan", repositories, ...scanFlags, "--format", "json"]);
    expect(validator("scan")(document)).toEqual([]);
  });

  it("graph", () => {
    const document = jsonOf(["graph", repositories, ...scanFlags, "--format", "json"]);
    expect(validator("graph")(document)).toEqual([]);
  });

  it("plan, with a rotation", () => {
    const rotation = "--retain 15 --adhoc 5 --growth 2".split(" ");
    const document = jsonOf(["plan", repositories, ...scanFlags, ...rotation, "--format", "json"]);
    expect(validator("plan")(document)).toEqual([]);
  });

  it("plan --resources", () => {
    const document = jsonOf(["plan", repositories, ...scanFlags, "--resources", "--format", "json"]);
    expect(validator("resources")(document)).toEqual([]);
  });

  it("restore, safe or not", () => {
    // The estate restored from a copy of itself (restoring from the live tree itself is a usage
    // error): shared files are refused.
    const backup = mkdtempSync(path.join(tmpdir(), "ovm-deps-schemas-"));
    onTestFinished(() => rmSync(backup, { recursive: true, force: true }));
    cpSync(repositories, backup, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    const document = jsonOf(
      ["restore", repositories, "--from", backup, "--guest", "web0003", ...scanFlags, "--format", "json"],
      [0, 1],
    );
    expect(validator("restore")(document)).toEqual([]);
  });

  it("check", () => {
    const document = jsonOf(["check", repositories, ...scanFlags, "--fail-on", "never", "--format", "json"]);
    expect(validator("check")(document)).toEqual([]);
  });

  it("policy: the example of docs/ci.md, and the file --write-baseline prints", () => {
    const ci = readFileSync(path.join(repositoryRoot, "docs", "ci.md"), "utf8");
    const example: unknown = JSON.parse(/```json\n([\s\S]*?)```/.exec(ci)?.[1] ?? "null");
    expect(validator("policy")(example)).toEqual([]);
    expect(PolicySchema.safeParse(example).success).toBe(true);
    const baseline = jsonOf(["check", repositories, ...scanFlags, "--write-baseline"]);
    expect(validator("policy")(baseline)).toEqual([]);
  });

  it("policy: a file the policy reader refuses is refused by the schema too", () => {
    const validate = validator("policy");
    expect(validate({ rules: { "orphan-disk": "loud" } })).not.toEqual([]);
    expect(validate({ ignore: [{ rule: "orphan-disk" }] })).not.toEqual([]);
    expect(validate({ extra: true })).not.toEqual([]);
    expect(validate({})).toEqual([]);
  });
});
