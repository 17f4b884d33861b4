// The HTML report's page builder: the documents embedded as they are, nothing that escapes its block, nothing
// fetched from a network, and INCOMPLETE said where an incomplete scan is reported.
import fc from "fast-check";
import { type ReportData, type ReportDocuments, renderReport } from "ovm-deps";
import { beforeAll, describe, expect, it } from "vitest";
import { scriptJson } from "../../src/report/html/page.js";
import { EVIL, NAMES, reportDocuments, reportEstate } from "./estate.js";

/** The JSON blocks of a page, parsed, by name. */
function blocks(html: string): Partial<ReportData> {
  const found: Record<string, unknown> = {};
  for (const match of html.matchAll(/<script type="application\/json" id="data-(\w+)">([^<]*)<\/script>/g)) {
    found[match[1]!] = JSON.parse(match[2]!);
  }
  return found as Partial<ReportData>;
}

describe("renderReport", () => {
  let documents: ReportDocuments;
  let html: string;
  beforeAll(async () => {
    documents = await reportDocuments(reportEstate());
    html = renderReport(documents, { generatedAt: "2026-01-01T00:00:00Z" });
  });

  it("embeds the plan, check and rebuild documents as they are, and one row per guest and template", () => {
    const data = blocks(html);
    expect(data.plan).toEqual(documents.plan);
    expect(data.check).toEqual(documents.check);
    expect(data.rebuild).toEqual(documents.rebuild);
    expect(data.rows?.map((r) => r.name).sort()).toEqual([...NAMES].sort());
    expect(data.graph?.nodes).toHaveLength(documents.graph.nodes.length);
    const web = data.rows?.find((r) => r.name === "web01");
    expect(web).toMatchObject({
      type: "guest",
      disks: 2,
      coverage: "complete",
      sharedWith: ["R/VirtualMachines/db"],
    });
    const db = data.rows?.find((r) => r.name === "db01");
    const rules = db?.findings.map((i) => documents.check.findings[i]?.ruleId);
    expect(rules).toContain("missing-disk");
    expect(rules).toContain("shared-disk");
  });

  it("keeps a guest named </script> inside its JSON block", () => {
    // Seven data blocks and the page's script: no other script element.
    expect(html.match(/<script\b/gi)).toHaveLength(8);
    // (toBe, not toContain: a failure would print the whole page.)
    expect(html.includes("<script>window.pwned")).toBe(false);
    expect(html.includes("<!--")).toBe(false);
    expect(html.includes("\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned")).toBe(true);
    expect(blocks(html).rows?.some((r) => r.name === EVIL)).toBe(true);
  });

  it("fetches nothing: no http(s) source or link, a policy that forbids it", () => {
    expect(/\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html)).toBe(false);
    expect(/<link\b|@import|url\(\s*["']?https?:/i.test(html)).toBe(false);
    expect(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`)).toBe(
      true,
    );
    // The page's own script is inline and carries sigma.
    expect(/<script>[\s\S]*WebGL/.test(html)).toBe(true);
  });

  it("is the same page for the same documents (the layout is seeded)", () => {
    expect(renderReport(documents, { generatedAt: "2026-01-01T00:00:00Z" })).toBe(html);
    const positions = blocks(html).graph?.nodes.flatMap((n) => [n[5], n[6]]) ?? [];
    expect(positions.every(Number.isFinite)).toBe(true);
    expect(new Set(positions).size).toBeGreaterThan(2);
  });

  it("says INCOMPLETE in its title and data when the scan could not read everything", () => {
    const gap = {
      code: "unreadable",
      message: "cannot list the folder: EACCES",
      file: "/x/R/VirtualMachines",
    };
    const incomplete = { ...documents, scan: { ...documents.scan, complete: false, incomplete: [gap] } };
    const page = renderReport(incomplete, { title: "<Estate & co>" });
    expect(page).toContain("<title>INCOMPLETE: &lt;Estate &amp; co&gt;</title>");
    expect(blocks(page).meta).toMatchObject({ complete: false, incomplete: [gap] });
    expect(blocks(html).meta?.complete).toBe(true);
  });
});

describe("scriptJson", () => {
  it("never holds <, > or & and parses back to the value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        for (const v of [value, text, { name: `</script>${text}` }]) {
          const json = scriptJson(v);
          expect(json).not.toMatch(/[<>&\u2028\u2029]/);
          expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(v)));
        }
      }),
    );
  });
});
