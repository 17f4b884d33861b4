// The policy file: its errors (JSON position, failing path, unknown rules) and its effect on a check.

import fc from "fast-check";
import { parseTree } from "jsonc-parser";
import { checkEstate, type Policy, PolicySchema, parsePolicy } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { locateJsonPath } from "../../src/policy/policy-file.js";
import { disk, estate, file, owner, repo } from "./helpers.js";

/** The diagnostics of a policy text, as code, position and the failing path (the message's part before `:`). */
function problems(text: string) {
  const { policy, diagnostics } = parsePolicy(text, "policy.json");
  expect(policy).toBeNull();
  return diagnostics.map((d) => ({ code: d.code, file: d.file, line: d.line, column: d.column }));
}

/** The failing paths the diagnostics name. */
const paths = (text: string): string[] =>
  parsePolicy(text, null).diagnostics.map((d) => d.message.slice(0, d.message.indexOf(":")));

describe("parsePolicy errors", () => {
  it("gives the line and column of a JSON syntax error", () => {
    expect(problems('{\n  "rules": {\n    "orphan-disk" "off"\n  }\n}')).toEqual([
      { code: "policy-invalid", file: "policy.json", line: 3, column: 19 },
    ]);
    expect(problems('{"rules": ')).toEqual([
      { code: "policy-invalid", file: "policy.json", line: 1, column: 11 },
    ]);
    expect(parsePolicy('{"rules" {}}', null).diagnostics[0]?.message).toBe("not valid JSON: colon expected");
  });

  it("takes comments and trailing commas (JSONC), as people write configuration", () => {
    const text = `{
      // Exadata: its VirtualDisks links to /EXAVMIMAGES are normal.
      "rules": { "unsafe-symlink": "note", },
      /* kept for INC-42 */
      "ignore": [{ "rule": "orphan-disk", "file": "VirtualDisks/keep.img", "reason": "INC-42" },],
    }`;
    const { policy, diagnostics } = parsePolicy(text, null);
    expect(diagnostics).toEqual([]);
    expect(policy?.rules).toEqual({ "unsafe-symlink": "note" });
    expect(policy?.ignore).toHaveLength(1);
  });

  it("suggests the nearest key or rule id for a typo", () => {
    const messages = (text: string) => parsePolicy(text, null).diagnostics.map((d) => d.message);
    expect(messages('{"rulez": {}}')).toEqual(['(top level): unknown key "rulez" (did you mean "rules"?)']);
    expect(messages('{"ignore": [{"rule": "orphan-disk", "reasn": "x", "reason": "y"}]}')).toEqual([
      'ignore.0: unknown key "reasn" (did you mean "reason"?)',
    ]);
    expect(messages('{"rules": {"orphan-disks": "off"}}')).toEqual([
      'rules.orphan-disks: unknown rule, did you mean "orphan-disk"?',
    ]);
    expect(messages('{"ignore": [{"rule": "shared-disc", "reason": "r"}]}')).toEqual([
      'ignore.0.rule: unknown rule "shared-disc", did you mean "shared-disk"?',
    ]);
    // Nothing near: the list of what there is.
    expect(messages('{"rules": {"zzz": "off"}}')[0]).toMatch(
      /^rules\.zzz: unknown rule, expected a rule id \(([a-z-]+\|)+[a-z-]+\)$/,
    );
  });

  it("names the failing path of a wrong type or value", () => {
    expect(paths('{"rules": {"orphan-disk": "fatal"}}')).toEqual(["rules.orphan-disk"]);
    expect(paths('{"repositories": [{"match": "Guests*", "role": "pool"}]}')).toEqual([
      "repositories.0.role",
    ]);
    expect(paths('{"baseline": "all"}')).toEqual(["baseline"]);
    expect(parsePolicy('{"rules": {"orphan-disk": "fatal"}}', null).diagnostics[0]?.message).toContain(
      "error|warning|note|off",
    );
  });

  it("requires a reason for every ignore", () => {
    expect(paths('{"ignore": [{"rule": "orphan-disk", "reason": "ok"}, {"rule": "orphan-disk"}]}')).toEqual([
      "ignore.1.reason",
    ]);
    expect(paths('{"ignore": [{"rule": "orphan-disk", "reason": ""}]}')).toEqual(["ignore.0.reason"]);
  });

  it("rejects unknown rule ids in rules and in ignore, and unknown keys", () => {
    expect(paths('{"rules": {"orphan-disks": "off"}, "ignore": [{"rule": "nope", "reason": "r"}]}')).toEqual([
      "rules.orphan-disks",
      "ignore.0.rule",
    ]);
    expect(paths('{"rule": {}}')).toEqual(["(top level)"]);
  });

  it("reports schema problems and unknown rules together, so one run shows every mistake", () => {
    expect(paths('{"rules": {"orphan-disk": "loud"}, "ignore": [{"rule": "nope"}]}')).toEqual([
      "rules.orphan-disk",
      "ignore.0.reason",
      "ignore.0.rule",
    ]);
  });

  it("ends deep nesting in a diagnostic, not a stack overflow", () => {
    expect(problems("[".repeat(200_000))).toEqual([
      { code: "policy-invalid", file: "policy.json", line: 1, column: 65 },
    ]);
    expect(parsePolicy(`${"[".repeat(200_000)}${"]".repeat(200_000)}`, null).diagnostics[0]?.message).toBe(
      "not valid JSON: nested deeper than 64 levels",
    );
  });

  it("takes every text JSON.parse takes, and answers any other text without throwing", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          // Valid documents cut short or with one character changed: errors anywhere, at any depth.
          fc
            .tuple(fc.json(), fc.nat(), fc.constantFrom("", ",", "]", "}", ":", '"', "x"))
            .map(
              ([json, at, c]) =>
                json.slice(0, at % (json.length + 1)) + c + json.slice((at % (json.length + 1)) + 1),
            ),
        ),
        (text) => {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          const { diagnostics } = parsePolicy(text, null);
          const syntax = diagnostics.filter((d) => d.message.startsWith("not valid JSON"));
          if (valid) expect(syntax).toEqual([]);
          // Whatever it is, every diagnostic points inside the text.
          for (const d of diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("locates the value at every path of a document", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, indent) => {
        const text = JSON.stringify(value, null, indent ? 2 : 0);
        const leaves: [PropertyKey[], unknown][] = [];
        const visit = (node: unknown, path: PropertyKey[]): void => {
          if (node !== null && typeof node === "object") {
            for (const [key, child] of Object.entries(node))
              visit(child, [...path, Array.isArray(node) ? Number(key) : key]);
          } else leaves.push([path, node]);
        };
        visit(value, []);
        for (const [path, leaf] of leaves) {
          expect(text.startsWith(JSON.stringify(leaf), locateJsonPath(parseTree(text), path))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("points schema problems at the value, or at the object that lacks a key", () => {
    const text =
      '{\n  "rules": {\n    "orphan-disk": "loud"\n  },\n  "ignore": [\n    { "rule": "orphan-disk" }\n  ]\n}';
    expect(problems(text)).toEqual([
      { code: "policy-invalid", file: "policy.json", line: 3, column: 20 },
      { code: "policy-invalid", file: "policy.json", line: 6, column: 5 },
    ]);
  });

  it("fills in defaults for a minimal policy", () => {
    expect(parsePolicy("{}", null)).toEqual({
      policy: { repositories: [], rules: {}, ignore: [], baseline: [] },
      diagnostics: [],
    });
  });
});

/** An estate with one orphan in each of two repositories and one missing disk. */
function sample() {
  return estate(
    [
      repo("0004fb0000030000aaaa", [file("VirtualDisks/o1.img")], {
        alias: "Guests A",
        names: ["0004fb0000030000aaaa", "Guests A"],
      }),
      repo("T", [file("VirtualDisks/o2.img")]),
    ],
    [
      owner("0004fb0000030000aaaa", "a", [
        disk("0004fb0000030000aaaa", "VirtualDisks/gone.img", { present: false }),
      ]),
    ],
  );
}

const policy = (fields: Partial<Policy>): Policy => PolicySchema.parse(fields);

describe("checkEstate with a policy", () => {
  it("counts unsuppressed findings by severity", () => {
    expect(checkEstate(sample()).summary).toEqual({ errors: 1, warnings: 2, notes: 0, suppressed: 0 });
  });

  it("applies severities per rule and skips rules that are off, listing them all", () => {
    const result = checkEstate(sample(), policy({ rules: { "orphan-disk": "note", "missing-disk": "off" } }));
    expect(result.summary).toEqual({ errors: 0, warnings: 0, notes: 2, suppressed: 0 });
    expect(result.findings.map((f) => f.ruleId)).toEqual(["orphan-disk", "orphan-disk"]);
    expect(result.rules.find((r) => r.id === "missing-disk")).toMatchObject({
      defaultSeverity: "error",
      severity: "off",
    });
  });

  it("keeps ignored findings in the report, with their reason, matching repositories by alias pattern", () => {
    const result = checkEstate(
      sample(),
      policy({
        ignore: [
          { rule: "orphan-disk", repository: "Guests*", file: "VirtualDisks/*.img", reason: "ticket 42" },
        ],
      }),
    );
    const ignored = result.findings.filter((f) => f.suppressed);
    expect(ignored.map((f) => [f.repository, f.file, f.suppression, f.suppressedBy])).toEqual([
      ["0004fb0000030000aaaa", "VirtualDisks/o1.img", "ticket 42", "ignore"],
    ]);
    expect(result.summary).toEqual({ errors: 1, warnings: 1, notes: 0, suppressed: 1 });
  });

  it.each([
    ["VirtualDisks/o1.img", true],
    ["VirtualDisks/o*.img", true],
    ["*o1*", true],
    ["V*l*D*/o1.img", true],
    ["*", true],
    ["VirtualDisks/o1.im", false],
    ["irtualDisks/o1.img", false],
    ["*.img*x", false],
    ["Virtual*Disks*Virtual*", false],
  ])("matches ignore file pattern %s: %s", (pattern, matches) => {
    const result = checkEstate(
      sample(),
      policy({ ignore: [{ rule: "orphan-disk", file: pattern, reason: "r" }] }),
    );
    const o1 = result.findings.find((f) => f.file === "VirtualDisks/o1.img");
    expect(o1?.suppressed).toBe(matches);
  });

  it("suppresses baselined findings by fingerprint, and only those", () => {
    const before = checkEstate(sample());
    const baseline = before.findings.map((f) => f.fingerprint);
    expect(new Set(baseline).size).toBe(baseline.length);
    const after = checkEstate(sample(), policy({ baseline: baseline.slice(1) }));
    expect(after.findings.map((f) => f.suppressedBy)).toEqual([null, "baseline", "baseline"]);
    expect(after.summary.suppressed).toBe(2);
  });

  it("keeps fingerprints stable when lines move", () => {
    const moved = sample();
    const [guest] = moved.guests;
    if (guest?.disks[0]) guest.disks[0].line = 40;
    expect(checkEstate(moved).findings.map((f) => f.fingerprint)).toEqual(
      checkEstate(sample()).findings.map((f) => f.fingerprint),
    );
    expect(checkEstate(moved).findings[0]?.source?.line).toBe(40);
  });
});
