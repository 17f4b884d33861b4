// Parsing vm.cfg bytes into what the scanner keeps: in this thread, or spread over worker threads.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import packageJson from "../../package.json" with { type: "json" };
import type { Diagnostic } from "../diagnostics.js";
import { readVmCfg } from "../parse/index.js";
import type { GuestConfig } from "../schema/parse.js";
import { packagedFileExists } from "./io.js";

/**
 * Worker threads for parsing: a number (0: every vm.cfg is parsed in the calling thread), or `auto`: none
 * on a machine of one or two cores, else one per core beyond the first, at most 4, started only once a
 * scan has met 2,000 vm.cfg files.
 */
export type Threads = number | "auto";

/** What the scanner keeps of one vm.cfg's parse (the rest is dropped at once: 10,000 of them add up). */
export interface ConfigReading {
  ok: boolean;
  config: Pick<GuestConfig, "uuid" | "name" | "simpleName" | "domainType" | "disks">;
  diagnostics: Diagnostic[];
}

/**
 * The reader's version in the parse cache's key: the package's version and a revision. Bump the revision
 * whenever readConfigBytes gives anything else for the same bytes (test/scan/reader-version.test.ts fails
 * until it is): a cache made by another version is then not used.
 */
export const READER_VERSION = `${packageJson.version}+r1`;

/** Parse one vm.cfg (`file` is its absolute path, for the diagnostics). Never throws. */
export function readConfigBytes(bytes: Uint8Array, file: string): ConfigReading {
  const { ok, settings, diagnostics } = readVmCfg(bytes, { file });
  const { uuid, name, simpleName, domainType, disks } = settings;
  return { ok, config: { uuid, name, simpleName, domainType, disks }, diagnostics };
}

/** One vm.cfg sent to a worker, and the answer. */
export interface ConfigRequest {
  id: number;
  bytes: Uint8Array;
  file: string;
}
export interface ConfigAnswer {
  id: number;
  reading: ConfigReading;
}
/**
 * What a worker is started with: `loaded[0]` becomes 1 once it has loaded. A shared flag, not a message:
 * the walk runs on microtasks, so a message would only be seen once the walk is over.
 */
export interface WorkerData {
  loaded: Int32Array;
}

/**
 * The worker's entry, built beside the library's chunks (tsup entry `config-worker`). Running from the
 * TypeScript sources (the tests), there is none: those scans parse in their own thread.
 */
const WORKER_FILE = new URL("./config-worker.js", import.meta.url);

/**
 * With `auto`, this many vm.cfg files are parsed here first. A worker starts cold (loading, then its own
 * JIT warm-up): at 1,000 guests it made a scan slower; from about 10,000 it pays.
 */
const PARSE_HERE_FIRST = 2000;
/** Requests go to a worker in batches: one message per file would cost as much as parsing it. */
const BATCH = 32;

interface Pending {
  request: ConfigRequest;
  resolve: (reading: ConfigReading) => void;
}

/** Answer waiting requests by parsing them in this thread. */
function parseHere(pending: Iterable<Pending>): void {
  for (const { request, resolve } of pending) resolve(readConfigBytes(request.bytes, request.file));
}

/**
 * The workers `auto` starts on a machine of `cores` cores: none on one or two. On two cores (shared with
 * other work, as CI runners and the bench machine are) a worker did not measurably pay at 10,000 guests:
 * −4 % to +10 % against parsing in the main thread, within the noise (bench/results/2026-12-03-walk.md).
 */
export function autoThreads(cores: number): number {
  return cores <= 2 ? 0 : Math.min(4, cores - 1);
}

interface ParsingWorker {
  worker: Worker;
  inFlight: Map<number, Pending>;
  loaded: Int32Array;
}

/**
 * Parses vm.cfg files for one scan. With 0 threads every file is parsed here, at once. Otherwise they go,
 * in batches, to the workers, so that the walk goes on while they parse. With `auto` (see autoThreads),
 * workers start once the scan has met 2,000 files, and files are parsed here until one has loaded (about 0.2 s), so that
 * the scan never waits for them. Workers are not needed for a correct result: when one fails (its file
 * missing from a repackaged build…), what it had and everything after is parsed here, and `problem`
 * says why. `close()` ends the workers; the scan calls it when every vm.cfg is read.
 */
