// Generated vm.cfg files read back by the library's parser: identity, winning values and disk entries match the manifest.
// Runs only once parseVmCfg is written (until then it throws "not written yet").
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { parseVmCfg } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";
import { tempDir } from "./tree.js";

/** False while the reader is still the placeholder that throws. */
const parserWritten = ((): boolean => {
  try {
    parseVmCfg("name = 'probe'\n");
    return true;
  } catch (error) {
    if (error instanceof Error && /not written yet/.test(error.message)) return false;
    throw error;
  }
})();

describe.skipIf(!parserWritten)("generated vm.cfg files parse as the manifest says", () => {
  const { dir, cleanup } = tempDir("estate-parse");
  let m: EstateManifest;
  beforeAll(() => {
    m = generateEstate(dir, { guests: 60, seed: 11, example: true });
  });
  afterAll(cleanup);

  it("reads every writer style without an error, with the winning values", () => {
    for (const owner of m.owners) {
      const file = join(m.root, m.repositories.find((r) => r.id === owner.repository)!.dir, owner.config);
      const result = parseVmCfg(readFileSync(file), { file });
      expect(
        result.diagnostics.filter((d) => d.severity === "error"),
        owner.ref,
      ).toEqual([]);
      expect(result.ok).toBe(true);
      expect({
        uuid: result.config.uuid,
        name: result.config.name,
        simpleName: result.config.simpleName,
      }).toEqual({
        uuid: owner.uuid,
        name: owner.name,
        simpleName: owner.simpleName,
      });
      expect(result.config.memory, owner.ref).toBe(owner.memory);
      expect(
        result.config.disks.map((d) => d.spec),
        owner.ref,
      ).toEqual(owner.disks.map((d) => d.spec));
      result.config.disks.forEach((disk, index) => {
        const expected = owner.disks[index]!;
        // The reader keeps `..` as written; the manifest holds the normalised path, as scan reports it.
        expect(disk.path === null ? null : posix.normalize(disk.path), expected.spec).toBe(expected.path);
        expect(disk.devtype, expected.spec).toBe(
          expected.kind === "iso" || expected.kind === "empty-cdrom" ? "cdrom" : "disk",
        );
        expect(disk.shareable, expected.spec).toBe(expected.spec.endsWith(",w!"));
      });
    }
  });
});
