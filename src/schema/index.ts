// The zod schemas of every JSON document ovm-deps reads or writes.
export * from "./check.js";
export * from "./diagnostic.js";
export * from "./graph.js";
export * from "./parse.js";
export * from "./plan.js";
export * from "./rebuild.js";
export * from "./scan.js";
