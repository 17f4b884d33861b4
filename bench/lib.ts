// Benchmark helpers: run a measured job in a fresh Node process several times; report medians.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";

/** One measured run of a job: wall time and the process's peak resident memory. */
export interface Sample {
  ms: number;
  maxRssMiB: number;
  /** Whatever the job reports about its work (counts, bytes, inner timings), as medians over the runs. */
  info: Record<string, number>;
}

/** Medians over several runs. */
export interface Figure {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  medianMaxRssMiB: number;
  info: Record<string, number>;
}

/** The worker, compiled to plain JavaScript so that no TypeScript loader adds to a job's memory. */
const workerPath = fileURLToPath(new URL("./.build/worker.js", import.meta.url));

/** Compile bench/worker.ts and its jobs into bench/.build; they import the built library from dist/. */
export async function buildWorker(): Promise<void> {
  await build({
    entry: { worker: fileURLToPath(new URL("./worker.ts", import.meta.url)) },
    outDir: fileURLToPath(new URL("./.build", import.meta.url)),
    format: ["esm"],
    target: "node20",
    dts: false,
    config: false,
    // The jobs import the built library as it is, beside its parsing worker (dist/config-worker.js):
    // bundled into .build, it would look for that worker in the wrong place.
    // fast-glob (the parse job's **/vm.cfg) is a devDependency, which tsup would bundle: it stays a package.
    external: [/\/dist\/index\.js$/, "fast-glob"],
    silent: true,
  });
}

/** Median of numbers (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Run job `job` (a name exported by bench/jobs.ts) with `args` in a fresh process: once to warm
 * the page cache, then `runs` measured times.
 */
export function measure(name: string, job: string, args: unknown, runs = 5): Figure {
  return repeat(name, runs, () => {
    const result = spawnSync(process.execPath, [workerPath, job, JSON.stringify(args)], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`bench job ${job} failed: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Sample;
  });
}

/**
 * Time an outside command (the Python reference) the same way: wall time around the process; its
 * last stdout line is a JSON object of counts, with its own peak memory as `maxRssMiB`.
 */
export function measureCommand(name: string, command: string, args: string[], runs = 5): Figure {
  return repeat(name, runs, () => {
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
    // A job prints its figures as a JSON line last; a plain command (start-up) prints anything.
    const last = result.stdout.trim().split("\n").at(-1) ?? "";
    const { maxRssMiB, ...info } = (last.startsWith("{") ? JSON.parse(last) : {}) as Record<string, number>;
    return { ms, maxRssMiB: maxRssMiB ?? 0, info };
  });
}

/** GNU time, which gives a command's peak resident memory (`%M`, KiB); without it peak RSS reads 0. */
const GNU_TIME = "/usr/bin/time";

/**
 * Time a whole process as a user runs it (the CLI, the shell floor): wall time around it, its output thrown
 * away, and its peak resident memory from GNU time (0 where there is none).
 */
export function measureProcess(name: string, command: string, args: string[], runs = 5): Figure {
  const folder = mkdtempSync(join(tmpdir(), "ovm-deps-bench-time-"));
  const rssFile = join(folder, "rss");
  const timed = existsSync(GNU_TIME);
  try {
    return repeat(name, runs, () => {
      const started = performance.now();
      const result = timed
        ? spawnSync(GNU_TIME, ["-o", rssFile, "-f", "%M", command, ...args], { stdio: "ignore" })
        : spawnSync(command, args, { stdio: "ignore" });
      const ms = performance.now() - started;
      // The CLI's exit status says what it found (1: a warning or worse), not that it failed: 2 and up do.
      if (result.status === null || result.status > 1) throw new Error(`${command} ${args.join(" ")} failed`);
      const maxRssMiB = timed ? Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) / 1024 : 0;
      return { ms, maxRssMiB, info: {} };
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** One warm-up run, then `runs` measured ones, summarised as medians. */
function repeat(name: string, runs: number, once: () => Sample): Figure {
  once();
  const samples = Array.from({ length: runs }, once);
  const ms = samples.map((s) => s.ms);
  return {
    name,
    runs,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    medianMaxRssMiB: median(samples.map((s) => s.maxRssMiB)),
    info: Object.fromEntries(
      Object.keys(samples[0]!.info).map((k) => [k, median(samples.map((s) => s.info[k]!))]),
    ),
  };
}

/** Print a figure as one readable line. */
export function formatFigure(f: Figure): string {
  const info = Object.entries(f.info)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(1)}`)
    .join(" ");
  return `${f.name.padEnd(44)} median ${f.medianMs.toFixed(0).padStart(7)} ms  (min ${f.minMs.toFixed(0)}, max ${f.maxMs.toFixed(0)}, n=${f.runs})  peak RSS ${f.medianMaxRssMiB.toFixed(0)} MiB  ${info}`;
}
