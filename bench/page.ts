// The HTML report in headless Chromium: how long until the first paint, and until the page is built (its
// table, its graph drawn), for `npm run bench`. Debian's chromium, driven by puppeteer-core.
import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../test/support/browser.js";
import { type Figure, median } from "./lib.js";

/**
 * Open `file` `runs` times (after a warm-up) in a fresh tab. The figure's time is until the page is built;
 * its info, the first contentful paint, when the summary table and the graph were done, the file's size.
 * Its "peak RSS" is the page's JavaScript heap.
 */
export async function measurePage(name: string, file: string, runs: number): Promise<Figure> {
  const browser = await launchChromium();
  const samples: Array<{
    readyMs: number;
    paintMs: number;
    tableMs: number;
    graphMs: number;
    heapMiB: number;
  }> = [];
  try {
    for (let run = 0; run <= runs; run++) {
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
      await page.goto(pathToFileURL(file).href, { timeout: 300_000 });
      await page.waitForFunction('document.body.dataset.ready === "true"', { timeout: 300_000 });
      // Expressions as text: they run in the page (and tsx would wrap a function in a helper it does not have).
      const [paintMs, tableMs, graphMs, readyMs] = (await page.evaluate(`[
        ...["first-contentful-paint", "report:estate", "report:renderer"].map(
          (name) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN),
        Number(document.body.dataset.readyMs),
      ]`)) as number[];
      const timing = { paintMs: paintMs!, tableMs: tableMs!, graphMs: graphMs!, readyMs: readyMs! };
      const metrics = await page.metrics();
      if (run > 0) samples.push({ ...timing, heapMiB: (metrics.JSHeapUsedSize ?? 0) / 2 ** 20 });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const ready = samples.map((s) => s.readyMs);
  return {
    name,
    runs,
    medianMs: median(ready),
    minMs: Math.min(...ready),
    maxMs: Math.max(...ready),
    medianMaxRssMiB: median(samples.map((s) => s.heapMiB)),
    info: {
      firstPaintMs: median(samples.map((s) => s.paintMs)),
      tableBuiltMs: median(samples.map((s) => s.tableMs)),
      graphDrawnMs: median(samples.map((s) => s.graphMs)),
      fileMiB: statSync(file).size / 2 ** 20,
    },
  };
}
