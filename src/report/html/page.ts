// The HTML report: one file that works offline. Its style, its script (sigma and graphology bundled in) and
// its data (the documents, as JSON blocks) are all inline; a Content-Security-Policy forbids fetching anything.
/// <reference path="./client-script.d.ts" />
import script from "virtual:report-client";
import { type ReportData, type ReportDocuments, type ReportOptions, reportData } from "./data.js";
import { STYLE } from "./style.js";

/** Text for an HTML element or attribute value. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as `\u003c`…, so that no value (a
 * guest named `</script>`) can end the block or open a comment; U+2028 and U+2029 too, for old parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Script text cannot hold `</script`: written `<\/script` it means the same in strings, regexes and comments. */
const inlineScript = (text: string): string => text.replace(/<\/(script)/gi, "<\\/$1");

/** Nothing is fetched: inline scripts and styles, data: images (the graph's snapshot for printing) only. */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:";

const PARTS: ReadonlyArray<keyof ReportData> = [
  "meta",
  "rows",
  "plan",
  "check",
  "rebuild",
  "graph",
  "diagnostics",
];

/** The page around the data: headings and empty containers the script fills. */
function body(title: string): string {
  return `<header>
<h1>${escapeHtml(title)}</h1>
<p id="generated"></p>
<div id="incomplete" class="incomplete" role="alert" hidden></div>
<dl id="facts" class="facts"></dl>
<p id="status" class="status" role="status">Building the page…</p>
<noscript><p class="incomplete">This report needs JavaScript to show its data.</p></noscript>
<nav><a href="#estate-section">Estate</a> · <a href="#graph-section">Graph</a> · <a href="#findings-section">Findings</a> · <a href="#diagnostics-section">Diagnostics</a> · <a href="#guests-section">Guests</a></nav>
</header>
<main>
<section id="estate-section">
<h2>Estate</h2>
<div class="controls">
<label>Text <input id="filter-text" type="search" placeholder="name or reference"></label>
<label>Repository <select id="filter-repository"><option value="">all</option></select></label>
<label>Coverage <select id="filter-coverage"><option value="">all</option></select></label>
<label>Finding <select id="filter-finding"><option value="">all</option></select></label>
<span id="estate-count"></span>
</div>
<table id="estate" class="estate"><thead><tr id="estate-head"></tr></thead><tbody id="estate-body"></tbody></table>
<button id="estate-all" class="more" type="button" hidden></button>
</section>
<section id="graph-section">
<h2>Dependency graph</h2>
<div class="controls">
<label>Guest <input id="search" type="search" list="guest-names" placeholder="search a guest"></label>
<datalist id="guest-names"></datalist>
<button id="reset" type="button">Whole estate</button>
<span id="search-result"></span>
<span id="legend" class="legend"></span>
</div>
<div class="graph-view"><div id="graph-canvas" class="graph-canvas"></div><aside id="focus" class="focus"></aside></div>
</section>
<section id="findings-section">
<h2>Findings</h2>
<div id="findings-body"></div>
</section>
<section id="diagnostics-section">
<h2>Diagnostics</h2>
<div class="controls"><label><input id="show-info" type="checkbox"> show info diagnostics</label></div>
<div id="diagnostics-body"></div>
</section>
<section id="guests-section">
<h2>Guests and templates</h2>
<p class="hint">Each section opens on a click; printing opens them all.</p>
<div id="guests-body"></div>
</section>
</main>`;
}

/**
 * The HTML report of an estate: summary, graph, findings, diagnostics and each guest's backup set and
 * rebuild facts, in one self-contained page built from the documents the other commands print.
 */
export function renderReport(documents: ReportDocuments, options: ReportOptions = {}): string {
  const data = reportData(documents, options);
  const title = data.meta.complete ? data.meta.title : `INCOMPLETE: ${data.meta.title}`;
  const blocks = PARTS.map(
    (name) => `<script type="application/json" id="data-${name}">${scriptJson(data[name])}</script>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body(data.meta.title)}
${blocks}
<script>${inlineScript(script)}</script>
</body>
</html>
`;
}
