// The report page's script, bundled with sigma and graphology into one IIFE that the page carries inline
// (scripts/report-client.ts builds it). It reads the JSON blocks the page embeds and builds the sections; data
// is only ever inserted as text (textContent), never as HTML.
import { MultiDirectedGraph } from "graphology";
import Sigma from "sigma";
import { humanBytes } from "../plan-text.js";
import type { ReportData, ReportRow } from "./data.js";

type Plan = ReportData["plan"]["guests"][number];
type Sheet = ReportData["rebuild"][number];
type Finding = ReportData["check"]["findings"][number];

/** A JSON block of the page. */
function part<K extends keyof ReportData>(name: K): ReportData[K] {
  const block = document.getElementById(`data-${name}`);
  return JSON.parse(block?.textContent ?? "null") as ReportData[K];
}

type Child = Node | string | null;

/** An element with a class and children; strings become text nodes. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; title?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.title) element.title = props.title;
  for (const child of children) {
    if (child !== null) element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
const count = (n: number): string => n.toLocaleString("en-US");

/** Bytes as people read them (1.5 GiB), as `plan` prints them; unknown sizes say so. */
const size = (bytes: number | null): string => (bytes === null ? "unknown" : humanBytes(bytes));

const yesNo = (value: boolean | null): string => (value === null ? "unknown" : value ? "yes" : "no");

