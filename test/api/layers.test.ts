// Only the CLI talks to the terminal: no library module writes to stdout or stderr, exits, or logs.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src", import.meta.url));

/** Every TypeScript file under `folder`, relative to src/. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [path.relative(src, full)] : [];
  });
}

/** What only the CLI may do: write to the terminal, end the process, log. */
const TERMINAL = /\bprocess\.(?:stdout|stderr|exit|exitCode|on\(|once\()|\bconsole\./;

describe("layers", () => {
  it("only src/cli/ writes to stdout or stderr, exits or logs", () => {
    const offenders = sources(src)
      .filter((file) => !file.startsWith(`cli${path.sep}`))
      .filter((file) => TERMINAL.test(readFileSync(path.join(src, file), "utf8")));
    expect(offenders).toEqual([]);
    // The pattern finds what it is meant to (so that an empty list means something).
    expect(TERMINAL.test(readFileSync(path.join(src, "cli/bin.ts"), "utf8"))).toBe(true);
  });

  it("in src/cli/, only bin.ts ends the process or handles signals; commands write through their CliIo", () => {
    const EXITS = /\bprocess\.(?:exit|exitCode|kill|on\(|once\(|stdout|stderr)|\bconsole\./;
    const offenders = sources(src)
      .filter((file) => file.startsWith(`cli${path.sep}`) && file !== path.join("cli", "bin.ts"))
      .filter((file) => EXITS.test(readFileSync(path.join(src, file), "utf8")));
    expect(offenders).toEqual([]);
    expect(EXITS.test(readFileSync(path.join(src, "cli/bin.ts"), "utf8"))).toBe(true);
  });
});
