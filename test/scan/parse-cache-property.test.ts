// Differential: on generated estates, a scan with the parse cache (cold, then warm, then after edits) equals
// the scan without it — guests, disks, diagnostics and their positions, byte for byte in JSON.
import { appendFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { ParseCache, scanRepositories } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { generateEstate } from "../support/estate/index.js";
import { tempDir } from "./helpers.js";

/** Every vm.cfg of an estate, sorted. */
function configsOf(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(at);
      else if (entry.name === "vm.cfg" && entry.isFile()) found.push(at);
    }
  };
  walk(root);
  return found.sort();
}

describe("a scan with the parse cache equals one without", () => {
  it("on generated estates: cold, warm, and after some vm.cfg files changed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (seed, edits) => {
          const dir = tempDir();
          const manifest = generateEstate(path.join(dir, "estate"), { guests: 30, seed, diskBytes: 4096 });
          const roots = [path.join(dir, "estate", manifest.repositoriesDir)];
          const options = { threads: 0 } as const;
          const cacheDir = path.join(dir, "cache");
          const json = (value: unknown) => JSON.stringify(value);

          const plain = json(await scanRepositories(roots, options));
          const cold = new ParseCache(cacheDir);
          expect(json(await scanRepositories(roots, { ...options, cache: cold }))).toBe(plain);
          const warm = new ParseCache(cacheDir);
          expect(json(await scanRepositories(roots, { ...options, cache: warm }))).toBe(plain);
          expect(warm.stats.parsed).toBe(0);
          expect(warm.stats.hits).toBe(cold.stats.hits + cold.stats.parsed);

          // Edits: a vm.cfg made identical to another, one with a syntax error appended, one emptied.
          const configs = configsOf(roots[0]!);
          edits.forEach((pick, i) => {
            const file = configs[pick % configs.length]!;
            if (i % 3 === 0) writeFileSync(file, "name = 'same'\nmemory = 1\nmemory = 2\n");
            else if (i % 3 === 1) appendFileSync(file, "\nvcpus = (\n");
            else writeFileSync(file, "");
          });
          const edited = json(await scanRepositories(roots, options));
          const after = new ParseCache(cacheDir);
          expect(json(await scanRepositories(roots, { ...options, cache: after }))).toBe(edited);
        },
      ),
      { numRuns: 6 },
    );
  });
});
