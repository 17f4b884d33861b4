import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { buildReportClient, REPORT_CLIENT_ID } from "./scripts/report-client.js";

// Tests import "ovm-deps" (the public entry), as a consumer would.
export default defineConfig({
  resolve: { alias: { "ovm-deps": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  // The HTML report's page script, bundled as tsup bundles it (tsup.config.ts).
  plugins: [
    {
      name: "report-client",
      resolveId: (id) => (id === REPORT_CLIENT_ID ? `\0${REPORT_CLIENT_ID}` : null),
      load: async (id) =>
        id === `\0${REPORT_CLIENT_ID}`
          ? `export default ${JSON.stringify(await buildReportClient())};`
          : null,
    },
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file gets its own XDG_CACHE_HOME: no test writes the parse cache into the real ~/.cache.
    setupFiles: ["test/support/cache-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
