// Every relative link in README.md and docs/*.md resolves to a file or folder of the repository, and
// every #anchor to a heading of the page it names.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./emitted-codes.js";

/** The pages whose links are checked, relative to the repository root. */
const pages = [
  "README.md",
  ...readdirSync(path.join(repositoryRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join("docs", f)),
];

/** A page's text without fenced code blocks and inline code, where brackets are not links. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of `[text](target)` links and `[text]: target` definitions. */
function linksOf(text: string): string[] {
  const body = prose(text);
  const inline = [...body.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? "");
  const defined = [...body.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? "");
  return [...inline, ...defined];
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes; repeats get -1, -2… */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of text.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = (m[1] ?? "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

const text = (page: string): string => readFileSync(path.join(repositoryRoot, page), "utf8");

describe.each(pages)("links of %s", (page) => {
  const relative = linksOf(text(page)).filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l));

  it("resolve to files of the repository", () => {
    const broken = relative
      .map((link) => link.split("#")[0] ?? "")
      .filter((file) => file !== "")
      .filter((file) => !existsSync(path.resolve(repositoryRoot, path.dirname(page), decodeURI(file))));
    expect(broken).toEqual([]);
  });

  it("point at headings that exist", () => {
    const broken = relative.filter((link) => {
      const [file = "", anchor] = link.split("#");
      if (anchor === undefined) return false;
      const target = file === "" ? page : path.join(path.dirname(page), decodeURI(file));
      const full = path.resolve(repositoryRoot, target);
      if (!target.endsWith(".md") || !existsSync(full) || statSync(full).isDirectory()) return false;
      return !anchorsOf(text(path.relative(repositoryRoot, full))).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});

it("docs/README.md links every page of docs/", () => {
  const index = linksOf(text(path.join("docs", "README.md")));
  const missing = pages.filter((p) => p.startsWith("docs") && !p.endsWith("README.md"));
  expect(missing.filter((p) => !index.includes(path.basename(p)))).toEqual([]);
});
