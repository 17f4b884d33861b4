// The public API as a consumer sees it: every name src/index.ts exports has a doc comment where it is
// declared and an entry in docs/library.md, and the reference lists nothing that is not exported.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as api from "ovm-deps";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const ENTRY = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
const REFERENCE = fileURLToPath(new URL("../../docs/library.md", import.meta.url));

/** An exported name, whether it exists at run time, and the doc comment of its declaration. */
interface Export {
  name: string;
  value: boolean;
  doc: string;
}

/** The exports of src/index.ts, resolved through every re-export to their declarations by the type checker. */
function exportsOfEntry(): Export[] {
  const program = ts.createProgram([ENTRY], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`cannot read ${ENTRY}`);
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return {
      name: symbol.name,
      value: (target.flags & ts.SymbolFlags.Value) !== 0,
      doc: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
    };
  });
}

/** Names the reference documents: list items that start with backquoted names, `- \`a\`, \`b\` — what they are`. */
function namesInReference(markdown: string): string[] {
  const names: string[] = [];
  for (const line of markdown.split("\n")) {
    const item = /^- ((?:`\w+`(?:, )?)+) — \S/.exec(line);
    if (item?.[1]) names.push(...item[1].split(", ").map((name) => name.slice(1, -1)));
  }
  return names;
}

describe("the public API", () => {
  let exported: Export[] = [];
  beforeAll(() => {
    exported = exportsOfEntry();
  });

  it("is what the module exports at run time (values) and in its declarations (types)", () => {
    expect(exported.length).toBeGreaterThan(0);
    const values = exported.filter((e) => e.value).map((e) => e.name);
    expect(Object.keys(api).sort()).toEqual(values.sort());
  });

  it("documents every exported name where it is declared", () => {
    expect(exported.filter((e) => e.doc === "").map((e) => e.name)).toEqual([]);
  });

  it("lists every exported name in docs/library.md, once, and nothing else", () => {
    const documented = namesInReference(readFileSync(REFERENCE, "utf8"));
    const names = exported.map((e) => e.name);
    expect({
      duplicated: documented.filter((name, i) => documented.indexOf(name) !== i),
      undocumented: names.filter((name) => !documented.includes(name)),
      notExported: documented.filter((name) => !names.includes(name)),
    }).toEqual({ duplicated: [], undocumented: [], notExported: [] });
  });
});
