import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import "ovm-deps" (the public entry), as a consumer would.
export default defineConfig({
  resolve: { alias: { "ovm-deps": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
