// Writing a file the user named: atomically, and never under a scanned tree (asked through links too).
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { treeHolding, writeFileAtomically } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

describe("treeHolding", () => {
  it("names the tree that holds a path, as written or through a link, and null outside", () => {
    const base = tempDir();
    const tree = path.join(base, "ROOT");
    mkdirSync(path.join(tree, "R"), { recursive: true });
    symlinkSync(tree, path.join(base, "link"));
    expect(treeHolding(path.join(tree, "R", "x.html"), [tree])).toBe(tree);
    expect(treeHolding(tree, [tree])).toBe(tree);
    expect(treeHolding(path.join(base, "link", "R", "new", "x.html"), [tree])).toBe(tree);
    expect(treeHolding(path.join(base, "ROOT2", "x.html"), [tree])).toBeNull();
    expect(treeHolding(path.join(base, "x.html"), [tree])).toBeNull();
  });
});

describe("writeFileAtomically", () => {
  it("writes and replaces a file, leaving no temporary file; an error code when the folder is missing", () => {
    const folder = tempDir();
    const file = path.join(folder, "page.html");
    expect(writeFileAtomically(file, Buffer.from("one"))).toBeNull();
    expect(writeFileAtomically(file, Buffer.from("two"))).toBeNull();
    expect(readFileSync(file, "utf8")).toBe("two");
    expect(readdirSync(folder)).toEqual(["page.html"]);
    expect(writeFileAtomically(path.join(folder, "missing", "page.html"), Buffer.from("x"))).toBe("ENOENT");
  });
});
