import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import "ovm-deps" (the public entry), as a consumer would.
export default defineConfig({
  resolve: { alias: { "ovm-deps": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file gets its own XDG_CACHE_HOME: no test writes the parse cache into the real ~/.cache.
    setupFiles: ["test/support/cache-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
