// The import boundaries of the pipeline layers, checked in CI (npm run boundaries): the layers point one way,
// each third-party library has one home, and only the scan's I/O module touches the file system.
const layer = (name) => `^src/${name}/`;
const forbid = (name, comment, from, to) => ({ name, comment, severity: "error", from, to });

module.exports = {
  forbidden: [
    forbid("no-circular", "layers must not import each other in a cycle", {}, { circular: true }),
    forbid(
      "schema-is-a-leaf",
      "schema/ imports only zod",
      { path: layer("schema") },
      {
        pathNot: [layer("schema"), "zod"],
        dependencyTypesNot: ["type-only"],
      },
    ),
    forbid(
      "diagnostics-is-a-leaf",
      "diagnostics.ts imports only schema/",
      { path: "^src/diagnostics\\.ts$" },
      {
        pathNot: [layer("schema"), "zod"],
      },
    ),
    forbid(
      "parse-is-low",
      "parse/ sits below scan, graph and everything above",
      { path: layer("parse") },
      {
        path: [layer("(scan|graph|plan|policy|report|cli)"), "^src/index\\.ts$"],
      },
    ),
    forbid(
      "scan-is-low",
      "scan/ sits below graph and everything above",
      { path: layer("scan") },
      {
        path: [layer("(graph|plan|policy|report|cli)"), "^src/index\\.ts$"],
      },
    ),
    forbid(
      "graph-below-plan",
      "graph/ sits below plan, policy, report, cli",
      { path: layer("graph") },
      {
        path: [layer("(plan|policy|report|cli)"), "^src/index\\.ts$"],
      },
    ),
    forbid(
      "plan-policy-below-report",
      "plan/ and policy/ do not import report/ or cli/",
      {
        path: layer("(plan|policy)"),
      },
      { path: [layer("(report|cli)"), "^src/index\\.ts$"] },
    ),
    forbid(
      "report-is-pure",
      "reporters take plain data: only schema/ and diagnostics",
      { path: layer("report") },
      {
        path: [layer("(parse|scan|graph|plan|policy|cli)"), "^src/index\\.ts$"],
      },
    ),
    forbid(
      "cli-through-index",
      "the CLI is a thin shell over the public API",
      { path: layer("cli") },
      {
        path: "^src/(schema|parse|scan|graph|plan|policy|report)/",
      },
    ),
    forbid(
      "chevrotain-home",
      "chevrotain lives in parse/",
      { pathNot: layer("parse") },
      { path: "chevrotain" },
    ),
    forbid(
      "jsonc-parser-home",
      "jsonc-parser reads the policy file, in policy/",
      { pathNot: "^src/policy/policy-file\\.ts$" },
      { path: "jsonc-parser" },
    ),
    forbid(
      "commander-home",
      "commander is the command line, in cli/",
      { pathNot: layer("cli") },
      { path: "commander" },
    ),
    forbid(
      "fs-home",
      "file-system access lives in the scan's I/O module (the CLI reads files through it too)",
      { pathNot: "^src/scan/io\\.ts$" },
      {
        path: "^(node:)?fs(/promises)?$",
      },
    ),
    forbid(
      "pure-layers",
      "graph/, plan/, policy/ and report/ never reach the file system, even through another module",
      { path: layer("(graph|plan|policy|report)") },
      { path: ["^src/scan/io\\.ts$", "^(node:)?fs(/promises)?$"], reachable: true },
    ),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
