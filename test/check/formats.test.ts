// The report formats of `check`: SARIF against the official schema, JUnit XML, GitHub workflow commands, text.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvModule from "ajv-draft-04";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import {
  type CheckResult,
  checkEstate,
  PolicySchema,
  renderCheckText,
  renderGithub,
  renderJunit,
  renderSarif,
} from "ovm-deps";
import { describe, expect, it } from "vitest";
import { describeShared, sharedDir } from "../support/shared.js";
import { disk, estate, file, owner, repo } from "./helpers.js";

// Names an attacker or an accident could put in a repository: spaces, markup, workflow-command syntax, controls.
const NASTY = "VirtualDisks/a b#%<&>\"'::error::x,y\u0001\n.img";

/** A check with one finding of each kind of location: with a source, with a line, suppressed, nasty names. */
function sample(): CheckResult {
  const scan = estate(
    [
      repo("G", [file("VirtualDisks/orphan.img"), file(NASTY)], {
        root: "/srv/estate/Guests A",
        role: "guests",
      }),
      repo("T", [file("ISOs/os.iso")], { root: "/srv/estate/T" }),
    ],
    [
      owner("G", "web", [disk("G", "VirtualDisks/gone.img", { present: false, line: 6 })]),
      owner("T", "stray", [], { ok: false, diagnostics: [] }),
    ],
  );
  const policy = PolicySchema.parse({
    rules: { "resource-in-guest-repository": "off", "parse-error": "note" },
    ignore: [{ rule: "orphan-disk", file: "VirtualDisks/orphan.img", reason: "kept: INC-42 & <reasons>" }],
  });
  return checkEstate(scan, policy);
}

/** A check of an estate whose VirtualMachines/ folder could not be listed: nothing found, and not clean. */
function unseen(): CheckResult {
  const scan = estate([repo("G", [file("VirtualDisks/a.img")], { root: "/srv/estate/Guests A" })], []);
  scan.repositories[0]!.unlisted = [{ file: "VirtualMachines", error: "EACCES" }];
  scan.diagnostics.push({
    severity: "warning",
    code: "unreadable",
    message: "cannot list folder (EACCES)",
    file: "/srv/estate/Guests A/VirtualMachines",
    line: null,
    column: null,
  });
  return checkEstate(scan);
}

describe("an estate the scan could not see whole", () => {
  it("is an error in every format: scan-incomplete, a JUnit error, a GitHub ::error, the text's INCOMPLETE", () => {
    const result = unseen();
    expect(result.complete).toBe(false);
    const finding = result.findings.find((f) => f.ruleId === "scan-incomplete");
    expect(finding).toMatchObject({ severity: "error", repository: "G", file: "VirtualMachines" });
    // The orphan is uncertain: the unlisted folder may hold the vm.cfg that uses it.
    expect(result.findings.find((f) => f.ruleId === "orphan-disk")?.message).toContain("uncertain");
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(
      renderJunit(result),
    );
    const suite = junit.testsuites.testsuite;
    expect(suite["@errors"]).toBe("1");
    expect(suite.testcase[0]["@name"]).toBe("scan-complete");
    expect(suite.testcase[0].error["@type"]).toBe("scan-incomplete");
    expect(renderGithub(result, null).split("\n")[0]).toMatch(
      /^::error title=ovm-deps: could not read::unreadable: /,
    );
    expect(renderCheckText(result)).toMatch(/^INCOMPLETE: 1 thing\(s\) could not be read/);
  });
});

describe("sample check result", () => {
  it("holds the cases the formats must render", () => {
    const result = sample();
    expect(result.findings.map((f) => [f.ruleId, f.file, f.suppressed])).toEqual([
      ["parse-error", "VirtualMachines/stray/vm.cfg", false],
      ["missing-disk", "VirtualDisks/gone.img", false],
      ["orphan-disk", NASTY, false],
      ["orphan-disk", "VirtualDisks/orphan.img", true],
    ]);
  });
});

// ajv-draft-04 is CommonJS: under NodeNext its default import is the module, whose `default` is the class.
const Ajv = AjvModule as unknown as typeof AjvModule.default;

