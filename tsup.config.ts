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
  // chevrotain is ESM spread over hundreds of lodash-es modules: resolving them at every start took 0.45 s
  // of a CLI run. Bundled, it loads with the library's own code. (zod stays external: its schemas are
  // part of the public API; fast-glob and graphology are CommonJS.)
  noExternal: ["chevrotain", /^@chevrotain\//, "lodash-es"],
});
