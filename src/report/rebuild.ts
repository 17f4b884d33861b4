// The `rebuild` sheet for people (text; markdown, a printable checklist in the order the rebuild happens)
// and for rsync (`rsync-exclude`: one anchored pattern per line).
import type { RebuildDisk, RebuildSheet } from "../schema/rebuild.js";
import { escapeText, formatDiagnostic } from "./text.js";

/** A step of the rebuild: its title and its items, each one thing to do or check. */
interface Step {
  title: string;
  items: string[];
}

/** How a value is shown: `code` (markdown: in backticks) after escaping what a terminal would act on. */
type Show = (text: string) => string;

const GIB = 1024 ** 3;

/** A size in bytes, with a rounded GiB/MiB figure for people. */
function size(bytes: number | null): string {
  if (bytes === null) return "size unknown";
  const rounded = bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${rounded} (${bytes} bytes)`;
}

/** What to do for one disk entry. */
function diskItem(disk: RebuildDisk, show: Show): string {
  const where =
    disk.file !== null && disk.repository !== null ? `${disk.repository}/${disk.file}` : disk.path;
  const target = where === null ? "" : ` ${show(where)}`;
  const shared = disk.shareable ? "; shared with other guests: attach the same disk, do not copy it" : "";
  const vdev = show(disk.vdev);
  switch (disk.kind) {
    case "virtual-disk":
      return `${vdev}: virtual disk${target}, ${size(disk.bytes)}, allocated ${size(disk.allocatedBytes)}${shared}`;
    case "external-file":
      return `${vdev}: file outside the repositories${target}, ${size(disk.bytes)}: copy it separately${shared}`;
    case "physical-disk":
      return `${vdev}: physical disk or LUN${target}: present the same device to the new host${shared}`;
    case "iso":
      return `${vdev}: ISO${target} (${disk.devtype}): attach it; it need not be copied with the guest`;
    default:
      return `${vdev}: empty CD-ROM drive`;
  }
}

/** The sheet as steps, in the order the rebuild happens. */
function steps(sheet: RebuildSheet, show: Show): Step[] {
  const or = (value: string | number | null, unknown = "unknown"): string =>
    value === null ? unknown : show(String(value));
  const create: Step = {
    title: "Create the guest",
    items: [
      `name ${or(sheet.simpleName ?? sheet.name)} (vm.cfg name ${or(sheet.name)})`,
      `uuid ${or(sheet.uuid)}; a new uuid if the original guest still exists`,
      `domain type ${or(sheet.domainType)}, memory ${or(sheet.memory)} MiB, ${or(sheet.vcpus)} vCPU(s)`,
    ],
  };
  const disks: Step = {
    title: "Disks",
    items: sheet.disks.length === 0 ? ["none"] : sheet.disks.map((d) => diskItem(d, show)),
  };
  const network: Step = {
    title: "Network interfaces",
    items:
      sheet.vifs.length === 0
        ? ["none"]
        : sheet.vifs.map(
            (v, i) => `vif ${i}: MAC ${or(v.mac, "generated")} on bridge ${or(v.bridge, "default")}`,
          ),
  };
  const restore: Step = {
    title: "Restore the files from the in-guest backup of /",
    items: [
      `without what it must not hold (ovm-deps rebuild --format rsync-exclude): ${sheet.exclude.map(show).join(" ")}`,
    ],
  };
  const mounts: Step = {
    title: "NFS mounts",
    items: !sheet.nfsMountsKnown
      ? [
          `unknown: ${sheet.guestBackup === null ? "no guest backup was read (--guest-backups)" : "the backed-up fstab could not be read"}`,
        ]
      : sheet.nfsMounts.length === 0
        ? ["none in the backed-up /etc/fstab"]
        : sheet.nfsMounts.map(
            (m) =>
              `mount point ${show(m.mountPoint)}: fstab line ${show(`${m.source} ${m.mountPoint} ${m.fstype} ${m.options ?? "defaults"} 0 0`)}`,
          ),
  };
  const addresses: Step = {
    title: "Addresses (check them on the new host)",
    items:
      sheet.guestBackup === null
        ? ["unknown: no guest backup was read"]
        : sheet.addresses.length === 0
          ? ["none in the backed-up /etc/hosts or network scripts"]
          : sheet.addresses.map((a) => {
              const extra = [
                a.netmask === null ? null : `netmask ${show(a.netmask)}`,
                a.prefix === null ? null : `prefix ${show(a.prefix)}`,
                a.gateway === null ? null : `gateway ${show(a.gateway)}`,
                a.hwaddr === null ? null : `HWADDR ${show(a.hwaddr)} (must match the new interface's MAC)`,
              ].filter((x) => x !== null);
              return `${show(a.address)} ${a.names.map(show).join(" ")} (${show(a.file)})${extra.length > 0 ? `, ${extra.join(", ")}` : ""}`;
            }),
  };
  return [create, disks, network, restore, mounts, addresses];
}

/** The heading of the sheet: the guest's name and reference. */
function heading(sheet: RebuildSheet): string {
  const name = sheet.simpleName ?? sheet.name;
  return name === null ? sheet.owner : `${name} (${sheet.owner})`;
}

/** Render a `rebuild` sheet for people: numbered steps, the diagnostics last. */
export function renderRebuildText(sheet: RebuildSheet): string {
  const lines = [`rebuild ${escapeText(heading(sheet))}`];
  steps(sheet, escapeText).forEach((step, i) => {
    lines.push("", `${i + 1}. ${step.title}`, ...step.items.map((item) => `   ${item}`));
  });
  if (sheet.diagnostics.length > 0) lines.push("", ...sheet.diagnostics.map(formatDiagnostic));
  return `${lines.join("\n")}\n`;
}

/** Inline markdown code for any text: a fence longer than any backtick run in it. */
function markdownCode(text: string): string {
  const escaped = escapeText(text);
  const longest = Math.max(0, ...(escaped.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 || escaped.startsWith(" ") || escaped.endsWith(" ") ? " " : "";
  return `${fence}${pad}${escaped}${pad}${fence}`;
}

/** Render a `rebuild` sheet as a printable markdown checklist, in the order the rebuild happens. */
export function renderRebuildMarkdown(sheet: RebuildSheet): string {
  const lines = [`# Rebuild ${markdownCode(heading(sheet))}`];
  steps(sheet, markdownCode).forEach((step, i) => {
    lines.push("", `## ${i + 1}. ${step.title}`, "", ...step.items.map((item) => `- [ ] ${item}`));
  });
  if (sheet.diagnostics.length > 0) {
    lines.push("", "## Notes", "", ...sheet.diagnostics.map((d) => `- ${markdownCode(formatDiagnostic(d))}`));
  }
  return `${lines.join("\n")}\n`;
}

/** Render the rsync exclusion list (`--exclude-from`): one anchored pattern per line. */
export function renderRebuildExclude(sheet: RebuildSheet): string {
  return sheet.exclude.map((pattern) => `${pattern}\n`).join("");
}
