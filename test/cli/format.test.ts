// `ovm-deps format`: every saved document re-rendered in every format, byte for byte as its command prints it.
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DocumentKind, formatsOf, recognizeDocument } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenEstate, cleanEstate, tempDir, write } from "../check/tree.js";
import { runCli } from "../support/cli.js";

const temp = tempDir();
/** Where the commands run: outside every ROOT, so that `github` annotates relative paths. */
let cwd = "";

/** A command line whose `--format json` output is saved and re-rendered. */
interface Case {
  name: string;
  kind: DocumentKind;
  args: () => string[];
  /** Render options tried besides none at all, by the formats they change. */
  variants?: Record<string, string[][]>;
}

let clean = "";
let broken = "";
let backupClean = "";
let backupBroken = "";
let newline = "";
let policy = "";

beforeAll(() => {
  cwd = temp.dir;
  clean = cleanEstate(join(temp.dir, "clean"));
  broken = brokenEstate(join(temp.dir, "broken"));
  backupClean = join(temp.dir, "backup-clean");
  backupBroken = join(temp.dir, "backup-broken");
  cpSync(clean, backupClean, { recursive: true, verbatimSymlinks: true });
  cpSync(broken, backupBroken, { recursive: true, verbatimSymlinks: true });
  // The live db lost its disk: restoring it creates the file again.
  rmSync(join(clean, "G", "VirtualDisks", "db.img"));
  // A disk whose name holds a line break: `list` refuses it without -0, in the command and in `format`.
  newline = cleanEstate(join(temp.dir, "newline"));
  write(join(newline, "G", "VirtualDisks", "a\nb.img"));
  write(
    join(newline, "G", "VirtualMachines", "nl", "vm.cfg"),
    "name = 'nl'\ndisk = ['file:/OVS/Repositories/G/VirtualDisks/a\\nb.img,xvda,w']\n",
  );
  policy = join(temp.dir, "policy.json");
  writeFileSync(
    policy,
    JSON.stringify({
      rules: { "orphan-disk": "warning" },
      ignore: [{ rule: "shared-disk", reason: "INC-7" }],
    }),
  );
});
afterAll(() => temp.cleanup());

const list = { list: [["-0"]] };

const cases: Case[] = [
  { name: "scan", kind: "scan", args: () => ["scan", broken] },
  { name: "graph", kind: "graph", args: () => ["graph", broken] },
  {
    name: "plan (a guest with coverage none: exit 1)",
    kind: "plan",
    args: () => ["plan", broken],
    variants: list,
  },
  { name: "plan of one guest (exit 0)", kind: "plan", args: () => ["plan", clean, "--guest", "web"] },
  { name: "plan with a line break in a path", kind: "plan", args: () => ["plan", newline], variants: list },
  {
    name: "plan --resources",
    kind: "resources",
    args: () => ["plan", broken, "--resources", "--retain", "3", "--adhoc", "1", "--growth", "1.5"],
    variants: list,
  },
  {
    name: "restore (safe)",
    kind: "restore",
    args: () => ["restore", clean, "--from", backupClean, "--guest", "db"],
    variants: list,
  },
  {
    name: "restore (not safe: exit 1)",
    kind: "restore",
    args: () => ["restore", broken, "--from", backupBroken, "--guest", "app"],
  },
  {
    name: "check (findings)",
    kind: "check",
    args: () => ["check", broken],
    variants: {
      text: [
        ["--fail-on", "warning"],
        ["--fail-on", "never"],
      ],
      sarif: [["--fail-on", "never"]],
    },
  },
  {
    name: "check with a policy file",
    kind: "check",
    args: () => ["check", broken, "--policy", policy],
    variants: { text: [["--fail-on", "warning"]] },
  },
  {
    name: "check (clean)",
    kind: "check",
    args: () => ["check", clean],
    variants: { junit: [["--fail-on", "warning"]] },
  },
];

/** The flags `format` needs to print what the command printed: check's --policy (for baseline). */
function formatFlags(args: string[]): string[] {
  const at = args.indexOf("--policy");
  return at < 0 ? [] : args.slice(at, at + 2);
}