/** Let the browser paint between chunks of work. */
const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A table with a header row and body rows of cells. */
function table(headers: string[], rows: Child[][], className = ""): HTMLTableElement {
  return h(
    "table",
    { className },
    h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", {}, text)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

/** Rows a long table shows at first; a button shows the rest (thousands of findings would slow the page). */
const FIRST_ROWS = 200;
const expanders: Array<() => void> = [];

/** A table of the first rows of `rows` (made by `cells` when shown), and a button that shows them all. */
function longTable<T>(headers: string[], rows: readonly T[], cells: (row: T) => Child[]): HTMLElement {
  const shown = table(headers, rows.slice(0, FIRST_ROWS).map(cells));
  if (rows.length <= FIRST_ROWS) return shown;
  const more = h("button", { className: "more" }, `Show all ${count(rows.length)}`);
  more.type = "button";
  const expand = (): void => {
    if (!more.isConnected) return;
    const body = shown.tBodies[0]!;
    const fragment = document.createDocumentFragment();
    for (const row of rows.slice(FIRST_ROWS))
      fragment.append(h("tr", {}, ...cells(row).map((c) => h("td", {}, c))));
    body.append(fragment);
    more.remove();
  };
  more.addEventListener("click", expand);
  expanders.push(expand);
  return h("div", {}, shown, more);
}

performance.mark("report:start");
const data = {
  meta: part("meta"),
  rows: part("rows"),
  plan: part("plan"),
  check: part("check"),
  rebuild: part("rebuild"),
  graph: part("graph"),
  diagnostics: part("diagnostics"),
};
performance.mark("report:parsed");
const plans = new Map<string, Plan>(data.plan.guests.map((p) => [p.owner, p]));
const sheets = new Map<string, Sheet>(data.rebuild.map((s) => [s.owner, s]));
const rowsByRef = new Map<string, ReportRow>(data.rows.map((r) => [r.ref, r]));
const repositoryName = new Map(data.meta.repositories.map((r) => [r.id, r.alias ?? r.id]));
const rowsByNode = new Map<string, ReportRow>(
  data.rows.flatMap((r) => {
    const key = r.node === null ? undefined : data.graph.nodes[r.node]?.[0];
    return key === undefined ? [] : [[key, r]];
  }),
);
const ownerName = (ref: string): string => rowsByRef.get(ref)?.name ?? ref;
const status = byId("status");

// --- header: what was scanned, and INCOMPLETE when something could not be read

function renderHeader(): void {
  const { meta, check, rows } = data;
  byId("generated").textContent = `Generated ${meta.generatedAt} from ${meta.roots.join(", ")}`;
  if (!meta.complete) {
    const banner = byId("incomplete");
    banner.hidden = false;
    banner.append(
      h(
        "strong",
        {},
        `INCOMPLETE: ${count(meta.incomplete.length)} thing(s) could not be read; nothing in this report is complete, clean or safe about them.`,
      ),
      h(
        "ul",
        {},
        ...meta.incomplete.map((g) =>
          h("li", {}, `${g.code}: ${g.message}${g.file === null ? "" : ` (${g.file})`}`),
        ),
      ),
    );
  }
  const guests = rows.filter((r) => r.type === "guest").length;
  const facts: Array<[string, string]> = [
    ["Repositories", count(meta.repositories.length)],
    ["Guests", count(guests)],
    ["Templates", count(rows.length - guests)],
    ["Backup set", `${size(data.plan.totals.bytes)} (${size(data.plan.totals.allocatedBytes)} allocated)`],
    ["Errors", count(check.summary.errors)],
    ["Warnings", count(check.summary.warnings)],
    ["Notes", count(check.summary.notes)],
    ["Suppressed", count(check.summary.suppressed)],
  ];
  byId("facts").append(...facts.map(([name, value]) => h("div", {}, h("dt", {}, name), h("dd", {}, value))));
}

// --- the estate summary: one row per guest and template, sortable and filterable

const COLUMNS: Array<{
  title: string;
  key: (r: ReportRow) => string | number;
  cell: (r: ReportRow) => Child;
}> = [
  { title: "Name", key: (r) => r.name.toLowerCase(), cell: (r) => ownerLink(r.ref, r.name) },
  { title: "Type", key: (r) => r.type, cell: (r) => r.type },
  {
    title: "Repository",
    key: (r) => repositoryName.get(r.repository) ?? r.repository,
    cell: (r) => repositoryName.get(r.repository) ?? r.repository,
  },
  { title: "Running", key: (r) => yesNo(r.running), cell: (r) => yesNo(r.running) },
  { title: "Disks", key: (r) => r.disks, cell: (r) => String(r.disks) },
  { title: "Bytes", key: (r) => r.bytes ?? -1, cell: (r) => size(r.bytes) },
  { title: "Allocated", key: (r) => r.allocatedBytes ?? -1, cell: (r) => size(r.allocatedBytes) },
  {
    title: "Coverage",
    key: (r) => r.coverage,
    cell: (r) => h("span", { className: `coverage ${r.coverage}` }, r.coverage),
  },
  {
    title: "Shared with",
    key: (r) => r.sharedWith.length,
    cell: (r) => r.sharedWith.map(ownerName).join(", "),
  },
  {
    title: "Findings",
    key: (r) => r.findings.length,
    cell: (r) =>
      [...new Set(r.findings.map((i) => data.check.findings[i]?.ruleId ?? ""))].join(", ") ||
      (r.findings.length === 0 ? "" : "?"),
  },
];

/** A guest's name that focuses it in the graph. */
function ownerLink(ref: string, name: string): HTMLButtonElement {
  const button = h("button", { className: "owner", title: ref }, name);
  button.type = "button";
  button.dataset.ref = ref;
  return button;
}

/** Each row's element, made when first shown. */
const tableRows = new Map<ReportRow, HTMLTableRowElement>();
let sortColumn = 0;
let sortDescending = false;
/** Rows the table shows at most until "Show all": 10,000 rows would take seconds to lay out. */
const TABLE_LIMIT = 500;
let tableLimit = TABLE_LIMIT;

function rowElement(row: ReportRow): HTMLTableRowElement {
  let tr = tableRows.get(row);
  if (tr === undefined) {
    tr = h("tr", {}, ...COLUMNS.map((column) => h("td", {}, column.cell(row))));
    tr.dataset.ref = row.ref;
    tableRows.set(row, tr);
  }
  return tr;
}

/** The filters: text (name or reference), repository, coverage, rule. */
function matches(row: ReportRow): boolean {
  const text = (byId("filter-text") as HTMLInputElement).value.trim().toLowerCase();
  const repository = (byId("filter-repository") as HTMLSelectElement).value;
  const coverage = (byId("filter-coverage") as HTMLSelectElement).value;
  const rule = (byId("filter-finding") as HTMLSelectElement).value;
  if (text !== "" && !row.name.toLowerCase().includes(text) && !row.ref.toLowerCase().includes(text))
    return false;
  if (repository !== "" && row.repository !== repository) return false;
  if (coverage !== "" && row.coverage !== coverage) return false;
  if (rule === "(none)") return row.findings.length === 0;
  if (rule === "(any)") return row.findings.length > 0;
  if (rule !== "" && !row.findings.some((i) => data.check.findings[i]?.ruleId === rule)) return false;
  return true;
}

/** The rows in the chosen order. */
let sortedRows: ReportRow[] = [];

function applySort(): void {
  const column = COLUMNS[sortColumn]!;
  sortedRows = [...data.rows].sort((a, b) => {
    const x = column.key(a);
    const y = column.key(b);
    const order = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return sortDescending ? -order : order;
  });
  document.querySelectorAll<HTMLElement>("#estate th").forEach((th, i) => {
    th.setAttribute("aria-sort", i === sortColumn ? (sortDescending ? "descending" : "ascending") : "none");
  });
  applyFilters();
}

/** Show the matching rows, in order, up to the limit; say how many match and how many are shown. */
function applyFilters(): void {
  const matching = sortedRows.filter(matches);
  const shown = matching.slice(0, tableLimit);
  byId("estate-body").replaceChildren(...shown.map(rowElement));
  const all = byId("estate-all");
  all.hidden = shown.length === matching.length;
  all.textContent = `Show all ${count(matching.length)}`;
  const of = `${count(matching.length)} of ${count(data.rows.length)} match`;
  byId("estate-count").textContent =
    shown.length < matching.length ? `${of}; the first ${count(shown.length)} shown` : of;
}

function option(value: string, text: string): HTMLOptionElement {
  const o = h("option", {}, text);
  o.value = value;
  return o;
}

async function renderEstate(): Promise<void> {
  const head = byId("estate-head");
  COLUMNS.forEach((column, i) => {
    const th = h("th", { title: "sort" }, column.title);
    th.addEventListener("click", () => {
      sortDescending = sortColumn === i ? !sortDescending : false;
      sortColumn = i;
      applySort();
    });
    head.append(th);
  });
  byId("filter-repository").append(
    ...data.meta.repositories.map((r) => option(r.id, r.alias === null ? r.id : `${r.alias} (${r.id})`)),
  );
  byId("filter-coverage").append(...["complete", "partial", "none"].map((c) => option(c, c)));
  const rules = [...new Set(data.check.findings.map((f) => f.ruleId))].sort();
  byId("filter-finding").append(option("(any)", "any finding"), option("(none)", "no finding"));
  byId("filter-finding").append(...rules.map((rule) => option(rule, rule)));
  for (const id of ["filter-text", "filter-repository", "filter-coverage", "filter-finding"]) {
    byId(id).addEventListener("input", applyFilters);
  }
  byId("estate-all").addEventListener("click", () => {
    tableLimit = Number.POSITIVE_INFINITY;
    applyFilters();
  });
  applySort();
}

// --- findings by rule, with the rule's explanation; diagnostics

function place(repository: string | null, file: string | null, line: number | null): string {
  const where =
    repository === null ? (file ?? "-") : `${repositoryName.get(repository) ?? repository}/${file ?? ""}`;
  return line === null ? where : `${where}:${line}`;
}

function findingCells(finding: Finding): Child[] {
  return [
    h("span", { className: `severity ${finding.severity}` }, finding.severity),
    place(finding.repository, finding.file, finding.line),
    finding.message,
    finding.source === null ? "" : place(finding.source.repository, finding.source.file, finding.source.line),
    finding.suppression ?? "",
  ];
}

function renderFindings(): void {
  const target = byId("findings-body");
  const { check } = data;
  const quiet: string[] = [];
  for (const rule of check.rules) {
    const findings = check.findings.filter((f) => f.ruleId === rule.id);
    if (findings.length === 0) {
      quiet.push(rule.id);
      continue;
    }
    const open = findings.filter((f) => !f.suppressed);
    const section = h(
      "section",
      { className: "rule" },
      h(
        "h3",
        {},
        h("span", { className: `severity ${rule.severity}` }, rule.severity),
        " ",
        h("code", { className: "rule-id" }, rule.id),
        ` — ${rule.title} (${count(open.length)}${open.length < findings.length ? ` + ${findings.length - open.length} suppressed` : ""})`,
      ),
      h("p", { className: "explanation" }, rule.description),
      longTable(
        ["Severity", "Where", "Finding", "From", "Suppressed"],
        [...open, ...findings.filter((f) => f.suppressed)],
        findingCells,
      ),
    );
    section.dataset.rule = rule.id;
    target.append(section);
  }
  target.append(
    h(
      "p",
      {},
      check.findings.length === 0 ? "No findings." : "",
      quiet.length === 0 ? "" : ` No findings for: ${quiet.join(", ")}.`,
    ),
  );
  const diagnostics = byId("diagnostics-body");
  const showInfo = byId("show-info") as HTMLInputElement;
  const draw = (): void => {
    const shown = data.diagnostics.filter((d) => showInfo.checked || d.severity !== "info");
    diagnostics.replaceChildren(
      shown.length === 0
        ? h("p", {}, "No diagnostics.")
        : longTable(["Severity", "Code", "Where", "Message"], shown, (d) => [
            h("span", { className: `severity ${d.severity}` }, d.severity),
            h("code", {}, d.code),
            [d.file ?? "", d.line ?? null].filter((p) => p !== null && p !== "").join(":"),
            d.message,
          ]),
    );
  };
  showInfo.addEventListener("change", draw);
  draw();
}

// --- per guest: backup set, what is outside the repositories, rebuild facts

function guestDetails(row: ReportRow): HTMLElement {
  const plan = plans.get(row.ref);
  const sheet = sheets.get(row.ref);
  const parts: Child[] = [h("p", { className: "ref" }, row.ref)];
  if (plan) {
    parts.push(
      h("h4", {}, `Backup set (coverage ${plan.coverage})`),
      table(
        ["Role", "File", "Bytes", "Allocated"],
        plan.files.map((f) => [
          f.role,
          `${repositoryName.get(f.repository) ?? f.repository}/${f.file}`,
          size(f.bytes),
          size(f.allocatedBytes),
        ]),
      ),
    );
    if (plan.resources.length > 0)
      parts.push(
        h("h4", {}, "ISOs (backed up with the resources)"),
        h("ul", {}, ...plan.resources.map((r) => h("li", {}, `${r.repository}/${r.file}`))),
      );
    parts.push(
      h("h4", {}, "Outside the repositories"),
      plan.outside.length === 0
        ? h("p", {}, "Nothing: a repository copy covers it.")
        : table(
            ["Kind", "What", "Needs"],
            plan.outside.map((o) => [o.kind, o.ref, o.needs]),
          ),
    );
    if (plan.shared.length > 0)
      parts.push(
        h("h4", {}, "Shared"),
        table(
          ["File", "Used by"],
          plan.shared.map((s) => [s.ref, s.users.map(ownerName).join(", ")]),
        ),
      );
    if (plan.warnings.length > 0)
      parts.push(
        h(
          "ul",
          { className: "warnings" },
          ...plan.warnings.map((w) => h("li", {}, `${w.code}: ${w.message}`)),
        ),
      );
  } else parts.push(h("p", {}, "Not planned."));
  if (sheet) {
    const facts: Array<[string, string]> = [
      ["Name", sheet.name ?? "unknown"],
      ["UUID", sheet.uuid ?? "unknown"],
      ["Domain type", sheet.domainType ?? "unknown"],
      ["Memory", sheet.memory === null ? "unknown" : `${sheet.memory} MiB`],
      ["vCPUs", sheet.vcpus === null ? "unknown" : String(sheet.vcpus)],
    ];
    parts.push(
      h("h4", {}, "Rebuild facts"),
      h("dl", { className: "facts" }, ...facts.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v)))),
      table(
        ["Device", "Type", "Kind", "Path", "Bytes"],
        sheet.disks.map((d) => [d.vdev, d.devtype, d.kind, d.path ?? "(empty)", size(d.bytes)]),
      ),
      sheet.vifs.length === 0
        ? h("p", {}, "No network interfaces.")
        : table(
            ["MAC", "Bridge"],
            sheet.vifs.map((v) => [v.mac ?? "(generated)", v.bridge ?? "(default)"]),
          ),
      h("h4", {}, "NFS mounts"),
      !sheet.nfsMountsKnown
        ? h("p", { className: "unknown" }, "Unknown: no backup of the guest's /etc/fstab was read.")
        : sheet.nfsMounts.length === 0
          ? h("p", {}, "None.")
          : table(
              ["Source", "Mount point", "Type", "Options"],
              sheet.nfsMounts.map((m) => [m.source, m.mountPoint, m.fstype, m.options ?? ""]),
            ),
    );
    if (sheet.addresses.length > 0)
      parts.push(
        h("h4", {}, "Addresses"),
        table(
          ["Address", "Names", "From"],
          sheet.addresses.map((a) => [a.address, a.names.join(" "), a.file]),
        ),
      );
    if (sheet.diagnostics.length > 0)
      parts.push(
        h(
          "ul",
          { className: "warnings" },
          ...sheet.diagnostics.map((d) => h("li", {}, `${d.severity} ${d.code}: ${d.message}`)),
        ),
      );
  }
  return h("div", { className: "guest-body" }, ...parts);
}

