// How the built CLI ends when things go wrong around it: a closed pipe (141, silent), Ctrl-C under a terminal
// and SIGTERM (terminal restored, 130/143), a bug (one line with a --debug hint, 70; the trace with --debug).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath, runCli } from "../support/cli.js";
import { generateEstate } from "../support/estate/index.js";

const estate = fileURLToPath(new URL("../../examples/estate/repositories", import.meta.url));
const temp = mkdtempSync(join(tmpdir(), "ovm-deps-exits-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A FIFO nobody writes: as `--xm-list` it holds a scan open after the walk, for as long as a test needs. */
function stallingFifo(name: string): string {
  const fifo = join(temp, name);
  execFileSync("mkfifo", [fifo]);
  return fifo;
}

/** Run a shell command line; its stdout and its exit status. */
function sh(script: string): { stdout: string; code: number | null } {
  const run = spawnSync("bash", ["-c", script], { encoding: "utf8" });
  return { stdout: run.stdout, code: run.status };
}

const q = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`;
const ovmDeps = `${q(process.execPath)} ${q(binPath)}`;

describe("a closed stdout (EPIPE)", () => {
  // An estate whose JSON is far more than a pipe holds (64 KiB), so that the writes after `head` left fail.
  const big = join(temp, "big");
  beforeAll(() => {
    generateEstate(big, { guests: 200, example: true });
  });

  it.each([
    ["scan", "--format", "json"],
    ["graph", "--format", "json"],
  ])("%s %s %s | head -c 1: exit 141, and stderr only what a full run prints", (...args) => {
    const full = runCli([...args, join(big, "repositories")]);
    expect(full.stdout.length).toBeGreaterThan(512 * 1024);
    const err = join(temp, `${args[0]}.err`);
    const run = sh(
      `${ovmDeps} ${args.join(" ")} ${q(join(big, "repositories"))} 2>${q(err)} | head -c 1; echo " \${PIPESTATUS[0]}"; cat ${q(err)}`,
    );
    const [head, status, ...stderr] = run.stdout.split(/ (\d+)\n/);
    expect([head, status]).toEqual([full.stdout[0], "141"]);
    expect(stderr.join("")).toBe(full.stderr);
  });
});

describe("an internal error", () => {
  /** The built CLI with a module loaded first that breaks something a command needs. */
  function broken(breakage: string, args: string[]) {
    const run = spawnSync(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(breakage)}`, binPath, ...args],
      { encoding: "utf8" },
    );
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }
  // Only the plan document breaks: whatever else calls JSON.stringify, at start-up or later, still works.
  const jsonBreaks = `const stringify = JSON.stringify;
    JSON.stringify = (value, ...rest) => {
      if (value !== null && typeof value === "object" && "guests" in value && "totals" in value) throw new Error("boom");
      return stringify(value, ...rest);
    };`;

  it("is one line with a hint to re-run with --debug, exit 70, no stack trace", () => {
    const run = broken(jsonBreaks, ["plan", estate, "--format", "json"]);
    expect(run.code).toBe(70);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(
      "ovm-deps: internal error: boom (re-run with --debug for the trace)",
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("prints its stack trace with --debug", () => {
    const run = broken(jsonBreaks, ["plan", estate, "--format", "json", "--debug"]);
    expect(run.code).toBe(70);
    expect(run.stderr).toMatch(/^Error: boom\n\s+at /m);
  });

  it("outside the command's own work (an exception in a callback) ends the same way", () => {
    const late = `const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = (...args) => { setTimeout(() => { throw new Error("late"); }); return write(...args); };`;
    const run = broken(late, ["plan", estate, "--format", "json"]);
    expect(run.code).toBe(70);
    expect(run.stdout).not.toBe(""); // the command had done its work
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(
      "ovm-deps: internal error: late (re-run with --debug for the trace)",
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("signals", () => {
  it("SIGTERM ends a scan with 143 as the shell sees it, nothing on stdout, no trace", () => {
    const fifo = stallingFifo("term");
    const run = sh(
      `${ovmDeps} scan ${q(estate)} --xm-list ${q(fifo)} 2>&1 & sleep 1; kill -TERM $!; wait $!; echo "status $?"`,
    );
    expect(run.stdout).toBe("status 143\n");
  });

  it("Ctrl-C under a terminal ends a scan with 130 and puts the cursor and line wrapping back", async () => {
    const fifo = stallingFifo("int");
    // script(1) runs the CLI on a pseudo-terminal; a ^C written to it is the terminal's interrupt key.
    const child = spawn(
      "script",
      ["-qefc", `${ovmDeps} scan ${q(estate)} --xm-list ${q(fifo)} --format json`, "/dev/null"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    const code = new Promise<number | null>((resolve) => child.on("close", resolve));
    // The progress bar comes up once the scan has run a second (the walk is done: it waits for the FIFO).
    for (let waited = 0; !output.includes("\x1b[?25l") && waited < 20_000; waited += 100) await sleep(100);
    expect(output).toMatch(/scanning \[[^\]]*\] \d+\/\d+ 100%/);
    child.stdin.write("\x03");
    expect(await code).toBe(130);
    const afterBar = output.slice(output.lastIndexOf("\x1b[?25l"));
    expect(afterBar).toContain("\x1b[?25h"); // cursor shown
    expect(afterBar.slice(afterBar.lastIndexOf("\x1b[?7l"))).toContain("\x1b[?7h"); // line wrap on
    expect(output).not.toMatch(/^\s+at /m);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
