// Every command only reads: the scanned tree is byte- and metadata-identical after each run.
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { snapshotTree } from "../support/tree-snapshot.js";

// plan and restore have their own runs in test/plan/read-only.test.ts.
describe("commands leave the scanned tree untouched", () => {
  let dir = "";
  let repositories = "";
  let options: string[] = [];
  let before: ReturnType<typeof snapshotTree> = [];

  beforeAll(async () => {
    const { generateEstate } = await import("../support/estate/index.js");
    dir = mkdtempSync(path.join(tmpdir(), "ovm-deps-readonly-"));
    const manifest = generateEstate(dir, { guests: 30, seed: 3, diskBytes: 64 * 1024 });
    repositories = path.join(dir, manifest.repositoriesDir);
    options = [
      ...(manifest.guestBackupsDir ? ["--guest-backups", path.join(dir, manifest.guestBackupsDir)] : []),
      ...(manifest.xmList ? ["--xm-list", path.join(dir, manifest.xmList)] : []),
    ];
    before = snapshotTree(dir);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // [name, arguments after the ROOT]
  const runs: Array<[string, string[]]> = [
    ["scan --format json", ["scan", "--format", "json"]],
    ["scan --format text", ["scan", "--format", "text"]],
    ...["json", "dot", "mermaid"].map((f): [string, string[]] => [
      `graph --format ${f}`,
      ["graph", "--format", f],
    ]),
    ...["text", "json", "sarif", "junit", "github", "baseline"].map((f): [string, string[]] => [
      `check --format ${f}`,
      ["check", "--format", f, "--fail-on", "never"],
    ]),
  ];

  it.each(runs)("%s", (_name, args) => {
    const [command, ...rest] = args;
    const run = runCli([command!, repositories, ...rest, ...options]);
    expect(run.code, run.stderr).toBe(0);
    expect(snapshotTree(dir)).toEqual(before);
  });

  // The parse cache is written by default: never under a ROOT, however its folder is given.
  const caches: Array<[string, (repositories: string) => { args: string[]; env: Record<string, string> }]> = [
    ["--cache-dir inside the ROOT", (r) => ({ args: ["--cache-dir", path.join(r, "cache")], env: {} })],
    [
      "XDG_CACHE_HOME inside a repository",
      (r) => ({ args: [], env: { XDG_CACHE_HOME: path.join(r, readdirSync(r)[0]!, "VirtualDisks") } }),
    ],
    ["HOME inside the ROOT", (r) => ({ args: [], env: { XDG_CACHE_HOME: "", HOME: r } })],
  ];
  it.each(caches)("scan with the parse cache's folder %s: not used, nothing written", (_name, where) => {
    const { args, env } = where(repositories);
    const run = runCli(
      ["scan", repositories, "--format", "json", "--min-severity", "info", ...args, ...options],
      {
        env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("info cache-under-root");
    expect(snapshotTree(dir)).toEqual(before);
  });

  it("the estate has links and files for the snapshot to compare", () => {
    expect(before.length).toBeGreaterThan(50);
    expect(before.some((e) => e.type === "symlink")).toBe(true);
    expect(before.filter((e) => e.type === "file").every((e) => /^[0-9a-f]{40}$/.test(e.sha1!))).toBe(true);
  });
});

describe("snapshotTree", () => {
  it("sees a changed byte of the same size by its content hash", () => {
    const tree = mkdtempSync(path.join(tmpdir(), "ovm-deps-snapshot-"));
    try {
      const file = path.join(tree, "a.img");
      writeFileSync(file, "abcdef");
      symlinkSync("a.img", path.join(tree, "link"));
      const first = snapshotTree(tree);
      writeFileSync(file, "abcdeX");
      const second = snapshotTree(tree);
      expect(second.map((e) => [e.path, e.type, e.linkTarget])).toEqual([
        ["a.img", "file", null],
        ["link", "symlink", "a.img"],
      ]);
      expect(second[0]!.size).toBe(first[0]!.size);
      expect(second[0]!.sha1).not.toBe(first[0]!.sha1);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
