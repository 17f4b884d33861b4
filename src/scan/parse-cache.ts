// The persistent parse cache: what the reader made of each vm.cfg, by the SHA-1 of its bytes, kept in one
// file between runs. Only parse results are kept: file-system facts are read fresh by every scan.
import crypto, { createHash } from "node:crypto";
import { homedir } from "node:os";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { type ConfigReader, type ConfigReading, READER_VERSION } from "./config-reader.js";
import { readOwnFile, treeHolding, writeOwnFileAtomically } from "./io.js";

/** The cache file in its folder. */
export const PARSE_CACHE_FILE = "parse-cache.bin";
/**
 * What a cache file starts with: the name and the layout's version. Then the SHA-1 of the rest (so that a
 * truncated or damaged file is known before it is decoded), then one `v8.serialize` of a `Stored`.
 */
const MAGIC = Buffer.from("ovm-deps parse cache 1\n", "latin1");
const CHECKSUM_BYTES = 20;
/** A cache file larger than this is no cache of ours (100,000 guests make about 120 MiB). */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;
/** An entry not used by the last this many runs that wrote the cache is dropped. */
const KEEP_RUNS = 16;
/** At most this many entries are kept (the most recently used). */
const MAX_ENTRIES = 500_000;

/**
 * An entry: a reading, its diagnostics' `file` null (the same bytes may be met at any path), and the last
 * run that used it. (Written as the objects themselves: in a fresh process, packing them into arrays of
 * values under shared key lists made loading no faster and writing three times slower.)
 */
interface Entry {
  seen: number;
  reading: ConfigReading;
}

/** The cache file's content. */
interface Stored {
  reader: string;
  run: number;
  entries: Map<string, Entry>;
}

/** Tuning of a ParseCache; the defaults suit any estate. */
export interface ParseCacheOptions {
  /** An entry no run has used among the last `keepRuns` runs that wrote the cache is dropped (default 16). */
  keepRuns?: number;
  /** At most this many entries are kept, the most recently used first (default 500,000). */
  maxEntries?: number;
  /**
   * Folders the cache must never be kept in, beyond the trees of the scan using it: a command that scans
   * several sets of trees one after the other (restore: the live ROOTs, then the backup) names them all,
   * so that the first scan does not write where the second will read.
   */
  outside?: string[];
}

/** What a ParseCache did, over every scan that used it. */
export interface ParseCacheStats {
  /** vm.cfg files whose reading came from the cache (or from a file with the same bytes in this run). */
  hits: number;
  /** vm.cfg files the reader parsed. */
  parsed: number;
  /** Entries in the cache file after the last write (or as loaded, when nothing was written). */
  entries: number;
  /** Times the cache file was written. */
  writes: number;
  /** Milliseconds spent reading and decoding the cache file, hashing vm.cfg bytes, and writing the file. */
  loadMs: number;
  hashMs: number;
  saveMs: number;
}

/**
 * The folder the CLI keeps its cache in: `$XDG_CACHE_HOME/ovm-deps` when XDG_CACHE_HOME is an absolute
 * path (the XDG rule: a relative one is ignored), else `~/.cache/ovm-deps`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, "ovm-deps");
  const home = env.HOME !== undefined && path.isAbsolute(env.HOME) ? env.HOME : homedir();
  return path.join(home, ".cache", "ovm-deps");
}

/** The one-shot hash of Node 20.12 and later: half the cost of a Hash object for a file of a few KiB. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: "base64") => string })
  .hash;

/** The cache key of a vm.cfg's bytes. */
export function contentKey(bytes: Uint8Array): string {
  return oneShot === undefined
    ? createHash("sha1").update(bytes).digest("base64")
    : oneShot("sha1", bytes, "base64");
}

/**
 * A persistent cache of vm.cfg readings in folder `dir`, keyed by the SHA-1 of each file's bytes and the
 * reader's version: give it to `scanRepositories` (`{ cache }`), and a later scan parses only the vm.cfg
 * files whose bytes it has not met. One instance may serve several scans (each writes what it added).
 * The scan loads the file on first use and writes it back atomically (temporary file, then rename); a
 * cache it cannot read — damaged, truncated, not ours — is ignored with an info diagnostic and rebuilt,
 * and a folder inside a scanned tree is never used (nothing under a ROOT is ever written).
 */