/** Guests' sections are filled when opened (or printed): 10,000 of them at once would make the page slow. */
function fill(details: HTMLDetailsElement): void {
  if (details.dataset.filled === "true") return;
  const row = rowsByRef.get(details.dataset.ref ?? "");
  if (row) details.append(guestDetails(row));
  details.dataset.filled = "true";
}

function renderGuests(): void {
  // One append: each append the browser lays out is a pass over the whole page.
  const fragment = document.createDocumentFragment();
  for (const row of data.rows) {
    const details = h(
      "details",
      { className: "guest" },
      h(
        "summary",
        {},
        `${row.name} — ${row.type} in ${repositoryName.get(row.repository) ?? row.repository}`,
      ),
    );
    details.dataset.ref = row.ref;
    details.addEventListener("toggle", () => fill(details), { once: true });
    fragment.append(details);
  }
  byId("guests-body").append(fragment);
}

/** Printing opens every guest's section (up to a limit a printer can take). */
const PRINT_LIMIT = 2000;
window.addEventListener("beforeprint", () => {
  for (const expand of expanders.splice(0)) expand();
  if (tableLimit < data.rows.length) {
    tableLimit = Number.POSITIVE_INFINITY;
    applyFilters();
  }
  const all = [...document.querySelectorAll<HTMLDetailsElement>("details.guest")];
  for (const details of all.slice(0, PRINT_LIMIT)) {
    fill(details);
    details.open = true;
  }
});

