// vm.cfg text: Python literals as the three writers print them, the writers, and the text quirks
// (duplicate keys, line endings, byte-order mark).
import { ovmId, TYPE } from "./ids.js";
import { addText, configFile, type Estate, entryPath, type OwnerPlan, repoPath } from "./model.js";
import type { WriterStyle } from "./types.js";

type Py = string | number | boolean | Py[];

const pyString = (value: string, quote: "'" | '"'): string =>
  quote + value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`) + quote;

function pyRepr(value: Py, quote: "'" | '"', listSeparator = ", "): string {
  if (typeof value === "string") return pyString(value, quote);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  return `[${value.map((item) => pyRepr(item, quote)).join(listSeparator)}]`;
}

/** Human quirks: an earlier `memory` and an earlier, stale `disk` list that a later key overrides. */
export function addDuplicateKeys(estate: Estate): void {
  for (const guest of estate.guests.filter((g) => g.style === "human")) {
    guest.quirks.push("duplicate-keys");
    if (estate.rng.next() < 0.5) {
      const path = repoPath(guest.repository, `VirtualDisks/${ovmId(estate.rng, TYPE.disk)}.img`);
      guest.staleDisks = [`file:${path},xvda,w`];
      guest.quirks.push("stale-disk-list");
    }
  }
}

/** A few CRLF files and one with a byte-order mark among the human-written ones. */
export function addLineEndings(estate: Estate): void {
  const humans = estate.guests.filter((g) => g.style === "human");
  humans.forEach((guest, i) => {
    if (i % 3 === 1) guest.quirks.push("crlf");
  });
  humans[0]?.quirks.push("bom");
}

function ovmManagerConfig(estate: Estate, owner: OwnerPlan): string {
  const mac = (): string => `00:21:f6:${estate.rng.hex(2)}:${estate.rng.hex(2)}:${estate.rng.hex(2)}`;
  const pairs: [string, Py][] = [
    ["vif", [`mac=${mac()},bridge=${estate.rng.hex(10)}`]],
    ["OVM_simple_name", owner.simpleName ?? ""],
    ["vnclisten", "127.0.0.1"],
    ["serial", "pty"],
    ["disk", owner.disks.map((d) => d.spec)],
    ["vncunused", 1],
    ["uuid", owner.uuid ?? ""],
    ["on_reboot", "restart"],
    ["boot", "dc"],
    ["cpu_weight", 27500],
    ["memory", owner.memory],
    ["cpu_cap", 0],
    ["maxvcpus", owner.vcpus],
    ["OVM_high_availability", estate.rng.next() < 0.5],
    ["vnc", 1],
    ["OVM_description", owner.type === "template" ? "Oracle Linux template" : ""],
    ["on_poweroff", "destroy"],
    ["on_crash", "restart"],
    ["guest_os_type", "linux"],
    ["name", owner.name],
    ["builder", "hvm"],
    ["vcpus", owner.vcpus],
    ["keymap", "en-us"],
    ["OVM_os_type", "Oracle Linux 7"],
    ["OVM_cpu_compat_group", ""],
    ["OVM_domain_type", estate.rng.pick(["xen_hvm", "xen_pvm", "xen_hvm_pv"])],
  ];
  return estate.rng
    .shuffle(pairs)
    .map(([key, value]) => `${key} = ${pyRepr(value, "'")}\n`)
    .join("");
}

function exadataConfig(estate: Estate, owner: OwnerPlan): string {
  const { rng } = estate;
  const pkey = `0xa${rng.hex(3)}`;
  const pkeys = ["1", "2"]
    .map((port) => `{'pf':'03:00.0','port':'${port}','pkey':['0x2a12','${pkey}',]},`)
    .join("");
  const lines = [
    "acpi = 1",
    "apic = 1",
    "pae = 1",
    "builder = 'hvm'",
    "kernel = '/usr/lib/xen/boot/hvmloader'",
    "device_model = '/usr/lib/xen/bin/qemu-dm'",
    "# To make VMs with more than 12 vCPUs work on exadata server",
    "#   edx register:",
    "#     12 bit - Memory Type Range Registers. Force to 0 set uncached access mode to memory ranges.",
    "cpuid = ['1:edx=xxxxxxxxxxxxxxxxxxx0xxxxxxxxxxxx']",
    `disk = ${pyRepr(
      owner.disks.map((d) => d.spec),
      "'",
      ",",
    )}`,
    `memory = '${owner.memory}'`,
    `maxmem = '${owner.memory}'`,
    `OVM_simple_name = u${pyString(owner.simpleName ?? "", "'")}`,
    `name = ${pyString(owner.name, "'")}`,
    "OVM_os_type = u'Oracle Linux 7'",
    `vcpus = ${owner.vcpus}`,
    `maxvcpus = ${owner.vcpus * 4}`,
    `uuid = ${pyString(owner.uuid ?? "", "'")}`,
    "on_crash = 'coredump-restart'",
    "on_reboot = 'restart'",
    "serial = 'pty'",
    "keymap = 'en-us'",
    `vif = ['type=netfront,mac=00:16:3e:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)},bridge=vmbondeth0']`,
    "timer_mode = 2",
    "ib_pfs = ['03:00.0']",
    `ib_pkeys = [${pkeys}]`,
  ];
  return lines.map((line) => (line.startsWith("#") ? `${line}\n` : `${line}  \n`)).join("");
}

function humanConfig(estate: Estate, owner: OwnerPlan): string {
  const q = (value: string): string => pyString(value, '"');
  const list = (items: readonly string[]): string => `[\n${items.map((item) => `\t${q(item)},\n`).join("")}]`;
  const duplicated = owner.quirks.includes("duplicate-keys");
  const lines = [
    "#  -*- mode: python; -*-",
    `name=${q(owner.name)}`,
    ...(owner.uuid ? [`uuid=${q(owner.uuid)}`] : []),
    ...(duplicated ? [`memory=${owner.memory / 2}`] : []),
    ...(owner.staleDisks.length > 0
      ? [`disk=${list(owner.staleDisks)}`, "# moved the system disk, see below"]
      : []),
    `kernel\t= "/usr/lib/xen/boot/hvmloader"`,
    `builder\t= "hvm"`,
    "# memory in MiB",
    `memory=${owner.memory}`,
    `vcpus=${owner.vcpus}`,
    "",
    "# disks: system first, then data",
    `disk=${list(owner.disks.map((d) => d.spec))}`,
    `vif=[ "mac=00:16:3e:${estate.rng.hex(2)}:${estate.rng.hex(2)}:${estate.rng.hex(2)},bridge=xenbr0", ]`,
    `on_crash="restart"`,
  ];
  return `${lines.join("\n")}\n`;
}

/** The vm.cfg text of an owner in its writer's style, with its line-ending and BOM quirks. */
function renderConfig(estate: Estate, owner: OwnerPlan): string {
  const writers: Record<WriterStyle, (estate: Estate, owner: OwnerPlan) => string> = {
    "ovm-manager": ovmManagerConfig,
    exadata: exadataConfig,
    human: humanConfig,
  };
  const text = writers[owner.style](estate, owner);
  const withEndings = owner.quirks.includes("crlf") ? text.replaceAll("\n", "\r\n") : text;
  return owner.quirks.includes("bom") ? `\uFEFF${withEndings}` : withEndings;
}

/** Write every owner's vm.cfg; a copy gets the original's exact text. */
export function addConfigs(estate: Estate): void {
  const texts = new Map<OwnerPlan, string>();
  for (const owner of [...estate.templates, ...estate.guests]) {
    const text = owner.copyOf ? texts.get(owner.copyOf)! : renderConfig(estate, owner);
    texts.set(owner, text);
    addText(estate, entryPath(owner.repository, configFile(owner)), text);
  }
}
