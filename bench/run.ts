// `npm run bench`: generate synthetic estates (sparse files, cached in the temp folder), then measure
// each job in fresh processes (one warm-up run, then the median of several) and print the figures.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateEstate } from "../test/support/estate/index.js";
import { buildWorker, type Figure, formatFigure, measure, measureCommand } from "./lib.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    sizes: { type: "string", default: "1000,10000,100000" },
    only: { type: "string" },
    out: { type: "string" },
  },
});
const runs = Number(values.runs);
const sizes = values.sizes!.split(",").map(Number);
const only = values.only?.split(",");
const want = (name: string) => !only || only.includes(name);

const cacheRoot = join(tmpdir(), "ovm-deps-bench");

/**
 * A generated estate of `guests` guests, made once and kept for later runs, with a hard-linked copy
 * of it as the "live" side of restores and the reference of one guest to restore.
 */
function estate(guests: number): { dir: string; live: string; guest: string } {
  const dir = join(cacheRoot, `estate-${guests}`);
  const live = join(cacheRoot, `live-${guests}`);
  const done = join(cacheRoot, `complete-${guests}.txt`);
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(live, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    const manifest = generateEstate(dir, { guests, seed: 1 });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.error(`generated ${guests}-guest estate in ${seconds} s`);
    execFileSync("cp", ["-al", dir, live]);
    const guest = manifest.owners.find((o) => o.type === "guest" && o.copyOf === null)!.ref;
    writeFileSync(done, guest);
  }
  return { dir, live, guest: readFileSync(done, "utf8") };
}

await buildWorker();
const figures: Figure[] = [];
const record = (f: Figure) => {
  figures.push(f);
  console.log(formatFigure(f));
};

console.log(
  `ovm-deps bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; median of ${runs} runs after a warm-up`,
);
// Start-up, which every command pays: the executable's --version and --help against node itself.
if (want("startup")) {
  const bin = fileURLToPath(new URL("../dist/cli/bin.js", import.meta.url));
  record(measureCommand("node -e 0", process.execPath, ["-e", "0"], runs));
  record(measureCommand("ovm-deps --version", process.execPath, [bin, "--version"], runs));
  record(measureCommand("ovm-deps --help", process.execPath, [bin, "--help"], runs));
}
for (const guests of sizes) {
  const { dir, live, guest } = estate(guests);
  if (want("parse")) record(measure(`parse vm.cfg (${guests} guests)`, "parse", { dir }, runs));
  const roots = [join(dir, "repositories")];
  if (want("floor")) {
    for (const io of ["direct", "concurrent"] as const)
      record(
        measure(`floor, ${io}: read vm.cfg + lstat all (${guests} guests)`, "floor", { roots, io }, runs),
      );
  }
  if (want("python")) {
    const reference = fileURLToPath(new URL("./reference.py", import.meta.url));
    record(measureCommand(`python exec + stat (${guests} guests)`, "python3", [reference, roots[0]!], runs));
  }
  if (want("scan")) record(measure(`scan (${guests} guests)`, "scan", { roots }, runs));
  if (want("graph")) record(measure(`scan + graph (${guests} guests)`, "graph", { roots }, runs));
  if (want("plan")) {
    record(measure(`plan, all guests (${guests} guests)`, "plan", { roots }, runs));
    // The same without worker threads: what parsing in the main thread costs on this machine.
    record(measure(`plan, --threads 0 (${guests} guests)`, "plan", { roots, threads: 0 }, runs));
  }
  if (want("plan-cache")) {
    // With the parse cache, as the CLI runs: cold (emptied before each run, which fills it again), then
    // warm (filled by the run before, no file changed).
    const cache = join(cacheRoot, `parse-cache-${guests}`);
    for (const fresh of [true, false])
      record(
        measure(
          `plan, cache ${fresh ? "cold" : "warm"} (${guests} guests)`,
          "plan",
          { roots, cache: { dir: cache, fresh } },
          runs,
        ),
      );
  }
  const restore = { live: [join(live, "repositories")], backup: roots, guest };
  if (want("restore")) {
    // Full scans of both sides (`--full-scan`), then the targeted restore (the CLI's default); no cache,
    // then with the parse cache warm (filled by the warm-up run).
    for (const targeted of [false, true]) {
      const how = targeted ? "targeted" : "full scan";
      record(
        measure(
          `restore one guest, ${how}, no cache (${guests} guests)`,
          "restore",
          { ...restore, targeted },
          runs,
        ),
      );
      const cache = { dir: join(cacheRoot, `restore-cache-${guests}-${how}`), fresh: false };
      record(
        measure(
          `restore one guest, ${how}, cache warm (${guests} guests)`,
          "restore",
          { ...restore, targeted, cache },
          runs,
        ),
      );
    }
  }
}
if (values.out) writeFileSync(values.out, `${JSON.stringify(figures, null, 2)}\n`);
