// The parse cache trusts READER_VERSION: any change to what the reader gives for the same bytes must bump its
// revision, or a cache made before the change would be used after it. This test notices such a change.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { READER_VERSION, readConfigBytes } from "../../src/scan/config-reader.js";
import { generateEstate } from "../support/estate/index.js";
import { tempDir } from "./helpers.js";

/**
 * The revision of READER_VERSION and the digest of the readings of the inputs below, as last recorded.
 * When the reader's output changes: bump the revision in src/scan/config-reader.ts, then record both here.
 */
const RECORDED = {
  revision: "r1",
  digest: "e1765051741474f92def24619f9adbbbfd9ba61f6913572afa288f384c759edf",
};

function filesNamed(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

describe("READER_VERSION", () => {
  it("changes whenever the reader's output for the same bytes changes", () => {
    const repo = path.resolve(import.meta.dirname, "../..");
    const estate = tempDir();
    generateEstate(estate, { guests: 60, seed: 13, diskBytes: 4096 });
    const inputs = [
      ...filesNamed(path.join(repo, "fixtures"), (name) => name.endsWith(".cfg")),
      ...filesNamed(path.join(repo, "examples"), (name) => name === "vm.cfg"),
      ...filesNamed(estate, (name) => name === "vm.cfg"),
    ];
    expect(inputs.length).toBeGreaterThan(80);
    const hash = createHash("sha256");
    for (const file of inputs) {
      hash.update(JSON.stringify(readConfigBytes(readFileSync(file), "/vm.cfg")));
      hash.update("\n");
    }
    const seen = {
      revision: READER_VERSION.slice(READER_VERSION.indexOf("+") + 1),
      digest: hash.digest("hex"),
    };
    expect(
      seen,
      "the reader's output changed: bump READER_VERSION's revision (src/scan/config-reader.ts) and record both here",
    ).toEqual(RECORDED);
  });
});