// --- the graph: sigma over graphology, positions computed when the report was built

const COLORS: Record<string, string> = {
  repository: "#6b7280",
  guest: "#2563eb",
  template: "#7c3aed",
  "virtual-disk": "#059669",
  iso: "#a16207",
  "physical-disk": "#db2777",
  "external-file": "#ea580c",
  "nfs-export": "#0891b2",
  assembly: "#4b5563",
};
const SIZES: Record<string, number> = { repository: 8, guest: 6, template: 6 };

const graph = new MultiDirectedGraph();
let renderer: Sigma | null = null;
let focused: Set<string> | null = null;
let focusedNode: string | null = null;

function buildGraph(): void {
  for (const [key, kind, label, , flags, x, y] of data.graph.nodes) {
    graph.addNode(key, {
      x,
      y,
      label,
      kind,
      size: SIZES[kind] ?? 3,
      color: flags & 2 ? "#dc2626" : flags & 1 ? "#f59e0b" : (COLORS[kind] ?? "#999"),
    });
  }
  for (const [source, target, kind] of data.graph.edges) {
    const from = data.graph.nodes[source]?.[0];
    const to = data.graph.nodes[target]?.[0];
    if (from !== undefined && to !== undefined && kind !== "contains")
      graph.addEdge(from, to, { kind, color: kind === "mounts" ? "#67e8f9" : "#cbd5e1", size: 1 });
  }
  byId("legend").append(
    ...Object.entries(COLORS).map(([kind, color]) => {
      const swatch = h("span", { className: "swatch" });
      swatch.style.background = color;
      return h("span", {}, swatch, kind);
    }),
    ...[
      ["shared", "#f59e0b"],
      ["missing", "#dc2626"],
    ].map(([what, color]) => {
      const swatch = h("span", { className: "swatch" });
      swatch.style.background = color!;
      return h("span", {}, swatch, what!);
    }),
  );
}