export class ConfigReader {
  private readonly workers: ParsingWorker[] = [];
  private batch: Pending[] = [];
  private flushing = false;
  private parsedHere = 0;
  private nextId = 0;
  private failed = false;
  private closing = false;
  /** Why the workers asked for could not (all) be used; null when they could, or none were asked for. */
  problem: string | null = null;
  private readonly threads: number;
  private readonly parseHereFirst: number;

  constructor(threads: Threads) {
    this.threads = Math.max(
      0,
      Math.floor(threads === "auto" ? autoThreads(availableParallelism()) : threads),
    );
    this.parseHereFirst = threads === "auto" ? PARSE_HERE_FIRST : 0;
  }

  read(bytes: Uint8Array, file: string): Promise<ConfigReading> {
    if (!this.useWorkers()) {
      this.parsedHere++;
      return Promise.resolve(readConfigBytes(bytes, file));
    }
    return new Promise((resolve) => {
      this.batch.push({ request: { id: this.nextId++, bytes, file }, resolve });
      if (this.batch.length >= BATCH) this.flush();
      else if (!this.flushing) {
        // The rest of this walk step may add more files to the batch: send it once the step is done.
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** End the workers. The scan calls it once every read is answered; any still in flight is parsed here. */
  async close(): Promise<void> {
    this.closing = true;
    this.flush();
    await Promise.all(this.workers.splice(0).map(({ worker }) => worker.terminate()));
  }

  private useWorkers(): boolean {
    if (this.threads === 0 || this.failed) return false;
    if (this.workers.length === 0) {
      if (this.parsedHere < this.parseHereFirst) return false;
      if (!packagedFileExists(WORKER_FILE)) {
        // Running from the sources, or repackaged without it: with `auto`, nothing was promised.
        this.fail(this.parseHereFirst === 0 ? `${fileURLToPath(WORKER_FILE)} does not exist` : null);
        return false;
      }
      for (let i = 0; i < this.threads; i++) this.startWorker();
    }
    return this.workers.some((w) => this.ready(w));
  }

  /** A worker takes work once loaded; threads asked for by number take it even while they load. */
  private ready(w: ParsingWorker): boolean {
    return this.parseHereFirst === 0 || Atomics.load(w.loaded, 0) === 1;
  }

  private startWorker(): void {
    const inFlight = new Map<number, Pending>();
    const workerData: WorkerData = { loaded: new Int32Array(new SharedArrayBuffer(4)) };
    const worker = new Worker(WORKER_FILE, { workerData });
    worker.on("message", (answers: ConfigAnswer[]) => {
      for (const { id, reading } of answers) {
        inFlight.get(id)?.resolve(reading);
        inFlight.delete(id);
      }
    });
    const takeBack = (): void => {
      parseHere(inFlight.values());
      inFlight.clear();
    };
    worker.on("error", (error) => {
      this.fail(`a worker failed: ${error.message}`);
      takeBack();
    });
    worker.on("exit", (code) => {
      if (!this.closing) this.fail(`a worker stopped (exit code ${code})`);
      takeBack();
    });
    this.workers.push({ worker, inFlight, loaded: workerData.loaded });
  }

  /** From now on, parse here; keep the first reason. */
  private fail(reason: string | null): void {
    this.failed = true;
    this.problem ??= reason;
  }

  /** Send the waiting batch to the ready worker with the least work in flight. */
  private flush(): void {
    this.flushing = false;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    const target = this.failed
      ? undefined
      : this.workers.reduce<ParsingWorker | undefined>(
          (least, w) =>
            this.ready(w) && (least === undefined || w.inFlight.size < least.inFlight.size) ? w : least,
          undefined,
        );
    if (target === undefined) {
      parseHere(batch);
      return;
    }
    for (const pending of batch) target.inFlight.set(pending.request.id, pending);
    target.worker.postMessage(batch.map((p) => p.request));
  }
}
