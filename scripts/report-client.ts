// The report page's script as one browser bundle (an IIFE with sigma and graphology), built with esbuild when
// tsup builds the library and when vitest loads it: `import script from "virtual:report-client"` is its text.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The module id the report imports the bundle by. */
export const REPORT_CLIENT_ID = "virtual:report-client";

const entry = fileURLToPath(new URL("../src/report/html/client.ts", import.meta.url));

/** Bundle and minify the page's script; its licence comments are kept at the end. */
export async function buildReportClient(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    write: false,
    legalComments: "eof",
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild gave no bundle of the report's script");
  return output.text;
}
