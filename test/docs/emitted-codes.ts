// Reads src/**/*.ts as text and collects every code a call site writes as a string literal, so that
// a code passed as a plain string (not through the typed unions) is still found by the docs tests.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/** What a code is in docs/diagnostics.md's `kind` column. */
export type CodeKind = "diagnostic" | "warning" | "blocked" | "rule";

/** A code found in the source text: what kind, and where. */
export interface EmittedCode {
  kind: CodeKind;
  code: string;
  file: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The text of the argument that starts at `from`, up to the comma or parenthesis that ends it. */
function argumentAt(text: string, from: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) return text.slice(from, i);
      depth--;
    } else if (c === "," && depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
}

const LITERAL = /"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"/g;
/** `diagnostic(SEVERITY, CODE` and the disk-spec parser's `report(SEVERITY, CODE`. */
const DIAGNOSTIC_CALL = /\b(?:diagnostic|report)\(\s*(?:"(?:error|warning|info)"|[\w.]+)\s*,\s*/g;
/** `{ code: "…" }`: a plan or restore warning written as an object. */
const CODE_PROPERTY = /\bcode:\s*"([a-z][a-z0-9-]*)"/g;
/** `reason: "…"` under src/plan/: a restore block reason. */
const REASON_PROPERTY = /\breason:\s*"([a-z][a-z0-9-]*)"/g;
/** `warning("…"`: the plan and restore warning builder. */
const WARNING_CALL = /\bwarning\(\s*"([a-z][a-z0-9-]*)"/g;
/** `const NAME = "…"`: a code kept in a constant. */
const CONSTANT = /\bconst\s+([A-Z][A-Z0-9_]*)\s*(?::\s*\w+\s*)?=\s*"([a-z][a-z0-9-]*)"/g;

/** Every code written as a string literal at a call site under `src/`. */
export function emittedCodes(): EmittedCode[] {
  const files = sourceFiles(path.join(repositoryRoot, "src"));
  const texts = new Map(files.map((f) => [path.relative(repositoryRoot, f), readFileSync(f, "utf8")]));
  const constants = new Map<string, string>();
  for (const text of texts.values()) {
    for (const m of text.matchAll(CONSTANT)) constants.set(m[1] ?? "", m[2] ?? "");
  }
  const found: EmittedCode[] = [];
  for (const [file, text] of texts) {
    if (file === path.join("src", "diagnostics.ts")) continue;
    for (const m of text.matchAll(DIAGNOSTIC_CALL)) {
      const argument = argumentAt(text, (m.index ?? 0) + m[0].length);
      const literals = [...argument.matchAll(LITERAL)].map((l) => l[1] ?? "");
      const constant = constants.get(argument.trim());
      if (constant !== undefined) literals.push(constant);
      for (const code of literals) found.push({ kind: "diagnostic", code, file });
    }
    for (const m of text.matchAll(CODE_PROPERTY)) found.push({ kind: "warning", code: m[1] ?? "", file });
    for (const m of text.matchAll(WARNING_CALL)) found.push({ kind: "warning", code: m[1] ?? "", file });
    if (file.startsWith(path.join("src", "plan"))) {
      for (const m of text.matchAll(REASON_PROPERTY)) found.push({ kind: "blocked", code: m[1] ?? "", file });
    }
  }
  return found;
}
