// The persistent parse cache: hits and misses, what is never cached, damaged files, atomic writes, bounds.
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { defaultCacheDir, ParseCache, type ScanResult, scanDeferred, scanRepositories } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { PARSE_CACHE_FILE } from "../../src/scan/parse-cache.js";
import { live, repository, tempDir, write } from "./helpers.js";

const REPO = "0004fb0000030000cace000000000001";
const OTHER = "0004fb0000030000cace000000000002";

/** A vm.cfg with a disk and an info diagnostic (a key given twice), so that hits must carry diagnostics. */
const config = (name: string, disk: string): string =>
  `name = '${name}'\nmemory = 512\nmemory = 1024\ndisk = ['file:${live(REPO, `VirtualDisks/${disk}`)},xvda,w']\n`;

/** Two repositories: g1 and g2 in one, g3 in the other with g1's very bytes. */
function estate(): { parent: string; root: string; other: string } {
  const parent = tempDir();
  const root = repository(parent, REPO, { OVS_REPO_UUID: REPO });
  const other = repository(parent, OTHER, { OVS_REPO_UUID: OTHER });
  write(path.join(root, "VirtualDisks/a.img"), "aaaa");
  write(path.join(root, "VirtualDisks/b.img"), "bb");
  write(path.join(root, "VirtualMachines/g1/vm.cfg"), config("g1", "a.img"));
  write(path.join(root, "VirtualMachines/g2/vm.cfg"), config("g2", "b.img"));
  write(path.join(other, "VirtualMachines/g3/vm.cfg"), config("g1", "a.img"));
  return { parent, root, other };
}

const scan = (roots: string[], cache: ParseCache | null = null, guestBackups?: string): Promise<ScanResult> =>
  scanRepositories(roots, { threads: 0, cache, ...(guestBackups ? { guestBackups } : {}) });

const codes = (result: ScanResult): string[] => result.diagnostics.map((d) => d.code);

/** The scan without its cache diagnostics, to compare with an uncached one. */
const withoutCacheNotes = (result: ScanResult): ScanResult => ({
  ...result,
  diagnostics: result.diagnostics.filter((d) => !d.code.startsWith("cache-")),
});

