import { defineConfig } from "tsup";

// Two entries: the library (no shebang) and the CLI (shebang added by tsup from the source).
export default defineConfig({
  entry: { index: "src/index.ts", "cli/bin": "src/cli/bin.ts" },
  format: ["esm"],
  target: "node20",
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  splitting: true,
});
