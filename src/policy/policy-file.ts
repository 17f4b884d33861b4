// Reading the policy file (`--policy FILE`): JSON, validated with zod, every problem a `policy-invalid` diagnostic.
import type { z } from "zod";
import { diagnostic } from "../diagnostics.js";
import { type Diagnostic, type Policy, PolicySchema } from "../schema/index.js";
import { findJsonSyntaxError, type JsonPath, lineColumnAt, locateJsonPath } from "./json-syntax.js";
import { rules } from "./rules/index.js";

/** The diagnostic code of every policy-file problem; the CLI turns it into exit code 2. */
export const POLICY_INVALID = "policy-invalid";

/** What parsing a policy file gave: the policy (null when it has errors) and its diagnostics. */
export interface PolicyParse {
  policy: Policy | null;
  diagnostics: Diagnostic[];
}

/** A problem of a policy file that parsed as JSON: where (zod's path) and what, e.g. `expected string`. */
interface Problem {
  path: JsonPath;
  what: string;
}

/** A short statement of what was expected, without zod's wording. */
function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `expected ${issue.values.map(String).join("|")}`;
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "unrecognized_keys":
      return `unknown key ${issue.keys.map((key) => JSON.stringify(key)).join(", ")}`;
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
  const known = new Set(rules.map((rule) => rule.id));
  const expected = `expected a rule id (${[...known].join("|")})`;
  const inRules = isObject(json.rules) ? Object.keys(json.rules).filter((id) => !known.has(id)) : [];
  const ignore = Array.isArray(json.ignore) ? json.ignore : [];
  return [
    ...inRules.map((id) => ({ path: ["rules", id], what: `unknown rule, ${expected}` })),
    ...ignore.flatMap((entry, index) =>
      isObject(entry) && typeof entry.rule === "string" && entry.rule !== "" && !known.has(entry.rule)
        ? [
            {
              path: ["ignore", index, "rule"],
              what: `unknown rule ${JSON.stringify(entry.rule)}, ${expected}`,
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

/** Parse and validate a policy file's text; `file` names it in diagnostics (null for text from elsewhere). */
export function parsePolicy(text: string, file: string | null): PolicyParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse failed, so the walker finds an error; the fallback only keeps the types honest.
    const error = findJsonSyntaxError(text) ?? { message: "not JSON", offset: 0 };
    const at = lineColumnAt(text, error.offset);
    const message = `not valid JSON: ${error.message}`;
    return { policy: null, diagnostics: [diagnostic("error", POLICY_INVALID, message, { file, ...at })] };
  }
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
      diagnostics: problems.map((problem) => {
        const at = lineColumnAt(text, locateJsonPath(text, problem.path));
        return diagnostic("error", POLICY_INVALID, describe(problem), { file, ...at });
      }),
    };
  }
  return { policy: parsed.data, diagnostics: [] };
}
