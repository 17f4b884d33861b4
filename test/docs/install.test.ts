// The README tells how to install the package that exists (a tarball or a checkout), and no recipe runs
// `npx` of a name nobody has published (anyone could publish it).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const docs = readdirSync(new URL("docs/", root))
  .filter((name) => name.endsWith(".md"))
  .map((name): [string, string] => [`docs/${name}`, readFileSync(new URL(`docs/${name}`, root), "utf8")]);

/** The lines of the fenced code blocks of a Markdown text. */
const codeLines = (markdown: string): string[] =>
  [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].flatMap((m) => (m[1] ?? "").split("\n"));

describe("install instructions", () => {
  it("the README installs from a release tarball or a checkout, and says where the tool runs", () => {
    const install = readme.slice(
      readme.indexOf("\n## Install\n"),
      readme.indexOf("\n## ", readme.indexOf("\n## Install\n") + 1),
    );
    expect(install).toContain("npm install -g ./ovm-deps-");
    expect(install).toContain("npm pack");
    expect(install).toMatch(/Node\.js >= 20/);
    expect(install).toMatch(/dom0s and Oracle VM Manager hosts[^.]*too\s+old for Node\.js 20/);
  });

  it.each<[string, string]>([["README.md", readme], ...docs])("%s: no recipe runs npx", (_, text) => {
    expect(codeLines(text).filter((line) => /\bnpx\b/.test(line) && !line.trim().startsWith("#"))).toEqual(
      [],
    );
  });
});
