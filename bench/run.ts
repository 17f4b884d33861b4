// `npm run bench`: generate synthetic estates (sparse files, cached in the temp folder), then measure
// each job in fresh processes (one warm-up run, then the median of several) and print the figures.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateEstate } from "../test/support/estate/index.js";
import { buildWorker, type Figure, formatFigure, measure, measureCommand, measureProcess } from "./lib.js";
import { measurePage } from "./page.js";

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
const bin = fileURLToPath(new URL("../dist/cli/bin.js", import.meta.url));
/** The issue's targets, each a ratio of two figures of the same run (issue 13). */
const targets: string[] = [];
const ratio = (what: string, a: Figure | undefined, b: Figure | undefined, target: number): void => {
  if (a === undefined || b === undefined) return;
  const r = a.medianMs / b.medianMs;
  targets.push(
    `${what.padEnd(58)} ${r.toFixed(2).padStart(6)}x  (target ≤ ${target}x: ${r <= target ? "met" : "NOT met"})`,
  );
};
/** Peak RSS of the cold CLI plan, by estate size. */
const rssBySize: Array<{ guests: number; mib: number }> = [];
// Start-up, which every command pays: the executable's --version and --help against node itself.
if (want("startup")) {
  const node = measureCommand("node -e 0", process.execPath, ["-e", "0"], runs);
  const version = measureCommand("ovm-deps --version", process.execPath, [bin, "--version"], runs);
  const help = measureCommand("ovm-deps --help", process.execPath, [bin, "--help"], runs);
  for (const f of [node, version, help]) record(f);
  ratio("--version / node -e 0", version, node, 1.5);
  ratio("--help / node -e 0", help, node, 1.5);
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
  if (want("graph-formats")) {
    // Every graph format of the whole estate, with its NFS exports (guest backups), in chunks.
    const guestBackups = join(dir, "guest-backups");
    for (const format of ["dot", "json", "mermaid"])
      record(
        measure(
          `graph --format ${format} (${guests} guests)`,
          "graph-format",
          { roots, guestBackups, format },
          runs,
        ),
      );
  }
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
  // The HTML report: the command, then the page in headless Chromium (up to 10,000 guests: the page's size).
  if (want("report") && guests <= 10_000) {
    const page = join(cacheRoot, `report-${guests}.html`);
    const args = [bin, "report", ...roots, "--out", page, "--fail-on", "never", "--quiet"];
    record(measureCommand(`report --out (${guests} guests)`, process.execPath, args, runs));
    record(await measurePage(`report page in Chromium (${guests} guests)`, page, runs));
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
  if (want("cli")) {
    // The CLI as users run it, whole processes (start-up included), against the issue's floor: `cat` of
    // every vm.cfg and `find -printf` of every entry's size, also whole processes.
    const root = roots[0]!;
    const floor = measureProcess(
      `floor: find -printf + cat vm.cfg (${guests} guests)`,
      "sh",
      [
        "-c",
        `find "$1" -printf '%s %p\\n' >/dev/null && find "$1" -name vm.cfg -type f -print0 | xargs -0 cat >/dev/null`,
        "floor",
        root,
      ],
      runs,
    );
    record(floor);
    const python =
      figures.find((f) => f.name === `python exec + stat (${guests} guests)`) ??
      measureCommand(
        `python exec + stat (${guests} guests)`,
        "python3",
        [fileURLToPath(new URL("./reference.py", import.meta.url)), root],
        runs,
      );
    if (!figures.includes(python)) record(python);
    const cold = measureProcess(
      `CLI plan --format json, cold (${guests} guests)`,
      process.execPath,
      [bin, "plan", root, "--format", "json", "--no-cache"],
      runs,
    );
    record(cold);
    // Warm: the warm-up run fills the cache, every measured run finds it full and no file changed.
    const cacheDir = join(cacheRoot, `cli-cache-${guests}`);
    rmSync(cacheDir, { recursive: true, force: true });
    const warm = measureProcess(
      `CLI plan --format json, warm (${guests} guests)`,
      process.execPath,
      [bin, "plan", root, "--format", "json", "--cache-dir", cacheDir],
      runs,
    );
    record(warm);
    const restoreCli = measureProcess(
      `CLI restore one guest, cold (${guests} guests)`,
      process.execPath,
      [
        bin,
        "restore",
        join(live, "repositories"),
        "--from",
        root,
        "--guest",
        guest,
        "--format",
        "json",
        "--no-cache",
      ],
      runs,
    );
    record(restoreCli);
    ratio(`plan cold / floor (${guests})`, cold, floor, 2.0);
    ratio(`plan cold / python (${guests})`, cold, python, 0.45);
    ratio(`plan warm / floor (${guests})`, warm, floor, 1.5);
    ratio(`restore one guest / floor of one tree (${guests})`, restoreCli, floor, 1.0);
    rssBySize.push({ guests, mib: cold.medianMaxRssMiB });
    targets.push(
      `${`peak RSS, plan cold (${guests})`.padEnd(58)} ${cold.medianMaxRssMiB.toFixed(0).padStart(6)} MiB${guests === 10000 ? ` (target ≤ 200 MiB: ${cold.medianMaxRssMiB <= 200 ? "met" : "NOT met"})` : ""}`,
    );
  }
}
for (let i = 1; i < rssBySize.length; i++) {
  const [a, b] = [rssBySize[i - 1]!, rssBySize[i]!];
  const growth = ((b.mib - a.mib) / (b.guests - a.guests)) * 1000;
  targets.push(
    `${`peak RSS growth ${a.guests} → ${b.guests}`.padEnd(58)} ${growth.toFixed(1).padStart(6)} MiB per 1,000 guests (target ≤ 10: ${growth <= 10 ? "met" : "NOT met"})`,
  );
}
if (targets.length > 0) console.log(`\nTargets (issue 13), medians of this run:\n${targets.join("\n")}`);
if (values.out) writeFileSync(values.out, `${JSON.stringify(figures, null, 2)}\n`);