describe.each(cases)("ovm-deps format: $name", ({ kind, args, variants }) => {
  let saved = "";
  let file = "";

  beforeAll(() => {
    const run = runCli([...args(), "--format", "json"], { cwd });
    expect(run.stdout).not.toBe("");
    saved = run.stdout;
    file = join(temp.dir, `${kind}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, saved);
  });

  it(`is recognised as a ${kind} document`, () => {
    const recognition = recognizeDocument(JSON.parse(saved));
    expect(recognition.ok && recognition.known.kind).toBe(kind);
  });

  const combinations = formatsOf(kind).flatMap((format) =>
    [[], ...(variants?.[format] ?? [])].map((options) => ({ format, options })),
  );
  it.each(combinations)(
    "--format $format $options: the command's bytes and exit status, from FILE and from stdin",
    ({ format, options }) => {
      const command = runCli([...args(), "--format", format, ...options], { cwd });
      const flags = [...formatFlags(args()), "--format", format, ...options];
      const fromFile = runCli(["format", file, ...flags], { cwd });
      // Through stdin too, once per format (a variant changes the options, not the input).
      const fromStdin = options.length > 0 ? [] : [runCli(["format", "-", ...flags], { cwd, input: saved })];
      for (const run of [fromFile, ...fromStdin]) {
        expect(run.stdout).toBe(command.stdout);
        expect(run.code, run.stderr).toBe(command.code);
        // A refusal (a list a path would break) is one line on stderr, as the command's.
        if (command.code === 2) expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      }
    },
  );

  it("defaults to the command's default format", () => {
    const command = runCli(args(), { cwd });
    const run = runCli(["format", file, ...formatFlags(args())], { cwd });
    expect(run.stdout).toBe(command.stdout);
    expect(run.code).toBe(command.code);
  });
});

describe("ovm-deps format: what it refuses, exit 2 with one line on stderr", () => {
  /** Run `format` on `text` given through stdin (and through a file when `file`), expect exit 2. */
  function refused(args: string[], input: string): string {
    const run = runCli(["format", ...args], { cwd, input });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  it("a JSON value that is none of the documents, saying what was expected", () => {
    const expected =
      "is not a scan, graph, plan, resources, restore, restore-as-new, check, verify or rebuild document";
    const file = join(temp.dir, "other.json");
    writeFileSync(file, JSON.stringify({ findings: [], summary: { errors: 0 } }));
    const line = refused([file], "");
    expect(line).toContain(`ovm-deps format: ${file} ${expected} (as a check document, summary.warnings: `);
    expect(refused(["-"], "[]")).toMatch(/stdin is not .* parse documents are not re-rendered/);
    expect(refused(["-"], "42")).toContain(expected);
    expect(refused(["-"], "null")).toContain(expected);
  });

  it("a value two schemas accept, naming both", () => {
    const both = { repositories: [], guests: [], templates: [], diagnostics: [], roots: [] };
    const line = refused(["-"], JSON.stringify({ ...both, totals: { bytes: 0, allocatedBytes: 0 } }));
    expect(line).toContain("ambiguous: it is a valid scan and a valid plan document");
  });

  it("what is not JSON, and a FILE that cannot be read", () => {
    expect(refused(["-"], '{"guests": [\n')).toMatch(/^ovm-deps format: stdin is not JSON \(/);
    const file = join(temp.dir, "broken.json");
    writeFileSync(file, "not json\nat all");
    expect(refused([file], "")).toContain(`${file} is not JSON`);
    expect(refused([join(temp.dir, "absent.json")], "")).toContain("cannot read");
  });

  it("a format the document does not have, naming those it has", () => {
    const plan = runCli(["plan", clean, "--format", "json"], { cwd }).stdout;
    expect(refused(["-", "--format", "sarif"], plan)).toContain(
      'stdin is a plan document: --format must be one of text, json, list (got "sarif")',
    );
  });

  it("usage errors: no FILE, two FILEs, an unknown --fail-on", () => {
    refused([], "");
    refused(["a.json", "b.json"], "");
    refused(["-", "--fail-on", "sometimes"], "{}");
  });
});

describe("ovm-deps format --help", () => {
  it("is in the overview and prints its usage with every document's formats", () => {
    expect(runCli(["--help"]).stdout).toMatch(/^ {2}format /m);
    const run = runCli(["format", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: ovm-deps format /);
    expect(run.stdout).toContain("check     text|json|sarif|junit|github|baseline");
  });
});
