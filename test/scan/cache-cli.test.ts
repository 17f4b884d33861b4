// The CLI turns the parse cache on: where it keeps it (XDG_CACHE_HOME, ~/.cache, --cache-dir), --no-cache.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PARSE_CACHE_FILE } from "../../src/scan/parse-cache.js";
import { runCli } from "../support/cli.js";
import { live, owner, repository, tempDir, write } from "./helpers.js";

const REPO = "0004fb0000030000cace0000000000c1";

function estate(): string {
  const parent = tempDir();
  const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
  write(path.join(root, "VirtualDisks/a.img"), "abc");
  for (const name of ["vm1", "vm2"]) {
    owner(root, name, { name, disks: [`file:${live(REPO, "VirtualDisks/a.img")},xvda,w`] });
  }
  return parent;
}

/** Every file under `dir`, relative to it (none when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe("the CLI's parse cache", () => {
  it("is kept in $XDG_CACHE_HOME/ovm-deps; a warm run prints what a cold one and --no-cache print", () => {
    const parent = estate();
    const xdg = tempDir();
    const env = { XDG_CACHE_HOME: xdg };
    const cold = runCli(["scan", parent, "--format", "json"], { env });
    expect(cold.code, cold.stderr).toBe(0);
    expect(filesUnder(xdg)).toEqual([path.join("ovm-deps", PARSE_CACHE_FILE)]);
    const file = path.join(xdg, "ovm-deps", PARSE_CACHE_FILE);
    const mtime = statSync(file).mtimeMs;
    for (const command of ["scan", "plan"]) {
      const warm = runCli([command, parent, "--format", "json"], { env });
      const uncached = runCli([command, parent, "--format", "json", "--no-cache"], { env });
      expect([warm.code, warm.stdout, warm.stderr]).toEqual([
        uncached.code,
        uncached.stdout,
        uncached.stderr,
      ]);
    }
    expect(runCli(["scan", parent, "--format", "json"], { env }).stdout).toBe(cold.stdout);
    // Nothing changed: the warm runs did not rewrite it.
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it("--no-cache reads and writes no cache", () => {
    const parent = estate();
    const xdg = tempDir();
    mkdirSync(path.join(xdg, "ovm-deps"));
    writeFileSync(path.join(xdg, "ovm-deps", PARSE_CACHE_FILE), "damaged");
    const run = runCli(["scan", parent, "--no-cache"], { env: { XDG_CACHE_HOME: xdg } });
    expect(run.code).toBe(0);
    // A damaged cache would have been reported and rebuilt, had it been read.
    expect(run.stderr).not.toContain("cache-invalid");
    expect(filesUnder(xdg)).toEqual([path.join("ovm-deps", PARSE_CACHE_FILE)]);
    expect(statSync(path.join(xdg, "ovm-deps", PARSE_CACHE_FILE)).size).toBe("damaged".length);
  });

  it("--cache-dir DIR (relative to the working directory) is used instead", () => {
    const parent = estate();
    const xdg = tempDir();
    const work = tempDir();
    const run = runCli(["scan", parent, "--cache-dir", "here"], { cwd: work, env: { XDG_CACHE_HOME: xdg } });
    expect(run.code).toBe(0);
    expect(filesUnder(work)).toEqual([path.join("here", PARSE_CACHE_FILE)]);
    expect(filesUnder(xdg)).toEqual([]);
  });

  it("without XDG_CACHE_HOME (or with a relative one), ~/.cache/ovm-deps", () => {
    const parent = estate();
    for (const xdg of ["", "relative/cache"]) {
      const home = tempDir();
      const run = runCli(["scan", parent], { cwd: home, env: { XDG_CACHE_HOME: xdg, HOME: home } });
      expect(run.code).toBe(0);
      expect(filesUnder(home)).toEqual([path.join(".cache", "ovm-deps", PARSE_CACHE_FILE)]);
    }
  });

  it("a damaged cache is an info line on stderr, exit 0, and is rebuilt", () => {
    const parent = estate();
    const xdg = tempDir();
    mkdirSync(path.join(xdg, "ovm-deps"));
    const file = path.join(xdg, "ovm-deps", PARSE_CACHE_FILE);
    writeFileSync(file, "damaged");
    const env = { XDG_CACHE_HOME: xdg };
    const run = runCli(["scan", parent, "--format", "json", "--min-severity", "info"], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${file}: info cache-invalid:`);
    const codes = JSON.parse(run.stdout).diagnostics.map((d: { code: string }) => d.code);
    expect(codes).toContain("cache-invalid");
    expect(runCli(["scan", parent], { env }).stderr).not.toContain("cache-");
  });

  it("a --cache-dir inside a ROOT is not used: an info line, nothing written there", () => {
    const parent = estate();
    const dir = path.join(parent, REPO, "cache");
    const run = runCli(["scan", parent, "--cache-dir", dir, "--min-severity", "info"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${dir}: info cache-under-root:`);
    expect(existsSync(dir)).toBe(false);
  });
});
