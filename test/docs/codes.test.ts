// Every code the source can emit is in docs/diagnostics.md's one table, and the table lists no code that is gone.
import { readFileSync } from "node:fs";
import path from "node:path";
import { BlockReasonSchema } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { rules as checkRules } from "../../src/policy/rules/index.js";
import { DIAGNOSTIC_CODES, WARNING_CODES } from "../../src/schema/diagnostic.js";
import { type CodeKind, emittedCodes, repositoryRoot } from "./emitted-codes.js";

const KINDS: readonly CodeKind[] = ["diagnostic", "warning", "blocked", "rule"];

/** The `kind code` pairs of the table's rows (`| \`code\` | kind | …`). */
function documentedCodes(): string[] {
  const text = readFileSync(path.join(repositoryRoot, "docs", "diagnostics.md"), "utf8");
  const rows: string[] = [];
  for (const line of text.split("\n")) {
    const cells = /^\|\s*`([^`]+)`\s*\|\s*([a-z]+)\s*\|/.exec(line);
    if (cells) rows.push(`${cells[2]} ${cells[1]}`);
  }
  return rows;
}

/** The `kind code` pairs of the typed unions, the enums and the rule registry. */
function declaredCodes(): string[] {
  return [
    ...DIAGNOSTIC_CODES.map((c) => `diagnostic ${c}`),
    ...WARNING_CODES.map((c) => `warning ${c}`),
    ...BlockReasonSchema.options.map((c) => `blocked ${c}`),
    ...checkRules.map((r) => `rule ${r.id}`),
  ];
}

const documented = documentedCodes();
const emitted = emittedCodes();

describe("docs/diagnostics.md", () => {
  it("has one row per code and kind, each of a known kind", () => {
    expect(documented.length).toBeGreaterThan(0);
    expect(documented.filter((row, i) => documented.indexOf(row) !== i)).toEqual([]);
    expect(documented.filter((row) => !KINDS.includes(row.split(" ")[0] as CodeKind))).toEqual([]);
  });

  it("lists every code of the unions, block reasons and rules", () => {
    expect(declaredCodes().filter((c) => !documented.includes(c))).toEqual([]);
  });

  it("lists every code written as a string at a call site in src/", () => {
    const missing = emitted.filter((e) => !documented.includes(`${e.kind} ${e.code}`));
    expect(missing.map((e) => `${e.kind} ${e.code} (${e.file})`)).toEqual([]);
  });

  it("lists no code that no longer exists", () => {
    const known = new Set([...declaredCodes(), ...emitted.map((e) => `${e.kind} ${e.code}`)]);
    expect(documented.filter((row) => !known.has(row))).toEqual([]);
  });
});

describe("the typed unions", () => {
  it("hold every code a call site writes as a string", () => {
    const declared = new Set(declaredCodes());
    const loose = emitted.filter((e) => !declared.has(`${e.kind} ${e.code}`));
    expect(loose.map((e) => `${e.kind} ${e.code} (${e.file})`)).toEqual([]);
  });

  it("hold no code that nothing emits", () => {
    const written = new Set(emitted.map((e) => `${e.kind} ${e.code}`));
    const unused = [
      ...DIAGNOSTIC_CODES.map((c) => `diagnostic ${c}`),
      ...WARNING_CODES.map((c) => `warning ${c}`),
    ];
    expect(unused.filter((c) => !written.has(c))).toEqual([]);
  });

  it("are found by the source scan in each form a call site takes", () => {
    const found = new Set(emitted.map((e) => `${e.kind} ${e.code}`));
    // A code chosen by a conditional, one kept in a constant, one in the disk-spec parser's report(),
    // a warning built with warning(), a block reason.
    for (const code of [
      "diagnostic repository-name-case",
      "diagnostic repository-not-scanned",
      "diagnostic policy-invalid",
      "diagnostic disk-vdev-missing",
      "warning disk-gained",
      "blocked used-by-other",
    ]) {
      expect(found, code).toContain(code);
    }
  });
});
