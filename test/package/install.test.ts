// The package as an administrator installs it: pack a clean checkout (prepack builds dist/), install the
// tarball into a temporary prefix with npm install -g, and run the installed ovm-deps on the example estate.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PlanResultSchema } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };

const checkout = fileURLToPath(new URL("../..", import.meta.url));
const example = join(checkout, "examples", "estate");
const temp = mkdtempSync(join(tmpdir(), "ovm-deps-install-"));
const prefix = join(temp, "prefix");
const installed = join(prefix, "bin", "ovm-deps");
let files: string[] = [];

/** Run a command in `cwd`, failing the test with its output when it fails. */
function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  // A clean checkout of what is committed: no dist/, no node_modules, nothing left over from a build here.
  const clone = join(temp, "clone");
  run("git", ["clone", "--quiet", checkout, clone], temp);
  const quiet = ["--no-audit", "--no-fund", "--prefer-offline"];
  run("npm", ["ci", ...quiet], clone);
  const tarball = run("npm", ["pack", "--silent"], clone).trim().split("\n").at(-1) ?? "";
  files = run("tar", ["tzf", join(clone, tarball)], clone)
    .trim()
    .split("\n");
  run("npm", ["install", "--global", "--prefix", prefix, ...quiet, join(clone, tarball)], temp);
}, 300_000);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("the packed and installed package", () => {
  it("ships dist (built by prepack), docs, schemas and the README, and no sources or tests", () => {
    for (const file of ["dist/cli/bin.js", "dist/index.js", "dist/index.d.ts", "README.md", "package.json"]) {
      expect(files).toContain(`package/${file}`);
    }
    expect(files.some((f) => f.startsWith("package/docs/"))).toBe(true);
    expect(files.some((f) => f.startsWith("package/schemas/"))).toBe(true);
    expect(files.filter((f) => /^package\/(src|test|node_modules)\//.test(f))).toEqual([]);
  });

  it("runs as ovm-deps from the prefix's bin on the example estate", () => {
    expect(run(installed, ["--version"], temp)).toBe(`${packageJson.version}\n`);
    const plan = spawnSync(
      installed,
      [
        "plan",
        join(example, "repositories"),
        "--guest-backups",
        join(example, "guest-backups"),
        "--xm-list",
        join(example, "xm-list.txt"),
        "--format",
        "json",
      ],
      { cwd: temp, encoding: "utf8" },
    );
    expect(plan.status, plan.stderr).toBe(0);
    const result = PlanResultSchema.parse(JSON.parse(plan.stdout));
    expect(result.guests.length).toBeGreaterThan(10);
    expect(result.guests.some((g) => g.running === true)).toBe(true);
  });

  it("is importable as a library, with its types", () => {
    const library = join(prefix, "lib", "node_modules", "ovm-deps");
    const script = `import("ovm-deps").then((m) => console.log(typeof m.parseVmCfg, typeof m.PlanResultSchema.parse))`;
    // Resolved the way a consumer's code resolves it: from a folder whose node_modules holds the package.
    expect(run(process.execPath, ["--input-type=module", "-e", script], join(library, ".."))).toBe(
      "function function\n",
    );
    expect(files).toContain("package/dist/index.d.ts");
  });
});