export class ParseCache {
  /** The folder, absolute. */
  readonly dir: string;
  /** The cache file in it. */
  readonly file: string;
  readonly stats: ParseCacheStats = {
    hits: 0,
    parsed: 0,
    entries: 0,
    writes: 0,
    loadMs: 0,
    hashMs: 0,
    saveMs: 0,
  };
  private readonly keepRuns: number;
  private readonly maxEntries: number;
  private readonly outside: readonly string[];
  private loaded: Stored | null = null;
  /** True when the file on disk must be rewritten: new entries, entries to refresh, or a file to rebuild. */
  private changed = false;

  constructor(dir: string, options: ParseCacheOptions = {}) {
    this.dir = path.resolve(dir);
    this.file = path.join(this.dir, PARSE_CACHE_FILE);
    this.keepRuns = Math.max(1, options.keepRuns ?? KEEP_RUNS);
    this.maxEntries = Math.max(1, options.maxEntries ?? MAX_ENTRIES);
    this.outside = options.outside ?? [];
  }

  /**
   * For the scan: make the cache ready for a scan of `trees` (its ROOTs and other scanned folders). False,
   * with an info diagnostic, when the cache folder is inside one of them: then the scan does without.
   */
  open(trees: readonly string[], diagnostics: Diagnostic[]): boolean {
    const inside = treeHolding(this.dir, [...trees, ...this.outside]);
    if (inside !== null) {
      diagnostics.push(
        diagnostic(
          "info",
          "cache-under-root",
          `the parse cache folder ${this.dir} is inside the scanned tree ${inside}: not used (nothing under a ROOT is written)`,
          { file: this.dir, line: null, column: null },
        ),
      );
      return false;
    }
    if (this.loaded === null) {
      const started = performance.now();
      this.loaded = this.load(diagnostics);
      this.stats.loadMs += performance.now() - started;
    }
    return true;
  }

  /** The reading of bytes with key `key`, for the vm.cfg at `file`; undefined when not cached. */
  lookup(key: string, file: string): ConfigReading | undefined {
    const loaded = this.loaded;
    const entry = loaded?.entries.get(key);
    if (loaded === null || entry === undefined) return undefined;
    this.stats.hits++;
    // Used now: kept for `keepRuns` more runs. Refreshed on disk only once half of that is gone, so that a
    // run that changed nothing rarely writes.
    const run = loaded.run + 1;
    if (entry.seen <= run - Math.ceil(this.keepRuns / 2)) this.changed = true;
    entry.seen = run;
    return atFile(entry.reading, file);
  }

  /** Keep the reading of bytes with key `key`, parsed from `file`. */
  store(key: string, reading: ConfigReading, file: string): void {
    this.stats.parsed++;
    const loaded = this.loaded;
    // A reading that speaks of another file than its own could not be given to another path.
    if (loaded === null || reading.diagnostics.some((d) => d.file !== file)) return;
    loaded.entries.set(key, { seen: loaded.run + 1, reading: atFile(reading, null) });
    this.changed = true;
  }

  /**
   * For the scan: write the cache back if this run changed it. An info diagnostic when it cannot. A
   * `partial` run (a targeted restore, which parses a few vm.cfg files of the estate) adds its entries but
   * is not counted as a run: the entries of the files it did not look at must not age.
   */
  save(diagnostics: Diagnostic[], { partial = false }: { partial?: boolean } = {}): void {
    if (this.loaded === null || !this.changed) return;
    const started = performance.now();
    this.write(this.loaded, diagnostics, partial);
    this.stats.saveMs += performance.now() - started;
  }

  private write(loaded: Stored, diagnostics: Diagnostic[], partial: boolean): void {
    const run = partial ? loaded.run : loaded.run + 1;
    let entries = partial
      ? [...loaded.entries]
      : [...loaded.entries].filter(([, entry]) => entry.seen > run - this.keepRuns);
    if (entries.length > this.maxEntries) {
      entries = entries.sort((a, b) => b[1].seen - a[1].seen).slice(0, this.maxEntries);
    }
    const stored: Stored = { reader: READER_VERSION, run, entries: new Map(entries) };
    const payload = serialize(stored);
    const checksum = createHash("sha1").update(payload).digest();
    const error = writeOwnFileAtomically(this.file, Buffer.concat([MAGIC, checksum, payload]));
    if (error !== null) {
      diagnostics.push(
        diagnostic(
          "info",
          "cache-unwritable",
          `cannot write the parse cache (${error}): the next run parses again`,
          {
            file: this.file,
            line: null,
            column: null,
          },
        ),
      );
      return;
    }
    this.loaded = stored;
    this.changed = false;
    this.stats.entries = entries.length;
    this.stats.writes++;
  }

