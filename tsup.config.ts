import { defineConfig } from "tsup";
import { buildReportClient, REPORT_CLIENT_ID } from "./scripts/report-client.js";

// Three entries: the library (no shebang), the CLI (shebang added by tsup from the source), and the
// vm.cfg parsing worker, which the scanner loads from beside its own chunk (src/scan/config-reader.ts).
export default defineConfig({
  entry: { index: "src/index.ts", "cli/bin": "src/cli/bin.ts", "config-worker": "src/scan/config-worker.ts" },
  format: ["esm"],
  target: "node20",
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  splitting: true,
  // chevrotain is ESM spread over hundreds of lodash-es modules: resolving them at every start took 0.45 s
  // of a CLI run. Bundled, it loads with the library's own code. (zod stays external: its schemas are
  // part of the public API; fast-glob and graphology are CommonJS.)
  noExternal: ["chevrotain", /^@chevrotain\//, "lodash-es"],
  // The HTML report carries its page script (sigma, graphology) inline: built here, embedded as text.
  esbuildPlugins: [
    {
      name: "report-client",
      setup(build) {
        build.onResolve({ filter: /^virtual:report-client$/ }, () => ({
          path: REPORT_CLIENT_ID,
          namespace: "report-client",
        }));
        build.onLoad({ filter: /.*/, namespace: "report-client" }, async () => ({
          contents: await buildReportClient(),
          loader: "text",
        }));
      },
    },
  ],
});
