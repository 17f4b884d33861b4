// The HTML report in a real browser (headless Chromium): every guest and every finding's rule shown, the
// graph drawn, a guest found by search, a click on a guest's node shows its disks. Screenshots are kept
// under test-output/report/.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CheckResult } from "ovm-deps";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchChromium } from "../support/browser.js";
import { runCli } from "../support/cli.js";
import { EVIL, NAMES, reportEstate } from "./estate.js";

const OUTPUT = fileURLToPath(new URL("../../test-output/report/", import.meta.url));

/** Distinct colours in a PNG screenshot, counted by the page itself (a blank canvas has one). */
async function colours(page: Page, png: string): Promise<number> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4)
      seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return seen.size;
  }, png);
}

describe.skipIf(chromiumPath === null)("the HTML report in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let check: CheckResult;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const file = path.join(OUTPUT, "estate.html");
    const run = runCli(["report", reportEstate(), "--out", file]);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(1); // db01's disk is missing: a check error.
    const html = readFileSync(file, "utf8");
    check = JSON.parse(/<script type="application\/json" id="data-check">([^<]*)<\/script>/.exec(html)![1]!);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.body.dataset.ready === "true", { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("fetches nothing and runs without errors", () => {
    expect(requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("shows every guest's name and every finding's rule, and runs no script from a name", async () => {
    const estate = await page.$eval("#estate-body", (body) => body.textContent ?? "");
    for (const name of NAMES) expect(estate).toContain(name);
    const findings = await page.$eval("#findings-body", (body) => body.textContent ?? "");
    expect(check.findings.length).toBeGreaterThan(0);
    for (const finding of check.findings) expect(findings).toContain(finding.ruleId);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await page.screenshot({ path: path.join(OUTPUT, "report.png") });
  });

  it("filters the estate by rule, coverage and text, and sorts it by a heading", async () => {
    const shown = (): Promise<string[]> =>
      page.$$eval("#estate-body tr:not([hidden]) button.owner", (buttons) =>
        buttons.map((b) => b.textContent ?? ""),
      );
    await page.select("#filter-finding", "missing-disk");
    expect(await shown()).toEqual(["db01"]);
    await page.select("#filter-finding", "");
    await page.select("#filter-coverage", "complete");
    expect((await shown()).sort()).not.toContain("db01");
    await page.select("#filter-coverage", "");
    await page.type("#filter-text", "ol8");
    expect(await shown()).toEqual(["ol8-template"]);
    await page.$eval("#filter-text", (input) => {
      (input as HTMLInputElement).value = "";
      input.dispatchEvent(new Event("input"));
    });
    const name = (await page.$("#estate-head th"))!;
    expect(await shown()).toEqual([EVIL, "db01", "ol8-template", "web01"]);
    await name.click();
    expect(await shown()).toEqual(["web01", "ol8-template", "db01", EVIL]);
    await name.click();
  });

  it("draws the graph", async () => {
    const canvas = (await page.$("#graph-canvas"))!;
    await canvas.scrollIntoView();
    const png = await canvas.screenshot({ encoding: "base64" });
    expect(await colours(page, png)).toBeGreaterThan(3);
    expect(await page.evaluate(() => window.ovmReport?.sigma !== null)).toBe(true);
  });

  it("finds a guest by search and focuses it", async () => {
    await page.type("#search", "web01");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#focus h3")?.textContent === "web01");
  });

  it("shows a guest's disks when its node is clicked", async () => {
    // Reset to the whole estate, then click db01's node where the renderer draws it.
    await page.click("#reset");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const point = await page.evaluate(() => {
      const report = window.ovmReport!;
      const node = report.graph.findNode((_, a) => a.kind === "guest" && a.label === "db01");
      const sigma = report.sigma!;
      const display = sigma.getNodeDisplayData(node)!;
      const { x, y } = sigma.framedGraphToViewport(display);
      const box = document.getElementById("graph-canvas")!.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    });
    await page.mouse.click(point.x, point.y);
    await page.waitForFunction(() => document.querySelector("#focus h3")?.textContent === "db01");
    const disks = await page.$eval("#focus table.disks", (table) => table.textContent ?? "");
    expect(disks).toContain("shared.img");
    expect(disks).toContain("gone.img");
    await new Promise((resolve) => setTimeout(resolve, 600));
    await (await page.$("#graph-section"))!.screenshot({ path: path.join(OUTPUT, "focus.png") });
  });

  it("focuses a guest from its name in the table, the one named like a script too", async () => {
    await page.evaluate((name) => {
      const button = [...document.querySelectorAll<HTMLButtonElement>("#estate-body button.owner")].find(
        (b) => b.textContent === name,
      );
      button?.click();
    }, EVIL);
    await page.waitForFunction((name) => document.querySelector("#focus h3")?.textContent === name, {}, EVIL);
    expect(await page.$eval("#focus table.disks", (t) => t.textContent ?? "")).toContain("evil.img");
  });

  it("prints without the graph, with every guest's section open and filled", async () => {
    await page.emulateMediaType("print");
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const printed = await page.evaluate(() => ({
      graph: getComputedStyle(document.getElementById("graph-section")!).display,
      open: [...document.querySelectorAll<HTMLDetailsElement>("details.guest")].map((d) => d.open),
      guests: document.getElementById("guests-body")!.textContent ?? "",
    }));
    expect(printed.graph).toBe("none");
    expect(printed.open).toEqual([true, true, true, true]);
    expect(printed.guests).toContain("Backup set");
    expect(printed.guests).toContain("gone.img");
    await page.pdf({ path: path.join(OUTPUT, "report.pdf") });
    await page.emulateMediaType("screen");
  });
});
