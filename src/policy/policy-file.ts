// Reading the policy file (`--policy FILE`): JSON with comments and trailing commas (jsonc-parser), validated with
// zod, every problem a `policy-invalid` diagnostic at its line and column, with "did you mean" for typos.
import {
  createScanner,
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { z } from "zod";
import { diagnostic } from "../diagnostics.js";
import { type Diagnostic, type Policy, PolicySchema } from "../schema/index.js";
import { rules } from "./rules/index.js";
import { nearest } from "./suggest.js";

/** The diagnostic code of every policy-file problem; the CLI turns it into exit code 2. */
export const POLICY_INVALID = "policy-invalid";

/** What parsing a policy file gave: the policy (null when it has errors) and its diagnostics. */
export interface PolicyParse {
  policy: Policy | null;
  diagnostics: Diagnostic[];
}

/** A path into a JSON document: object keys and array indexes, as zod reports them. */
type JsonPath = readonly PropertyKey[];

/** A problem of a policy file that parsed as JSON: where (zod's path) and what, e.g. `expected string`. */
interface Problem {
  path: JsonPath;
  what: string;
}

/** The policy file's JSON Schema, for the keys each object may have ("did you mean"): made when first needed. */
let policyJsonSchema: JsonSchema | undefined;

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
}

/** The keys the object at `path` may have (none known: empty). */
function keysAt(path: JsonPath): string[] {
  policyJsonSchema ??= z.toJSONSchema(PolicySchema, { io: "input" }) as JsonSchema;
  let schema: JsonSchema | undefined = policyJsonSchema;
  for (const part of path) {
    if (schema === undefined) return [];
    const additional: JsonSchema | undefined =
      typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
    schema = typeof part === "number" ? schema.items : (schema.properties?.[String(part)] ?? additional);
  }
  return Object.keys(schema?.properties ?? {});
}

/** `unknown key "x"`, with the nearest known key when there is one near enough. */
function unknownKey(key: string, known: readonly string[]): string {
  const suggestion = nearest(key, known);
  return `unknown key ${JSON.stringify(key)}${suggestion === null ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}`;
}

/** A short statement of what was expected, without zod's wording. */
function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `expected ${issue.values.map(String).join("|")}`;
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey(key, keysAt(issue.path))).join(", ");
    case "too_small":
      return "must not be empty";
    default:
      return issue.message;
  }
}

/** A JSON object (not an array, not null). */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Rule ids in `rules` and `ignore` that no rule has, read from the raw JSON whatever else is wrong with it. */
function unknownRules(json: unknown): Problem[] {
  if (!isObject(json)) return [];
  const ids = rules.map((rule) => rule.id);
  const known = new Set(ids);
  const expected = (id: string): string => {
    const suggestion = nearest(id, ids);
    return suggestion === null
      ? `expected a rule id (${ids.join("|")})`
      : `did you mean ${JSON.stringify(suggestion)}?`;
  };
  const inRules = isObject(json.rules) ? Object.keys(json.rules).filter((id) => !known.has(id)) : [];
  const ignore = Array.isArray(json.ignore) ? json.ignore : [];
  return [
    ...inRules.map((id) => ({ path: ["rules", id], what: `unknown rule, ${expected(id)}` })),
    ...ignore.flatMap((entry, index) =>
      isObject(entry) && typeof entry.rule === "string" && entry.rule !== "" && !known.has(entry.rule)
        ? [
            {
              path: ["ignore", index, "rule"],
              what: `unknown rule ${JSON.stringify(entry.rule)}, ${expected(entry.rule)}`,
            },
          ]
        : [],
    ),
  ];
}

/** The failing path the way a user would write it (`rules.orphan-disk`, `ignore.0.reason`), then what is wrong. */
function describe(problem: Problem): string {
  const path = problem.path.length === 0 ? "(top level)" : problem.path.map(String).join(".");
  return `${path}: ${problem.what}`;
}

// jsonc-parser's SyntaxKind is a const enum, which verbatimModuleSyntax cannot read: its values, as declared.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** Nesting deeper than this is no policy file; checked before jsonc-parser, whose parser recurses. */
const MAX_DEPTH = 64;

/** Offset of the first `{` or `[` nested deeper than MAX_DEPTH, or null (jsonc-parser's scanner is a loop). */
function tooDeep(text: string): number | null {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token: number = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return null;
}

/** 1-based line and column of a 0-based character offset in `text`. */
function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the value at `path` in a parsed tree — or, when there is none (a missing key), of its deepest
 * ancestor that is there. With a repeated key, the last one wins, as in JSON.parse.
 */
export function locateJsonPath(tree: Node | undefined, path: JsonPath): number {
  if (tree === undefined) return 0;
  for (let depth = path.length; depth > 0; depth -= 1) {
    const node = findNodeAtLocation(
      tree,
      path.slice(0, depth).map((part) => (typeof part === "number" ? part : String(part))),
    );
    if (node !== undefined) return node.offset;
  }
  return tree.offset;
}

/**
 * Parse and validate a policy file's text (JSON; comments and trailing commas allowed); `file` names it in
 * diagnostics (null for text from elsewhere).
 */
export function parsePolicy(text: string, file: string | null): PolicyParse {
  const invalid = (message: string, offset: number): Diagnostic =>
    diagnostic("error", POLICY_INVALID, message, { file, ...lineColumnAt(text, offset) });
  const deep = tooDeep(text);
  if (deep !== null) {
    return {
      policy: null,
      diagnostics: [invalid(`not valid JSON: nested deeper than ${MAX_DEPTH} levels`, deep)],
    };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || tree === undefined) {
    // The first error only: jsonc-parser recovers, and what follows a syntax error is mostly its echo.
    const first = errors[0];
    const message = first === undefined ? "empty" : syntaxMessage(first);
    return { policy: null, diagnostics: [invalid(`not valid JSON: ${message}`, first?.offset ?? 0)] };
  }
  const json: unknown = getNodeValue(tree);
  // Schema problems and unknown rule ids are reported together, so that one run shows every mistake.
  const parsed = PolicySchema.safeParse(json);
  const problems: Problem[] = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ path: issue.path, what: expectation(issue) }))),
    ...unknownRules(json),
  ];
  if (!parsed.success || problems.length > 0) {
    return {
      policy: null,
      diagnostics: problems.map((problem) => invalid(describe(problem), locateJsonPath(tree, problem.path))),
    };
  }
  return { policy: parsed.data, diagnostics: [] };
}

/** jsonc-parser's error code in words: `PropertyNameExpected` → `property name expected`. */
function syntaxMessage(error: ParseError): string {
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
}