function startRenderer(): void {
  const container = byId("graph-canvas");
  try {
    renderer = new Sigma(graph, container, {
      labelRenderedSizeThreshold: 6,
      hideEdgesOnMove: graph.size > 20000,
      zIndex: true,
      nodeReducer: (node, attributes) => {
        if (focused === null) return attributes;
        if (node === focusedNode) return { ...attributes, highlighted: true, zIndex: 2, forceLabel: true };
        if (focused.has(node)) return { ...attributes, zIndex: 1, forceLabel: true };
        return { ...attributes, color: "#e5e7eb", label: "", zIndex: 0 };
      },
      edgeReducer: (edge, attributes) => {
        if (focused === null) return attributes;
        const [source, target] = graph.extremities(edge);
        return focused.has(source) && focused.has(target)
          ? { ...attributes, color: "#334155", size: 2 }
          : { ...attributes, hidden: true };
      },
    });
  } catch (error) {
    container.replaceChildren(
      h("p", { className: "unknown" }, `The graph cannot be drawn here (WebGL: ${String(error)}).`),
    );
    return;
  }
  renderer.on("clickNode", ({ node }) => focusNode(node));
  renderer.on("clickStage", () => clearFocus());
}

/** The nodes around `node`: what it uses or is used by, and the other users of those (sharers). */
function neighbourhood(node: string): Set<string> {
  const set = new Set([node]);
  const isRepository = (n: string): boolean => graph.getNodeAttribute(n, "kind") === "repository";
  for (const neighbour of graph.neighbors(node)) {
    if (isRepository(neighbour)) continue;
    set.add(neighbour);
    for (const second of graph.neighbors(neighbour)) if (!isRepository(second)) set.add(second);
  }
  return set;
}

