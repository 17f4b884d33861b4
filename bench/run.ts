// `npm run bench`: generate synthetic estates (sparse files, cached in the temp folder), then measure
// each job in fresh processes (one warm-up run, then the median of several) and print the figures.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateEstate } from "../tools/estate.js";
import { type Figure, formatFigure, measure } from "./lib.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    sizes: { type: "string", default: "1000,10000" },
    only: { type: "string" },
    out: { type: "string" },
  },
});
const runs = Number(values.runs);
const sizes = values.sizes!.split(",").map(Number);
const only = values.only?.split(",");
const want = (name: string) => !only || only.includes(name);

const cacheRoot = join(tmpdir(), "ovm-deps-bench");

/** A generated estate of `guests` guests, made once and kept for later runs. */
function estate(guests: number): string {
  const dir = join(cacheRoot, `estate-${guests}`);
  if (!existsSync(join(dir, ".complete"))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    generateEstate(dir, { guests, seed: 1 });
    writeFileSync(join(dir, ".complete"), "");
    console.error(
      `generated ${guests}-guest estate in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return dir;
}

const figures: Figure[] = [];
const record = (f: Figure) => {
  figures.push(f);
  console.log(formatFigure(f));
};

console.log(
  `ovm-deps bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; median of ${runs} runs after a warm-up`,
);
for (const guests of sizes) {
  const dir = estate(guests);
  if (want("parse")) record(measure(`parse vm.cfg (${guests} guests)`, "parse", { dir }, runs));
}
if (values.out) writeFileSync(values.out, `${JSON.stringify(figures, null, 2)}\n`);
