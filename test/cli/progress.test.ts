// Progress on a terminal: nothing for short work or off a terminal; counts while the total grows; a bar with
// the final total (never one that runs backwards) and an ETA once the rate means something.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { progressReporter } from "../../src/cli/progress.js";

/** A fake terminal (or not) and a clock the test moves. */
function terminal(isTty: boolean, quiet = false) {
  const written: string[] = [];
  let clock = 0;
  const io = {
    stdout: { write: () => true },
    stderr: { write: (chunk: string) => written.push(chunk) > 0 },
    stderrIsTty: isTty,
    cwd: "/",
  };
  return {
    reporter: progressReporter(io, "scanning", () => clock, quiet),
    at: (ms: number) => {
      clock = ms;
    },
    /** What was written since the last call. */
    take: () => written.splice(0).join(""),
  };
}

describe("progress", () => {
  it("is nothing at all when stderr is not a terminal", () => {
    const { reporter, take } = terminal(false);
    expect(reporter.onProgress).toBeUndefined();
    reporter.stop();
    expect(take()).toBe("");
  });

  it("is nothing at all with --quiet, on a terminal too (every command's bar, plan --checksum's hashing included)", () => {
    const { reporter, take } = terminal(true, true);
    expect(reporter.onProgress).toBeUndefined();
    reporter.stop();
    expect(take()).toBe("");
  });

  it("shows counts while the total grows, then a bar with the final total, then an ETA; clears on stop", async () => {
    const { reporter, at, take } = terminal(true);
    const progress = reporter.onProgress;
    if (progress === undefined) throw new Error("a terminal gets progress");
    progress(5, 40, false);
    expect(take()).toBe(""); // under a second: nothing
    at(1500);
    progress(1200, 3400, false);
    const spinner = take();
    expect(spinner).toContain("scanning: 1,200 of 3,400 found so far");
    expect(spinner).not.toMatch(/\[[^\]]*\] \d/); // no bar
    at(1700);
    progress(1300, 5000, true);
    const bar = take();
    // The bar starts with the final total, cursor hidden, no ETA yet (no rate to go by).
    expect(bar).toContain("\x1b[?25l");
    expect(bar).toMatch(/scanning \[[^\]]*\] 1300\/5000 26%/);
    expect(bar).not.toContain("ETA");
    at(4700); // 3 s later, 1,500 more done: 500/s, 2,200 left: 5 s
    progress(2800, 5000, true);
    await sleep(250); // cli-progress redraws on its own timer
    expect(take()).toMatch(/2800\/5000 56% ETA 5s/);
    reporter.stop();
    expect(take()).toContain("\x1b[?25h");
  });
});
