// The generator's CLI (tools/generate-estate.ts), run through tsx as a user would.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";
import { listTree, tempDir } from "./tree.js";

const script = fileURLToPath(new URL("../../tools/generate-estate.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const { dir: work, cleanup } = tempDir("estate-cli");
afterAll(cleanup);

function generateCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--import", tsx, script, ...args], { encoding: "utf8" });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

describe("generate-estate CLI", () => {
  it("writes the same tree as the library and the manifest only where asked", () => {
    const out = join(work, "cli");
    const manifestFile = join(work, "cli-manifest.json");
    const run = generateCli([out, "--example", "--guests", "9", "--seed", "5", "--manifest", manifestFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 repositories, 10 guests, 2 templates/);
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as EstateManifest;
    const library = generateEstate(join(work, "library"), { example: true, guests: 9, seed: 5 });
    expect({ ...manifest, root: "" }).toEqual({ ...library, root: "" });
    expect(listTree(out)).toEqual(listTree(library.root));
    expect(listTree(out).some((e) => e.path.endsWith(".json"))).toBe(false);
  });

  it("switches features off with --without", () => {
    const manifestFile = join(work, "without.json");
    const run = generateCli([
      join(work, "without"),
      "--example",
      "--without",
      "exadata",
      "--manifest",
      manifestFile,
    ]);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as EstateManifest;
    expect(manifest.repositories.some((r) => r.exadata)).toBe(false);
    expect(manifest.owners.some((o) => o.style === "exadata")).toBe(false);
  });

  it.each([
    [["--guests", "12"], /exactly one DIR/],
    [["x", "--guests", "many"], /--guests must be a non-negative integer/],
    [["x", "--frobnicate"], /frobnicate/],
    [["x", "--without", "everything"], /unknown feature "everything"/],
  ])("exits 2 on usage error %j", (args, message) => {
    const run = generateCli(args.map((a) => (a === "x" ? join(work, "never") : a)));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("usage: generate-estate DIR");
  });

  it("refuses a DIR that is not empty and a manifest inside DIR", () => {
    const busy = join(work, "busy");
    generateCli([busy, "--example"]);
    writeFileSync(join(busy, "keep.txt"), "mine\n");
    const refused = generateCli([busy, "--example"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not empty/);
    expect(readFileSync(join(busy, "keep.txt"), "utf8")).toBe("mine\n");
    const inside = generateCli([
      join(work, "inside"),
      "--example",
      "--manifest",
      join(work, "inside", "m.json"),
    ]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/--manifest FILE must be outside DIR/);
  });
});
