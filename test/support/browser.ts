// A headless Chromium for the tests that open a page (the HTML report): Debian's chromium, driven by
// puppeteer-core, which never downloads a browser. CI installs it (.ci/run) and sets OVM_DEPS_REQUIRE_TOOLS=1:
// a missing browser then fails instead of skipping.
import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";

/** The browser: $OVM_DEPS_CHROMIUM, else Debian's /usr/bin/chromium; null when neither exists. */
export const chromiumPath: string | null =
  [process.env.OVM_DEPS_CHROMIUM, "/usr/bin/chromium"].find(
    (p) => p !== undefined && p !== "" && existsSync(p),
  ) ?? null;

if (chromiumPath === null && process.env.OVM_DEPS_REQUIRE_TOOLS === "1") {
  throw new Error("OVM_DEPS_REQUIRE_TOOLS=1 but no Chromium at /usr/bin/chromium (or $OVM_DEPS_CHROMIUM)");
}

/** Start headless Chromium; WebGL runs on SwiftShader, so the graph is drawn without a GPU. */
export function launchChromium(): Promise<Browser> {
  if (chromiumPath === null) throw new Error("no Chromium");
  return puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      // Root in a container has no user namespace for Chromium's sandbox.
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--enable-unsafe-swiftshader",
      "--use-angle=swiftshader",
      "--disable-dev-shm-usage",
    ],
  });
}
