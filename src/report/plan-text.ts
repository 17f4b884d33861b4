// The `text` format of `plan`: a readable per-guest backup set (names with control characters escaped).
import type { Warning } from "../schema/diagnostic.js";
import type { Capacity, Outside, Plan, PlanResult, ResourcePlan } from "../schema/plan.js";
import { escapeText, incompleteLines } from "./text.js";

/** A size for people: bytes with a binary unit, `?` when unknown. */
export function humanBytes(bytes: number | null): string {
  if (bytes === null) return "?";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** One line per thing no repository copy covers, with what it needs instead. */
export function outsideLines(outside: readonly Outside[], indent: string): string[] {
  return outside.map((o) => `${indent}${o.kind} ${escapeText(o.ref)}: needs ${o.needs}`);
}

/** One line per warning. */
export function warningLines(warnings: readonly Warning[], indent: string): string[] {
  return warnings.map((w) => `${indent}warning ${w.code}: ${escapeText(w.message)}`);
}

/** The lines of a total (and the rotation it sizes). */
function totalLines(totals: {
  bytes: number;
  allocatedBytes: number;
  capacity?: Capacity | undefined;
}): string[] {
  const lines = [
    `total: ${humanBytes(totals.bytes)} apparent, ${humanBytes(totals.allocatedBytes)} allocated`,
  ];
  const c = totals.capacity;
  if (c !== undefined) {
    lines.push(
      `capacity: ${humanBytes(c.bytes)} (allocated × growth ${c.growth} × (${c.retain} retained + ${c.adhoc} ad hoc))`,
    );
  }
  return lines;
}

/** The lines of one backup set. */
function planLines(plan: Plan): string[] {
  const running = plan.running === null ? "unknown" : plan.running ? "yes" : "no";
  const lines = [
    `${escapeText(plan.owner)}${plan.simpleName === null ? "" : ` (${escapeText(plan.simpleName)})`}`,
    `  coverage ${plan.coverage}, running ${running}`,
  ];
  if (plan.files.length > 0) lines.push("  files:");
  for (const f of plan.files) {
    lines.push(
      f.linkTo === undefined
        ? `    ${f.role.padEnd(6)} ${escapeText(f.path)}  ${humanBytes(f.bytes)} (${humanBytes(f.allocatedBytes)} allocated)`
        : `    ${f.role.padEnd(6)} ${escapeText(f.path)} -> ${escapeText(f.linkTo)}`,
    );
  }
  if (plan.resources.length > 0) lines.push("  resources (backed up with the resources repository):");
  for (const r of plan.resources) lines.push(`    iso    ${escapeText(r.path)}`);
  if (plan.outside.length > 0) lines.push("  outside every repository copy:");
  for (const line of outsideLines(plan.outside, "    ")) lines.push(line);
  if (plan.shared.length > 0) lines.push("  shared:");
  for (const s of plan.shared)
    lines.push(`    ${escapeText(s.ref)} used by ${s.users.map(escapeText).join(", ")}`);
  for (const line of warningLines(plan.warnings, "  ")) lines.push(line);
  return lines;
}

/** Render a `plan` document for people. */
export function renderPlanText(result: PlanResult): string {
  const lines: string[] = incompleteLines(result);
  for (const plan of result.guests) {
    for (const line of planLines(plan)) lines.push(line);
    lines.push("");
  }
  lines.push(`${result.guests.length} backup set(s)`, ...totalLines(result.totals));
  return `${lines.join("\n")}\n`;
}

/** Render a `plan --resources` document for people. */
export function renderResourcesText(plan: ResourcePlan): string {
  const lines: string[] = incompleteLines(plan);
  if (plan.repositories.length === 0)
    lines.push("no resources repository (alias Templates…, or a policy role) was scanned");
  for (const r of plan.repositories) {
    lines.push(
      `${escapeText(r.id)}${r.alias === null ? "" : ` (${escapeText(r.alias)})`}  ${escapeText(r.root)}`,
    );
  }
  for (const r of plan.uncovered ?? []) {
    lines.push(
      `NOT COVERED: ${escapeText(r.id)}${r.alias === null ? "" : ` (${escapeText(r.alias)})`}  ${escapeText(r.root)}: holds templates, ISOs or assemblies but has no resources role`,
    );
  }
  lines.push("", `${plan.templates.length} template(s):`);
  for (const t of plan.templates) lines.push(`  ${escapeText(t.owner)}  coverage ${t.coverage}`);
  lines.push("", "files:");
  for (const f of plan.files)
    lines.push(`  ${f.role.padEnd(8)} ${escapeText(f.path)}  ${humanBytes(f.bytes)}`);
  if (plan.outside.length > 0) lines.push("", "outside every repository copy:");
  for (const line of outsideLines(plan.outside, "  ")) lines.push(line);
  lines.push("");
  for (const line of totalLines(plan.totals)) lines.push(line);
  return `${lines.join("\n")}\n`;
}