/** The SARIF schema's three formats, checked the way RFC 3339 / RFC 3986 put them (ajv-formats is not installed). */
function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat(
    "uri",
    (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value) && URL.canParse(value),
  );
  ajv.addFormat("uri-reference", (value: string) => !/[\s\u0000-\u001f"<>\\^`{|}]/.test(value));
  ajv.addFormat("date-time", (value: string) => !Number.isNaN(Date.parse(value)));
  const schema = JSON.parse(readFileSync(join(sharedDir, "schemas", "sarif-schema-2.1.0.json"), "utf8"));
  return ajv.compile(schema);
}

describeShared("sarif", () => {
  const log = JSON.parse(
    renderSarif(sample(), { version: "1.2.3", informationUri: "https://example.com/ovm-deps" }),
  );
  const run = log.runs[0];

  it("is valid against the official SARIF 2.1.0 schema", () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(run.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  it("says the run was not successful when something could not be read, so alerts stay open", () => {
    const incomplete = JSON.parse(
      renderSarif(unseen(), { version: "1.2.3", informationUri: "https://example.com/ovm-deps" }),
    );
    const validate = sarifValidator();
    expect(validate(incomplete), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const [invocation] = incomplete.runs[0].invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(
      invocation.toolExecutionNotifications.map((n: { descriptor: { id: string } }) => n.descriptor.id),
    ).toEqual(["unreadable"]);
    expect(invocation.toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "file:///srv/estate/Guests%20A/VirtualMachines",
    );
  });

  it("rejects what the schema forbids (the validator is not a rubber stamp)", () => {
    const validate = sarifValidator();
    expect(validate({ ...log, version: "2.0.0" })).toBe(false);
    const badLevel = structuredClone(log);
    badLevel.runs[0].results[0].level = "fatal";
    expect(validate(badLevel)).toBe(false);
  });

  it("describes the tool and lists every rule with its configured level", () => {
    expect(run.tool.driver).toMatchObject({
      name: "ovm-deps",
      version: "1.2.3",
      informationUri: "https://example.com/ovm-deps",
    });
    const rules = run.tool.driver.rules;
    expect(rules).toHaveLength(14);
    expect(rules.find((r: { id: string }) => r.id === "parse-error")).toMatchObject({
      defaultConfiguration: { level: "note" },
    });
    expect(
      rules.find((r: { id: string }) => r.id === "resource-in-guest-repository").defaultConfiguration,
    ).toEqual({
      level: "error",
      enabled: false,
    });
    for (const rule of rules) expect(rule.shortDescription.text.length).toBeGreaterThan(0);
  });

  it("gives one result per finding, its rule by id and index, located at the vm.cfg line when it has a source", () => {
    expect(run.results).toHaveLength(4);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    const missing = run.results[1];
    expect(missing).toMatchObject({ ruleId: "missing-disk", level: "error" });
    expect(missing.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "VirtualMachines/web/vm.cfg", uriBaseId: "REPOSITORY1" },
      region: { startLine: 6 },
    });
    expect(missing.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe("VirtualDisks/gone.img");
    expect(missing.partialFingerprints).toEqual({
      "ovmDepsFinding/v1": "missing-disk:G/VirtualDisks/gone.img",
    });
  });

  it("maps each repository to its root as a file:// URI ending in /, and encodes file names as URI references", () => {
    expect(run.originalUriBaseIds.REPOSITORY1.uri).toBe("file:///srv/estate/Guests%20A/");
    expect(run.originalUriBaseIds.REPOSITORY2.uri).toBe("file:///srv/estate/T/");
    const nasty = run.results[2].locations[0].physicalLocation.artifactLocation.uri;
    expect(decodeURIComponent(nasty.split("/")[1])).toBe(NASTY.split("/")[1]);
    expect(nasty).not.toMatch(/[ #\n]/);
    expect(run.results[2].locations[0].physicalLocation.region).toBeUndefined();
  });

  it("marks suppressed findings with their justification", () => {
    expect(run.results[3].suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "kept: INC-42 & <reasons>" },
    ]);
    expect(run.results[0].suppressions).toBeUndefined();
  });
});

describe("junit", () => {
  const xml = renderJunit(sample());
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    isArray: (name) => name === "testcase",
  });

  it("is well-formed XML with one test case per rule", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = parser.parse(xml).testsuites.testsuite;
    expect(suite.testcase.map((c: Record<string, string>) => c["@name"])).toEqual(
      sample().rules.map((r) => r.id),
    );
    expect(suite).toMatchObject({ "@tests": "14", "@failures": "1", "@errors": "0", "@skipped": "1" });
  });

  /** The failing test cases and the ones whose output lists findings, at a `--fail-on`. */
  function outcome(failOn: "error" | "warning" | "never") {
    const suite = parser.parse(renderJunit(sample(), failOn)).testsuites.testsuite;
    const cases: Array<Record<string, unknown>> = suite.testcase;
    return {
      failures: suite["@failures"],
      failed: cases.filter((c) => c.failure !== undefined).map((c) => c["@name"]),
      informed: cases.filter((c) => c["system-out"] !== undefined).map((c) => c["@name"]),
    };
  }

  it("honours --fail-on: findings below the threshold are output, not failures", () => {
    expect(outcome("error")).toEqual({
      failures: "1",
      failed: ["missing-disk"],
      informed: ["parse-error", "orphan-disk"],
    });
    expect(outcome("warning")).toEqual({
      failures: "2",
      failed: ["missing-disk", "orphan-disk"],
      informed: ["parse-error", "orphan-disk"],
    });
    expect(outcome("never")).toEqual({
      failures: "0",
      failed: [],
      informed: ["parse-error", "missing-disk", "orphan-disk"],
    });
  });

  it("fails the rules with unsuppressed errors or warnings at --fail-on warning, carrying them, and skips rules that are off", () => {
    const cases = Object.fromEntries(
      parser
        .parse(renderJunit(sample(), "warning"))
        .testsuites.testsuite.testcase.map((c: Record<string, unknown>) => [c["@name"], c]),
    );
    expect(cases["missing-disk"].failure["@type"]).toBe("error");
    expect(cases["missing-disk"].failure["#text"]).toContain("G/VirtualMachines/web/vm.cfg:6");
    // A rule lowered to note informs without failing: its findings are in the output.
    expect(cases["parse-error"].failure).toBeUndefined();
    expect(cases["parse-error"]["system-out"]).toContain("note T/VirtualMachines/stray/vm.cfg: ");
    expect(cases["resource-in-guest-repository"].skipped).toBeDefined();
    expect(cases["shared-disk"].failure).toBeUndefined();
    // The nasty name survives escaping (its control character spelled out), and the ignore reason is visible.
    const orphans = cases["orphan-disk"];
    expect(orphans.failure["#text"]).toContain("VirtualDisks/a b#%<&>\"'::error::x,y\\x01\\n.img");
    expect(orphans["system-out"]).toContain("kept: INC-42 & <reasons>");
  });
});

