// Runs one benchmark job in a fresh process and prints its Sample as the last line of stdout.
import { jobs } from "./jobs.js";

const [name, argsJson] = process.argv.slice(2);
const job = name ? jobs[name] : undefined;
if (!job) throw new Error(`unknown bench job ${name}`);
const started = performance.now();
const info = await (job as (args: unknown) => Promise<Record<string, number>>)(
  JSON.parse(argsJson ?? "null"),
);
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, info })}\n`);
