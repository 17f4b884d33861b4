// The measured jobs: each does one piece of work against the built library (dist/) and reports counts.
// Jobs import dist/index.js so that the benchmark measures what users run.
import { floorJob } from "./jobs/floor.js";
import { graphFormatJob, graphJob } from "./jobs/graph.js";
import { parseJob } from "./jobs/parse.js";
import { planJob, restoreJob } from "./jobs/plan.js";
import { scanJob } from "./jobs/scan.js";

/** A job: does its work, returns counts to print beside the timing. */
export type Job = (args: never) => Promise<Record<string, number>>;

/** Every job by name. */
export const jobs: Record<string, Job> = {
  floor: floorJob,
  graph: graphJob,
  "graph-format": graphFormatJob,
  parse: parseJob,
  plan: planJob,
  restore: restoreJob,
  scan: scanJob,
};
