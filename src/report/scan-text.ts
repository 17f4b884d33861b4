// Pure text rendering of a ScanResult (and of diagnostics): readable, with control characters escaped.
import { eachProblemOnce } from "../diagnostics.js";
import type { Owner, Reference, Repository, ScanResult } from "../schema/scan.js";
import { escapeText, formatDiagnostic, incompleteLines } from "./text.js";

const orNone = (value: string | null): string => (value === null ? "-" : escapeText(value));

const size = (bytes: number | null): string => (bytes === null ? "?" : String(bytes));

function repositoryLines(repository: Repository): string[] {
  const disks = repository.files.filter((f) => f.area === "VirtualDisks").length;
  const isos = repository.files.filter((f) => f.area === "ISOs").length;
  return [
    `  ${escapeText(repository.id)}  alias ${orNone(repository.alias)}  role ${repository.role ?? "-"}`,
    `    root ${escapeText(repository.root)}`,
    `    ${repository.files.length} files (${disks} in VirtualDisks, ${isos} in ISOs)`,
  ];
}

function referenceLine(reference: Reference): string {
  const where =
    reference.repository !== null && reference.file !== null
      ? `${escapeText(reference.repository)}/${escapeText(reference.file)}`
      : orNone(reference.path);
  const facts = [
    reference.vdev === "" ? null : escapeText(reference.vdev),
    reference.access,
    reference.present === false ? "MISSING" : null,
    reference.bytes === null
      ? null
      : `${size(reference.bytes)} bytes (${size(reference.allocatedBytes)} allocated)`,
    reference.linkTarget === null ? null : `link to ${escapeText(reference.linkTarget)}`,
  ].filter((fact) => fact !== null);
  return `      ${reference.kind.padEnd(13)} ${where}  ${facts.join(", ")}`.trimEnd();
}

function ownerLines(owner: Owner): string[] {
  const state = owner.running === null ? "" : owner.running ? "  running" : "  stopped";
  const lines = [
    `  ${escapeText(owner.ref)}${owner.ok ? "" : "  (vm.cfg not trusted)"}${state}`,
    `    name ${orNone(owner.name)}  simple name ${orNone(owner.simpleName)}  uuid ${orNone(owner.uuid)}`,
  ];
  if (owner.configLinkTarget !== null) {
    lines.push(`    vm.cfg is a link to ${escapeText(owner.configLinkTarget)} (not read)`);
  }
  for (const disk of owner.disks) lines.push(referenceLine(disk));
  for (const mount of owner.nfsMounts) {
    lines.push(
      `      nfs-mount     ${escapeText(mount.source)} on ${escapeText(mount.mountPoint)} (${mount.fstype})`,
    );
  }
  return lines;
}

function section<T>(title: string, items: readonly T[], render: (item: T) => string[]): string[] {
  return [`${title} (${items.length})`, ...items.flatMap(render), ""];
}

/** The `scan --format text` report: repositories, guests and templates with their disks, then problems. */
export function renderScanText(result: ScanResult): string {
  // Each problem once: a file's (a link's) with every vm.cfg position that reaches it.
  const problems = eachProblemOnce(result.diagnostics, [
    ...result.guests.flatMap((o) => o.diagnostics),
    ...result.templates.flatMap((o) => o.diagnostics),
  ]);
  return [
    ...incompleteLines(result),
    ...section("Repositories", result.repositories, repositoryLines),
    ...section("Guests", result.guests, ownerLines),
    ...section("Templates", result.templates, ownerLines),
    ...section("Problems", problems, (d) => [`  ${formatDiagnostic(d)}`]),
  ].join("\n");
}