  /** Read the cache file: its content, or an empty cache (with an info diagnostic when one was there but unusable). */
  private load(diagnostics: Diagnostic[]): Stored {
    const empty = (run = 0): Stored => {
      this.changed = true;
      return { reader: READER_VERSION, run, entries: new Map() };
    };
    const ignored = (why: string): Stored => {
      diagnostics.push(
        diagnostic("info", "cache-invalid", `the parse cache ${why}: ignored, and rebuilt`, {
          file: this.file,
          line: null,
          column: null,
        }),
      );
      return empty();
    };
    const read = readOwnFile(this.file, MAX_CACHE_BYTES);
    if (read.bytes === null) {
      // None yet (ENOTDIR: a file where a folder should be; writing it will say so).
      return read.error === "ENOENT" || read.error === "ENOTDIR"
        ? empty()
        : ignored(`cannot be read (${read.error})`);
    }
    const bytes = read.bytes;
    const start = MAGIC.length + CHECKSUM_BYTES;
    if (bytes.length < start || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
      return ignored("is not an ovm-deps parse cache");
    }
    const payload = bytes.subarray(start);
    if (!createHash("sha1").update(payload).digest().equals(bytes.subarray(MAGIC.length, start))) {
      return ignored("is damaged or truncated");
    }
    let decoded: unknown;
    try {
      decoded = deserialize(payload);
    } catch {
      return ignored("cannot be decoded");
    }
    if (!isStored(decoded)) return ignored("is not an ovm-deps parse cache");
    // Another version of the reader may read the same bytes differently: none of its entries is used.
    if (decoded.reader !== READER_VERSION) return empty(decoded.run);
    this.stats.entries = decoded.entries.size;
    return decoded;
  }
}

/** A decoded cache file has the expected shape (a hand check of every entry: about 1 ms for 10,000). */
function isStored(value: unknown): value is Stored {
  if (typeof value !== "object" || value === null) return false;
  const { reader, run, entries } = value as Record<string, unknown>;
  if (typeof reader !== "string" || !Number.isSafeInteger(run) || !(entries instanceof Map)) return false;
  for (const [key, entry] of entries) if (typeof key !== "string" || !isEntry(entry)) return false;
  return true;
}

/** An entry as `store` keeps it. */
function isEntry(value: unknown): value is Entry {
  if (typeof value !== "object" || value === null) return false;
  const { seen, reading } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(seen) || typeof reading !== "object" || reading === null) return false;
  const { ok, config, diagnostics } = reading as Record<string, unknown>;
  return (
    typeof ok === "boolean" &&
    typeof config === "object" &&
    config !== null &&
    Array.isArray((config as Record<string, unknown>).disks) &&
    Array.isArray(diagnostics) &&
    diagnostics.every((d) => typeof d === "object" && d !== null)
  );
}

/** A reading with its diagnostics about `file` (fresh diagnostic objects; the rest is shared). */
function atFile(reading: ConfigReading, file: string | null): ConfigReading {
  return {
    ok: reading.ok,
    config: reading.config,
    diagnostics: reading.diagnostics.map((d) => ({ ...d, file })),
  };
}

/**
 * Reads vm.cfg bytes through a ParseCache: a hit is answered at once; otherwise `reader` parses them (here or
 * in its workers) and the reading is kept. Files with the same bytes in one run are parsed once.
 */
export class CachedConfigReader {
  private readonly inFlight = new Map<string, Promise<ConfigReading>>();

  constructor(
    private readonly cache: ParseCache,
    private readonly reader: Pick<ConfigReader, "read">,
  ) {}

  read(bytes: Uint8Array, file: string): Promise<ConfigReading> {
    const started = performance.now();
    const key = contentKey(bytes);
    this.cache.stats.hashMs += performance.now() - started;
    const hit = this.cache.lookup(key, file);
    if (hit !== undefined) return Promise.resolve(hit);
    const pending = this.inFlight.get(key);
    if (pending !== undefined) {
      this.cache.stats.hits++;
      return pending.then((reading) => atFile(reading, file));
    }
    const reading = this.reader.read(bytes, file).then((parsed) => {
      this.cache.store(key, parsed, file);
      this.inFlight.delete(key);
      return parsed;
    });
    this.inFlight.set(key, reading);
    return reading;
  }
}