describe("github", () => {
  const output = renderGithub(sample(), "/srv/estate");
  const lines = output.trimEnd().split("\n");

  it("prints one workflow command per unsuppressed finding, notes as notices", () => {
    const commands = lines.filter((line) => line.startsWith("::"));
    expect(commands).toHaveLength(3);
    expect(commands[0]).toBe(
      "::notice file=T/VirtualMachines/stray/vm.cfg,title=ovm-deps parse-error::The guest stray (T/VirtualMachines/stray) cannot be trusted: it could not be read",
    );
    expect(commands[1]).toMatch(
      /^::error file=Guests A\/VirtualMachines\/web\/vm.cfg,line=6,title=ovm-deps missing-disk::/,
    );
  });

  it("escapes controls (as text does), % in messages and also : and , in properties, so a name cannot inject a command", () => {
    const nasty = lines.find((line) => line.includes("a b#"));
    expect(nasty).toBeDefined();
    const [properties, message] = [
      nasty?.slice(0, nasty.indexOf("::", 2)),
      nasty?.slice(nasty.indexOf("::", 2) + 2),
    ];
    expect(properties).toContain(
      "file=Guests A/VirtualDisks/a b#%25<&>\"'%3A%3Aerror%3A%3Ax%2Cy\\x01\\n.img",
    );
    expect(message).toContain("a b#%25<&>\"'::error::x,y\\x01\\n.img");
    expect(lines.filter((line) => line.startsWith("::error::"))).toEqual([]);
  });

  it("keeps suppressed findings visible as plain log lines, with the reason, and ends with the summary", () => {
    expect(lines).toContain("suppressed orphan-disk G/VirtualDisks/orphan.img: kept: INC-42 & <reasons>");
    expect(lines.at(-1)).toBe("ovm-deps check: 1 error, 1 warning, 1 note, 1 suppressed");
  });

  it("annotates with absolute paths when the estate is outside the workspace", () => {
    expect(renderGithub(sample(), "/home/runner/work")).toContain(
      "file=/srv/estate/T/VirtualMachines/stray/vm.cfg,",
    );
  });
});

describe("text", () => {
  const text = renderCheckText(sample());

  it("groups findings by rule with the summary last, and escapes control characters in names", () => {
    expect(text).toContain("error missing-disk (1): ");
    expect(text).toContain("warning orphan-disk (1 + 1 suppressed): ");
    expect(text).toContain("      from G/VirtualMachines/web/vm.cfg:6");
    expect(text).toContain("      suppressed: kept: INC-42 & <reasons>");
    expect(text).toContain("a b#%<&>\"'::error::x,y\\x01\\n.img");
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "1 error, 1 warning, 1 note, 1 suppressed; 13 rules checked (off: resource-in-guest-repository)",
    );
  });
});
