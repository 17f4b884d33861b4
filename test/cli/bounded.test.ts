// Every file the CLI reads has a byte cap: /dev/zero (endless) as a vm.cfg, --xm-list, --policy or a saved
// document ends quickly in file-too-large, not in all the memory there is; pipes and process substitution
// still work. Without a cap each of these runs until the timeout (or the OOM killer) ends it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { binPath } from "../support/cli.js";

const estate = fileURLToPath(new URL("../../examples/estate/repositories", import.meta.url));
const xmList = fileURLToPath(new URL("../../examples/estate/xm-list.txt", import.meta.url));

/** Run a bash command line with `ovm-deps` as a function; killed after 30 s (status null). */
function sh(script: string, stdin?: string) {
  const run = spawnSync(
    "bash",
    ["-c", `ovm-deps() { "${process.execPath}" "${binPath}" "$@"; }; ${script}`],
    {
      encoding: "utf8",
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
      ...(stdin === undefined ? {} : { input: stdin }),
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("bounded reads", () => {
  it("parse /dev/zero: a file-too-large error diagnostic, exit 1", () => {
    const run = sh("ovm-deps parse /dev/zero --format json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)[0].diagnostics.map((d: { code: string }) => d.code)).toEqual([
      "file-too-large",
    ]);
  });

  it("--xm-list /dev/zero: file-too-large, the scan completes with running unknown, and is incomplete", () => {
    const run = sh(`ovm-deps scan '${estate}' --xm-list /dev/zero --format json`);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\/dev\/zero: error file-too-large: --xm-list is larger than \d+ bytes/);
    const scan: { complete: boolean; guests: Array<{ running: boolean | null }> } = JSON.parse(run.stdout);
    expect(scan.guests.every((g) => g.running === null)).toBe(true);
    expect(scan.complete).toBe(false);
  });

  it.each([
    [
      `ovm-deps check '${estate}' --policy /dev/zero`,
      "ovm-deps check: cannot read --policy /dev/zero: file-too-large",
    ],
    ["ovm-deps format /dev/zero", "ovm-deps format: cannot read /dev/zero: file-too-large"],
    ["ovm-deps format - < /dev/zero", "ovm-deps format: cannot read stdin: file-too-large"],
  ])("%s: a usage error, exit 2", (script, message) => {
    const run = sh(script);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("still reads pipes and process substitution", () => {
    const parse = sh(`printf "name = 'a'\\n" | ovm-deps parse /dev/stdin --format json`);
    expect([parse.code, JSON.parse(parse.stdout)[0].guest.name]).toEqual([0, "a"]);
    const scan = sh(`ovm-deps scan '${estate}' --xm-list <(cat '${xmList}') --format json`);
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout).guests.some((g: { running: boolean | null }) => g.running === true)).toBe(
      true,
    );
    const policy = sh(
      `ovm-deps check '${estate}' --policy <(echo '{ "rules": { "orphan-disk": "off" } }') --format json`,
    );
    expect(policy.code).not.toBe(2);
    expect(JSON.parse(policy.stdout).rules.find((r: { id: string }) => r.id === "orphan-disk").severity).toBe(
      "off",
    );
  });
});