function focusNode(node: string): void {
  if (!graph.hasNode(node)) return;
  focused = neighbourhood(node);
  focusedNode = node;
  renderFocusPanel(node);
  if (renderer === null) return;
  renderer.refresh();
  const points = [...focused].map((n) => renderer!.getNodeDisplayData(n)).filter((d) => d !== undefined);
  // A loop, not a spread into Math.max: a neighbourhood (an ISO every guest mounts) can outgrow the call stack.
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of points) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const extent = Math.max(maxX - minX, maxY - minY);
  const center = { x: (maxX + minX) / 2, y: (maxY + minY) / 2 };
  void renderer
    .getCamera()
    .animate({ ...center, ratio: Math.min(1, Math.max(0.01, extent * 1.6)) }, { duration: 400 });
}

function clearFocus(): void {
  focused = null;
  focusedNode = null;
  byId("focus").replaceChildren(
    h("p", { className: "hint" }, "Click a node, a name in the table, or search a guest."),
  );
  renderer?.refresh();
  void renderer?.getCamera().animatedReset({ duration: 300 });
}

/** The focus view: the guest (or node) and its disks, what it shares and its findings. */
function renderFocusPanel(node: string): void {
  const panel = byId("focus");
  const attributes = graph.getNodeAttributes(node);
  const row = rowsByNode.get(node);
  if (row === undefined) {
    const users = graph.inNeighbors(node).filter((n) => graph.getNodeAttribute(n, "kind") !== "repository");
    panel.replaceChildren(
      h("h3", {}, String(attributes.label)),
      h("p", {}, `${attributes.kind}: ${node}`),
      h("h4", {}, "Used by"),
      users.length === 0
        ? h("p", {}, "No guest or template.")
        : h("ul", {}, ...users.map((u) => h("li", {}, String(graph.getNodeAttribute(u, "label"))))),
    );
    return;
  }
  const sheet = sheets.get(row.ref);
  const plan = plans.get(row.ref);
  const where = (kind: string, place: string): HTMLElement =>
    h("div", {}, h("div", { className: "kind" }, kind), h("div", { className: "ref" }, place));
  const disks: Child[][] = sheet
    ? sheet.disks.map((d) => [
        d.vdev,
        where(
          d.kind,
          d.file === null
            ? (d.path ?? "(empty)")
            : `${repositoryName.get(d.repository ?? "") ?? d.repository}/${d.file}`,
        ),
        size(d.bytes),
      ])
    : (plan?.files ?? [])
        .filter((f) => f.role === "disk")
        .map((f) => ["", where("virtual-disk", `${f.repository}/${f.file}`), size(f.bytes)]);
  panel.replaceChildren(
    h("h3", {}, row.name),
    h("p", { className: "ref" }, row.ref),
    h(
      "p",
      {},
      `${row.type} in ${repositoryName.get(row.repository) ?? row.repository}; running: ${yesNo(row.running)}; coverage: ${row.coverage}`,
    ),
    h("h4", {}, `Disks (${disks.length})`),
    table(["Device", "Kind and place", "Bytes"], disks, "disks"),
    ...(plan && plan.outside.length > 0
      ? [
          h("h4", {}, "Outside the repositories"),
          h("ul", {}, ...plan.outside.map((o) => h("li", {}, `${o.kind} ${o.ref}: ${o.needs}`))),
        ]
      : []),
    ...(row.sharedWith.length > 0
      ? [h("h4", {}, "Shares with"), h("p", {}, row.sharedWith.map(ownerName).join(", "))]
      : []),
    ...(row.findings.length > 0
      ? [
          h("h4", {}, "Findings"),
          h(
            "ul",
            {},
            ...row.findings
              .map((i) => data.check.findings[i])
              .filter((f) => f !== undefined)
              .map((f) => h("li", {}, `${f.ruleId}: ${f.message}`)),
          ),
        ]
      : []),
  );
}

