// `ovm-deps report` through the built binary: where the page goes, what is refused, the exit status.
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../scan/helpers.js";
import { runCli } from "../support/cli.js";
import { reportEstate } from "./estate.js";

/** The names of the summary rows a page embeds. */
function rowNames(html: string): string[] {
  const rows = /<script type="application\/json" id="data-rows">([^<]*)<\/script>/.exec(html)?.[1];
  return (JSON.parse(rows ?? "[]") as Array<{ name: string }>).map((r) => r.name).sort();
}

/** The labels of the nodes the page's graph draws. */
function graphLabels(html: string): string[] {
  const graph = /<script type="application\/json" id="data-graph">([^<]*)<\/script>/.exec(html)?.[1];
  const nodes = (JSON.parse(graph ?? "{}") as { nodes?: Array<[string, string, string]> }).nodes ?? [];
  return nodes.map((n) => n[2]);
}

describe("ovm-deps report", () => {
  it("writes the page to --out, and exits 1 as check does for an error finding", () => {
    const root = reportEstate();
    const out = path.join(tempDir(), "estate.html");
    const run = runCli(["report", root, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(rowNames(html)).toHaveLength(4);
    // --fail-on never: no finding fails, and no guest has coverage none.
    expect(runCli(["report", root, "--out", out, "--fail-on", "never"]).code).toBe(0);
  });

  it("writes the page to stdout with --out -, and shows only the --guest owners", () => {
    const root = reportEstate();
    const run = runCli([
      "report",
      root,
      "--out",
      "-",
      "--guest",
      "web01",
      "--guest",
      "db01",
      "--title",
      "Estate A",
    ]);
    expect(run.stdout).toContain("<title>Estate A</title>");
    expect(rowNames(run.stdout)).toEqual(["db01", "web01"]);
    // One guest: the graph is its neighbourhood — its disks, and db01, which shares one — and nothing else.
    const web = runCli(["report", root, "--out", "-", "--guest", "web01"]);
    expect(rowNames(web.stdout)).toEqual(["web01"]);
    const drawn = graphLabels(web.stdout);
    expect(drawn).toEqual(expect.arrayContaining(["web01", "db01", "a.img", "shared.img"]));
    expect(drawn.join("\n")).not.toMatch(/evil|ol8|t\.img/);
    expect(graphLabels(runCli(["report", root, "--out", "-"]).stdout)).toEqual(
      expect.arrayContaining(["web01", "db01", "ol8-template", "evil.img", "t.img"]),
    );
    const unknown = runCli(["report", root, "--out", "-", "--guest", "nosuch"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/--guest "nosuch" matches no guest/);
  });

  it("refuses without --out, and refuses an --out under a ROOT, through a link too", () => {
    const root = reportEstate();
    const none = runCli(["report", root]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/expects --out FILE\.html/);

    const inside = path.join(root, "R", "estate.html");
    const refused = runCli(["report", root, "--out", inside]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is inside the scanned tree .*nothing is written under a ROOT/);
    expect(existsSync(inside)).toBe(false);

    const link = path.join(tempDir(), "to-root");
    symlinkSync(root, link);
    const viaLink = runCli(["report", root, "--out", path.join(link, "estate.html")]);
    expect(viaLink.code).toBe(2);
    expect(existsSync(path.join(root, "estate.html"))).toBe(false);
  });

  it("says why a page cannot be written, and leaves no temporary file", () => {
    const root = reportEstate();
    const folder = tempDir();
    const run = runCli(["report", root, "--out", path.join(folder, "no-such-folder", "estate.html")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot write --out .*ENOENT/);
  });
});
