// The report's style sheet: readable on a laptop, printable (tables full width, the graph left out).
export const STYLE = `
:root { color-scheme: light; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
header, main { padding: 0 24px; }
h1 { font-size: 22px; margin: 16px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
h4 { font-size: 13px; margin: 12px 0 4px; color: #374151; }
#generated, .hint, .ref { color: var(--muted); margin: 0; }
.ref { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.incomplete { background: #fef2f2; border: 2px solid #dc2626; color: #991b1b; padding: 8px 12px; margin: 8px 0; font-size: 15px; }
.status { color: var(--accent); }
/* What is off screen is not laid out or painted until scrolled to: a large estate stays quick. */
#findings-section, #diagnostics-section, #guests-section { content-visibility: auto; contain-intrinsic-size: auto 2000px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0; }
.facts div { display: flex; gap: 6px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; }
nav a { color: var(--accent); }
.controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 8px 0; }
.controls input[type=search] { width: 16em; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f9fafb; position: sticky; top: 0; }
/* Fixed layout: a table of 10,000 rows is laid out from its header, not by measuring every cell. */
#estate { table-layout: fixed; }
#estate th:nth-child(1) { width: 15%; }
#estate th:nth-child(2), #estate th:nth-child(4), #estate th:nth-child(5) { width: 6%; }
#estate th:nth-child(3) { width: 11%; }
#estate th:nth-child(6), #estate th:nth-child(7), #estate th:nth-child(8) { width: 8%; }
#estate th:nth-child(9) { width: 13%; }
#estate th { cursor: pointer; user-select: none; }
button.more { margin: 0 0 8px; }
#estate th[aria-sort=ascending]::after { content: " ▲"; }
#estate th[aria-sort=descending]::after { content: " ▼"; }
td { word-break: break-word; }
#estate td:nth-child(n + 4):nth-child(-n + 7) { white-space: nowrap; }
button.owner { border: 0; background: none; padding: 0; color: var(--accent); cursor: pointer; font: inherit; text-align: left; }
button.owner:hover { text-decoration: underline; }
.coverage.complete { color: #047857; }
.coverage.partial { color: #b45309; font-weight: 600; }
.coverage.none, .coverage.unknown { color: #b91c1c; font-weight: 600; }
.severity { font-weight: 600; text-transform: uppercase; font-size: 11px; }
.severity.error { color: #b91c1c; }
.severity.warning { color: #b45309; }
.severity.note, .severity.info { color: var(--muted); }
.explanation { margin: 0 0 4px; max-width: 80em; }
.unknown { color: #b91c1c; }
.graph-view { display: grid; grid-template-columns: minmax(0, 1fr) 28em; gap: 12px; height: 70vh; min-height: 420px; }
.graph-canvas { border: 1px solid var(--line); border-radius: 4px; position: relative; min-height: 400px; background: #fff; }
.focus { border: 1px solid var(--line); border-radius: 4px; padding: 8px 12px; overflow: auto; }
.focus h3 { margin-top: 0; }
.focus table.disks td:nth-child(2) { width: 100%; }
.focus table.disks td:last-child { white-space: nowrap; }
.kind { font-size: 12px; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 3px; }
details.guest { border-bottom: 1px solid var(--line); padding: 2px 0; }
details.guest > summary { cursor: pointer; }
.guest-body { padding: 4px 0 12px 16px; }
@media (max-width: 900px) { .graph-view { grid-template-columns: 1fr; height: auto; } .graph-canvas { height: 60vh; } }
@media print {
  header, main { padding: 0; }
  nav, .controls, #status, #graph-section, .hint, button.more { display: none !important; }
  table { width: 100%; font-size: 11px; }
  th { position: static; }
  h2 { break-after: avoid; }
  section.rule, details.guest { break-inside: avoid-page; }
  button.owner { color: inherit; }
  #findings-section, #diagnostics-section, #guests-section { content-visibility: visible; }
}
`;