function focusOwner(ref: string): void {
  const row = rowsByRef.get(ref);
  const node = row?.node === null || row === undefined ? undefined : data.graph.nodes[row.node]?.[0];
  if (node !== undefined) focusNode(node);
}

function renderSearch(): void {
  const list = byId("guest-names");
  list.append(...data.rows.map((r) => option(r.name, r.ref)));
  const input = byId("search") as HTMLInputElement;
  const search = (): void => {
    const text = input.value.trim().toLowerCase();
    if (text === "") return;
    const found =
      data.rows.find((r) => r.name.toLowerCase() === text || r.ref.toLowerCase() === text) ??
      data.rows.find((r) => r.name.toLowerCase().includes(text) || r.ref.toLowerCase().includes(text));
    byId("search-result").textContent = found === undefined ? "no guest or template matches" : "";
    if (found) focusOwner(found.ref);
  };
  input.addEventListener("change", search);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") search();
  });
  byId("reset").addEventListener("click", clearFocus);
}

// Owner names anywhere in the page (table, findings) focus the graph.
document.addEventListener("click", (event) => {
  const button = (event.target as Element | null)?.closest?.("button.owner") as HTMLButtonElement | null;
  if (button?.dataset.ref) {
    focusOwner(button.dataset.ref);
    byId("graph-section").scrollIntoView({ behavior: "smooth" });
  }
});

declare global {
  interface Window {
    /** For tests and the curious: the renderer, the graph, and how to focus a guest by its reference. */
    ovmReport?: {
      sigma: Sigma | null;
      graph: MultiDirectedGraph;
      focusOwner: (ref: string) => void;
      ready: boolean;
    };
  }
}

/** Run one step of building the page, marked for the performance timeline (the bench reads the marks). */
async function step(name: string, run: () => void | Promise<void>): Promise<void> {
  await run();
  performance.mark(`report:${name}`);
}

async function main(): Promise<void> {
  // The table first: it is what people read first, and drawing a large graph takes a while.
  await step("header", renderHeader);
  await step("estate", renderEstate);
  await step("findings", renderFindings);
  status.textContent = `Drawing the graph: ${count(data.graph.nodes.length)} nodes…`;
  await breathe();
  await step("graph", buildGraph);
  await step("renderer", startRenderer);
  await step("search", renderSearch);
  clearFocus();
  window.ovmReport = { sigma: renderer, graph, focusOwner, ready: false };
  await step("guests", renderGuests);
  status.textContent = "";
  status.hidden = true;
  window.ovmReport.ready = true;
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "true";
}

// Let the browser paint the page's frame first; the sections follow.
requestAnimationFrame(() => setTimeout(() => void main(), 0));