describe("the parse cache", () => {
  it("parses each content once, gives the same scan cold and warm, and writes nothing when nothing changed", async () => {
    const { parent } = estate();
    const dir = path.join(tempDir(), "cache");
    const uncached = await scan([parent]);
    const cold = new ParseCache(dir);
    expect(await scan([parent], cold)).toEqual(uncached);
    // g1 and g3 have the same bytes: parsed once, though their diagnostics name their own files.
    expect(cold.stats).toMatchObject({ parsed: 2, hits: 1, entries: 2, writes: 1 });
    const g3 = uncached.guests.find((g) => g.id === "g3")!;
    expect(g3.diagnostics.map((d) => [d.code, d.file])).toEqual([["duplicate-key", g3.path]]);
    const file = path.join(dir, PARSE_CACHE_FILE);
    const written = statSync(file);
    const warm = new ParseCache(dir);
    expect(await scan([parent], warm)).toEqual(uncached);
    expect(warm.stats).toMatchObject({ parsed: 0, hits: 3, writes: 0 });
    expect(statSync(file).mtimeMs).toBe(written.mtimeMs);
  });

  it("re-parses a changed vm.cfg and keeps the others", async () => {
    const { parent, root } = estate();
    const dir = path.join(tempDir(), "cache");
    await scan([parent], new ParseCache(dir));
    write(path.join(root, "VirtualMachines/g2/vm.cfg"), config("g2", "a.img"));
    const cache = new ParseCache(dir);
    const result = await scan([parent], cache);
    expect(cache.stats).toMatchObject({ parsed: 1, hits: 2, writes: 1 });
    expect(result).toEqual(await scan([parent]));
    expect(result.guests.find((g) => g.id === "g2")!.disks.map((d) => d.file)).toEqual([
      "VirtualDisks/a.img",
    ]);
  });

  it("never caches file-system facts: presence and sizes are read by every scan", async () => {
    const { parent, root } = estate();
    const dir = path.join(tempDir(), "cache");
    await scan([parent], new ParseCache(dir));
    rmSync(path.join(root, "VirtualDisks/b.img"));
    write(path.join(root, "VirtualDisks/a.img"), "a much longer disk");
    const cache = new ParseCache(dir);
    const result = await scan([parent], cache);
    expect(cache.stats.parsed).toBe(0);
    const disk = (id: string) => result.guests.find((g) => g.id === id)!.disks[0]!;
    expect([disk("g1").present, disk("g1").bytes]).toEqual([true, 18]);
    expect([disk("g2").present, disk("g2").bytes]).toEqual([false, null]);
    expect(result).toEqual(await scan([parent]));
  });

  it("one ParseCache serves several scans", async () => {
    const { root, other } = estate();
    const cache = new ParseCache(path.join(tempDir(), "cache"));
    await scan([root], cache);
    await scan([other], cache);
    expect(cache.stats).toMatchObject({ parsed: 2, hits: 1, entries: 2 });
  });

  describe("a cache file it cannot use is ignored with an info diagnostic, and rebuilt", () => {
    /** A valid cache file's bytes, made by a scan of the estate. */
    async function filled(): Promise<{ parent: string; dir: string; file: string; bytes: Buffer }> {
      const { parent } = estate();
      const dir = path.join(tempDir(), "cache");
      await scan([parent], new ParseCache(dir));
      const file = path.join(dir, PARSE_CACHE_FILE);
      return { parent, dir, file, bytes: readFileSync(file) };
    }

    /** The file's header (magic and SHA-1 of the rest) around another payload. */
    const reframe = (bytes: Buffer, payload: Buffer): Buffer => {
      const magic = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
      return Buffer.concat([magic, createHash("sha1").update(payload).digest(), payload]);
    };
    const payloadOf = (bytes: Buffer): Buffer => bytes.subarray(bytes.indexOf(0x0a) + 1 + 20);

    const damaged: Array<[string, (bytes: Buffer) => Buffer | null]> = [
      ["foreign (another program's file)", () => Buffer.from('{"some": "json"}\n')],
      ["empty", () => Buffer.alloc(0)],
      ["truncated", (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2))],
      [
        "a byte changed",
        (bytes) => {
          const copy = Buffer.from(bytes);
          copy[copy.length - 10]! ^= 0xff;
          return copy;
        },
      ],
      ["the right header, but not v8 data", (bytes) => reframe(bytes, Buffer.from("not v8 at all"))],
      ["the right header, but another layout", (bytes) => reframe(bytes, serialize({ entries: new Map() }))],
      [
        "entries of the wrong shape",
        (bytes) => {
          const stored = deserialize(payloadOf(bytes));
          const [key] = stored.entries.keys();
          stored.entries.set(key, { seen: 1, reading: { ok: true } });
          return reframe(bytes, serialize(stored));
        },
      ],
      ["a folder where the file should be", () => null],
    ];

    it.each(damaged)("%s", async (_name, damage) => {
      const { parent, dir, file, bytes } = await filled();
      const replacement = damage(bytes);
      rmSync(file);
      if (replacement === null) mkdirSync(path.join(file, "inside"), { recursive: true });
      else writeFileSync(file, replacement);
      const cache = new ParseCache(dir);
      const result = await scan([parent], cache);
      const note = result.diagnostics.find(
        (d) => d.code === "cache-invalid" || d.code === "cache-unwritable",
      );
      expect(note).toMatchObject({ severity: "info", file, line: null, column: null });
      expect(withoutCacheNotes(result)).toEqual(await scan([parent]));
      if (replacement === null) {
        // Nothing replaces a folder: the scan says so, and the folder is left as it was.
        expect(codes(result)).toEqual(expect.arrayContaining(["cache-invalid", "cache-unwritable"]));
        expect(readdirSync(file)).toEqual(["inside"]);
        expect(readdirSync(dir)).toEqual([PARSE_CACHE_FILE]);
        return;
      }
      expect(codes(result)).toContain("cache-invalid");
      // Rebuilt: the next scan reads it without a word and parses nothing.
      const again = new ParseCache(dir);
      const next = await scan([parent], again);
      expect(codes(next).filter((c) => c.startsWith("cache-"))).toEqual([]);
      expect(again.stats.parsed).toBe(0);
    });

    it("a cache of another reader version is not used (no diagnostic: it is replaced)", async () => {
      const { parent, dir, file, bytes } = await filled();
      const stored = deserialize(payloadOf(bytes));
      stored.reader = "0.0.0+another";
      writeFileSync(file, reframe(bytes, serialize(stored)));
      const cache = new ParseCache(dir);
      const result = await scan([parent], cache);
      expect(codes(result).filter((c) => c.startsWith("cache-"))).toEqual([]);
      expect(cache.stats).toMatchObject({ parsed: 2, writes: 1 });
    });
  });

  describe("writing", () => {
    it("replaces the file by rename: a reader of the old file sees it whole, and no temporary file stays", async () => {
      const { parent, root } = estate();
      const dir = path.join(tempDir(), "cache");
      await scan([parent], new ParseCache(dir));
      const file = path.join(dir, PARSE_CACHE_FILE);
      const old = readFileSync(file);
      const before = statSync(file);
      const fd = openSync(file, "r");
      try {
        write(path.join(root, "VirtualMachines/g4/vm.cfg"), config("g4", "b.img"));
        await scan([parent], new ParseCache(dir));
        const after = statSync(file);
        expect(after.ino).not.toBe(before.ino);
        expect(readFileSync(file).equals(old)).toBe(false);
        const seen = Buffer.alloc(old.length + 16);
        expect(readSync(fd, seen, 0, seen.length, 0)).toBe(old.length);
        expect(seen.subarray(0, old.length).equals(old)).toBe(true);
      } finally {
        closeSync(fd);
      }
      expect(readdirSync(dir)).toEqual([PARSE_CACHE_FILE]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    });

    it("a folder it cannot create is an info diagnostic, and the scan is whole", async () => {
      const { parent } = estate();
      const blocker = path.join(tempDir(), "a-file");
      writeFileSync(blocker, "");
      const result = await scan([parent], new ParseCache(path.join(blocker, "cache")));
      expect(result.diagnostics.filter((d) => d.code.startsWith("cache-"))).toEqual([
        expect.objectContaining({ code: "cache-unwritable", severity: "info" }),
      ]);
      expect(withoutCacheNotes(result)).toEqual(await scan([parent]));
    });
  });

  describe("bounded size", () => {
    it("drops entries no run has used among the last keepRuns runs that wrote", async () => {
      const first = estate();
      const second = estate();
      const dir = path.join(tempDir(), "cache");
      const options = { keepRuns: 2 };
      await scan([first.parent], new ParseCache(dir, options)); // run 1: the first estate's 2 contents
      const vm = path.join(second.root, "VirtualMachines/g2/vm.cfg");
      write(vm, config("x1", "a.img"));
      const run2 = new ParseCache(dir, options);
      await scan([second.parent], run2); // run 2: writes (x1 is new); the first estate's g2 content is kept
      expect(run2.stats.entries).toBe(3);
      write(vm, config("x2", "a.img"));
      const run3 = new ParseCache(dir, options);
      await scan([second.parent], run3); // run 3: the first estate's g2 (last used in run 1) is dropped
      expect(run3.stats.entries).toBe(3);
      const back = new ParseCache(dir, options);
      await scan([first.parent], back);
      expect(back.stats).toMatchObject({ parsed: 1, hits: 2 });
    });

    it("does not age entries in a run that parsed only a part of the estate (a targeted restore)", async () => {
      const { parent, root } = estate();
      const dir = path.join(tempDir(), "cache");
      const options = { keepRuns: 2 };
      await scan([parent], new ParseCache(dir, options)); // run 1: g1's and g2's contents
      const vm = path.join(root, "VirtualMachines/g2/vm.cfg");
      const original = readFileSync(vm);
      for (const name of ["x1", "x2", "x3", "x4"]) {
        // Each partial run parses g2 alone, with new bytes: it writes the cache, and must not age g1's entry.
        write(vm, config(name, "b.img"));
        const deferred = await scanDeferred([parent], { threads: 0, cache: new ParseCache(dir, options) });
        const ref = [...deferred.configs.keys()].find((key) => key.endsWith("/g2"))!;
        await deferred.result(new Set([ref]));
        expect(deferred.parsed()).toBe(1);
      }
      write(vm, original);
      const full = new ParseCache(dir, options);
      await scan([parent], full); // g1 (and its copy g3) still cached after four partial runs; g2's run-1 bytes too
      expect(full.stats).toMatchObject({ parsed: 0, hits: 3 });
    });

    it("keeps at most maxEntries, the most recently used", async () => {
      const { parent, root } = estate();
      const dir = path.join(tempDir(), "cache");
      const options = { maxEntries: 2 };
      await scan([parent], new ParseCache(dir, options)); // run 1: g1's and g2's contents
      const vm = path.join(root, "VirtualMachines/g2/vm.cfg");
      const original = readFileSync(vm);
      write(vm, config("x1", "b.img"));
      const second = new ParseCache(dir, options);
      await scan([parent], second); // run 2 uses g1's and x1's: g2's, last used in run 1, goes
      expect(second.stats.entries).toBe(2);
      write(vm, original);
      const third = new ParseCache(dir, options);
      await scan([parent], third);
      expect(third.stats).toMatchObject({ parsed: 1, hits: 2 });
    });
  });

  describe("never under a scanned tree", () => {
    const inside: Array<[string, (t: ReturnType<typeof estate>, scratch: string) => string]> = [
      ["inside a ROOT", (t) => path.join(t.parent, "cache")],
      ["inside a repository", (t) => path.join(t.root, "VirtualDisks", ".cache")],
      ["the ROOT itself", (t) => t.parent],
      [
        "inside a ROOT through a link",
        (t, scratch) => {
          symlinkSync(t.root, path.join(scratch, "link"));
          return path.join(scratch, "link", "cache");
        },
      ],
    ];
    it.each(inside)("%s: not used, and nothing is written", async (_name, where) => {
      const t = estate();
      const dir = where(t, tempDir());
      const cache = new ParseCache(dir);
      const result = await scan([t.parent], cache);
      expect(result.diagnostics.filter((d) => d.code.startsWith("cache-"))).toEqual([
        expect.objectContaining({ code: "cache-under-root", severity: "info", file: path.resolve(dir) }),
      ]);
      expect(existsSync(path.join(dir, PARSE_CACHE_FILE))).toBe(false);
      expect(cache.stats).toMatchObject({ parsed: 0, hits: 0, writes: 0 });
      expect(withoutCacheNotes(result)).toEqual(await scan([t.parent]));
    });

    it("inside the --guest-backups folder: not used", async () => {
      const t = estate();
      const backups = tempDir();
      const dir = path.join(backups, "g1", "cache");
      const result = await scan([t.parent], new ParseCache(dir), backups);
      expect(codes(result)).toContain("cache-under-root");
      expect(existsSync(dir)).toBe(false);
    });

    it("inside a folder named in `outside` (another scan's tree): not used", async () => {
      const t = estate();
      const elsewhere = tempDir();
      const dir = path.join(elsewhere, "cache");
      const result = await scan([t.parent], new ParseCache(dir, { outside: [elsewhere] }));
      expect(codes(result)).toContain("cache-under-root");
      expect(existsSync(dir)).toBe(false);
    });

    it("beside a ROOT (a prefix of its name is not inside it): used", async () => {
      const t = estate();
      const cache = new ParseCache(`${t.parent}-cache`);
      await scan([t.parent], cache);
      expect(cache.stats.writes).toBe(1);
      rmSync(`${t.parent}-cache`, { recursive: true });
    });
  });
});

describe("defaultCacheDir", () => {
  it.each([
    [{ XDG_CACHE_HOME: "/x/cache", HOME: "/home/u" }, "/x/cache/ovm-deps"],
    [{ HOME: "/home/u" }, "/home/u/.cache/ovm-deps"],
    // The XDG rule: a relative XDG_CACHE_HOME is ignored.
    [{ XDG_CACHE_HOME: "relative", HOME: "/home/u" }, "/home/u/.cache/ovm-deps"],
    [{ XDG_CACHE_HOME: "", HOME: "/home/u" }, "/home/u/.cache/ovm-deps"],
  ])("%j → %s", (env, expected) => {
    expect(defaultCacheDir(env)).toBe(expected);
  });
});
