// One disk entry of a vm.cfg (legacy xm `uname,vdev,mode` or xl `key=value`/positional) read as the toolstack read it.
import {
  type Diagnostic,
  type DiagnosticCode,
  diagnostic,
  hasErrors,
  NOWHERE,
  type Position,
  type Severity,
} from "../diagnostics.js";
import type { Access, Disk } from "../schema/parse.js";

/** What reading one disk entry gives: the disk, or null when the entry is invalid (then an error says why). */
export interface DiskSpecResult {
  disk: Disk | null;
  diagnostics: Diagnostic[];
}

/** Which syntax an entry is read with. */
type Form = Disk["form"];

/** Records a diagnostic at the entry's position. */
type Report = (severity: Severity, code: Extract<DiagnosticCode, `disk-${string}`>, message: string) => void;

/** What the items of an entry said, before the checks every entry must pass. */
interface Draft {
  /** The target as written after its prefixes; "" when written empty, null when not given at all. */
  target: string | null;
  vdev: string | null;
  /** The access mode as written; null or "" when absent. */
  access: string | null;
  /** Set by `:cdrom`/`:disk`, `devtype=`, the `cdrom` flag: the last one wins, as in xl. */
  cdrom: boolean;
  format: string | null;
  backend: string | null;
  script: string | null;
  /** xl: a legacy prefix on the target takes the place of the positional format. */
  prefixed: boolean;
  /** xl: the positional format slot (or `format=`) has been used. */
  formatSet: boolean;
  /** xl: the positional access slot has been used. */
  accessSet: boolean;
}

/** A `type:` prefix (xend split the uname at its first `:`; xl's lexer uses this pattern for prefixes). */
const PREFIX = /^([a-z][-a-z0-9]*):/;
/** A guest device name as xend's empty CD-ROM entry `,hdc:cdrom,r` gives it. */
const DEVICE_NAME = /^(?:ioemu:)?(?:(?:hd[a-z]|sd[a-z]+|xvd[a-z]+)\d*|\d+)(?::cdrom|:disk)?$/;
/** Whitespace xl ignores before a parameter. */
const BLANKS = new Set([" ", "\t", "\n"]);

/** Written access modes and what they mean (`rw`, `ro`, `r!` come from tools other than xend). */
const ACCESS = new Map<string, Access>([
  ["w", "w"],
  ["rw", "w"],
  ["w!", "w!"],
  ["r", "r"],
  ["ro", "r"],
  ["r!", "r!"],
]);
/** Image formats a spec can state (xl `format=` / positional; `empty` is an empty CD-ROM). */
const FORMATS = new Set(["raw", "qcow", "qcow2", "vhd", "qed", "empty"]);
/** Legacy prefixes that state the image format. */
const FORMAT_PREFIXES = new Set(["raw", "qcow", "qcow2", "vhd"]);
/** Legacy prefixes that name a block script: the target is handed to `block-<name>`, not a path. */
const SCRIPT_PREFIXES = new Set(["iscsi", "drbd", "nbd", "enbd"]);
/** blktap sub-types and the image format each reads (`aio`/`sync` read raw images). */
const TAP_FORMATS = new Map<string, string>([
  ["aio", "raw"],
  ["sync", "raw"],
  ["qcow", "qcow"],
  ["qcow2", "qcow2"],
  ["vhd", "vhd"],
  ["vmdk", "vmdk"],
]);
/** blktap sub-types that only name the driver; the next sub-type is the image's (as xend read them). */
const TAP_DRIVERS = new Set(["tapdisk", "ioemu"]);
/** xl backend types. */
const BACKEND_TYPES = new Set(["phy", "tap", "qdisk", "standalone"]);
/** xl flags that do not change what the disk is. */
const XL_FLAGS = new Set(["discard", "no-discard", "direct-io-safe", "trusted", "untrusted", "colo"]);
/** xl parameters that do not change what the disk is (`backend=` is the backend domain). */
const XL_IGNORED_KEYS = new Set([
  "backend",
  "colo-host",
  "colo-port",
  "colo-export",
  "active-disk",
  "hidden-disk",
  "specification",
  "transport",
]);

/** Parse one disk entry (legacy xm or xl form) as Oracle VM's toolstack read it. `at` is where the entry's string stands in its vm.cfg (diagnostics point there). */
export function parseDiskSpec(spec: string, at: Position = NOWHERE): DiskSpecResult {
  const diagnostics: Diagnostic[] = [];
  // One diagnostic per code: a fault repeated a million times in one entry is still one fault.
  const report: Report = (severity, code, message) => {
    if (!diagnostics.some((d) => d.code === code)) diagnostics.push(diagnostic(severity, code, message, at));
  };
  if (spec.trim() === "") {
    report("error", "disk-spec-empty", "empty disk entry");
    return { disk: null, diagnostics };
  }
  const form = formOf(spec);
  const draft = form === "xm" ? readLegacy(spec, report) : readXl(spec, report);
  const disk = finish(spec, form, draft, report);
  return { disk: hasErrors(diagnostics) ? null : disk, diagnostics };
}

/** The contract's rule (docs/domain.md, Disk entries): legacy when no item has `=`, 2–5 fields, and a `type:` prefix or xend's empty CD-ROM. */
function formOf(spec: string): Form {
  if (spec.includes("=")) return "xl";
  const fields = spec.split(",", 6).map(leadingBlanksRemoved);
  if (fields.length < 2 || fields.length > 5) return "xl";
  const [first = "", second = ""] = fields;
  return PREFIX.test(first) || (first === "" && DEVICE_NAME.test(second)) ? "xm" : "xl";
}

/** Whitespace before an item is not part of it (xl ignores it; xend's files never have it). */
function leadingBlanksRemoved(item: string): string {
  return item.slice(afterBlanks(item, 0));
}

/** The first position at or after `pos` that is not whitespace. */
function afterBlanks(text: string, pos: number): number {
  let at = pos;
  while (at < text.length && BLANKS.has(text.charAt(at))) at += 1;
  return at;
}

/** A draft with nothing said yet. */
function emptyDraft(): Draft {
  return {
    target: null,
    vdev: null,
    access: null,
    cdrom: false,
    format: null,
    backend: null,
    script: null,
    prefixed: false,
    formatSet: false,
    accessSet: false,
  };
}

/** xend's `uname,vdev,mode[,backend[,protocol]]`: the backend domain and protocol do not change what the disk is. */
function readLegacy(spec: string, report: Report): Draft {
  const [uname = "", vdev = "", mode = ""] = spec.split(",", 5).map(leadingBlanksRemoved);
  const draft = emptyDraft();
  // An empty uname is xend's empty CD-ROM drive: no target at all.
  if (uname !== "") readTarget(uname, "xm", draft, report);
  setVdev(vdev, "xm", draft, report);
  draft.access = mode;
  return draft;
}

/** xl's lexer, item by item: `target=` eats the rest of the entry, commas included. */
function readXl(spec: string, report: Report): Draft {
  const draft = emptyDraft();
  let pos = 0;
  while (pos < spec.length) {
    pos = afterBlanks(spec, pos);
    if (pos >= spec.length) break;
    if (spec.startsWith("target=", pos)) {
      const rest = spec.slice(pos + "target=".length);
      // xl drops one trailing comma from the target: it separates nothing.
      setTarget(rest.endsWith(",") ? rest.slice(0, -1) : rest, draft, report);
      break;
    }
    const comma = spec.indexOf(",", pos);
    const end = comma === -1 ? spec.length : comma;
    readXlItem(spec.slice(pos, end), draft, report);
    pos = end + 1;
  }
  return draft;
}

/** One xl item: a flag, a `key=value` parameter, or the next positional parameter. */
function readXlItem(item: string, draft: Draft, report: Report): void {
  const eq = item.indexOf("=");
  if (eq === -1) {
    if (item === "cdrom") draft.cdrom = true;
    else if (!XL_FLAGS.has(item)) readPositional(item, draft, report);
    return;
  }
  const key = item.slice(0, eq);
  const value = item.slice(eq + 1);
  switch (key) {
    case "format":
      setFormat(value, draft, report);
      return;
    case "vdev":
      setVdev(value, "xl", draft, report);
      return;
    case "access":
      draft.access = value;
      return;
    case "devtype":
      if (value === "cdrom" || value === "disk") draft.cdrom = value === "cdrom";
      else report("error", "disk-devtype-invalid", `unknown devtype ${quoted(value)} (cdrom or disk)`);
      return;
    case "backendtype":
      if (BACKEND_TYPES.has(value)) draft.backend = value;
      else report("error", "disk-backendtype-invalid", `unknown backendtype ${quoted(value)}`);
      return;
    case "script":
      setScript(value, draft, report);
      return;
    default:
      if (!XL_IGNORED_KEYS.has(key)) {
        report("warning", "disk-parameter-unknown", `unknown disk parameter ${quoted(key)} ignored`);
      }
  }
}

/** xl fills target, format, vdev, access in turn, skipping what was already given. */
function readPositional(item: string, draft: Draft, report: Report): void {
  if (draft.target === null) {
    readTarget(item, "xl", draft, report);
  } else if (!draft.prefixed && !draft.formatSet) {
    draft.formatSet = true;
    // An empty CD-ROM written `,hdc:cdrom,r` puts its vdev where the format would stand.
    if (draft.target === "" && item.includes(":")) setVdev(item, "xl", draft, report);
    else setFormat(item, draft, report);
  } else if (draft.vdev === null) {
    setVdev(item, "xl", draft, report);
  } else if (!draft.accessSet) {
    draft.accessSet = true;
    draft.access = item;
  } else {
    report("error", "disk-spec-invalid", `too many positional parameters at ${quoted(item)}`);
  }
}

/** A target with its legacy prefix: the backend, sub-type, format or block script it names. */
function readTarget(token: string, form: Form, draft: Draft, report: Report): void {
  const type = PREFIX.exec(token)?.[1];
  if (type === undefined) {
    setTarget(token, draft, report);
    return;
  }
  const rest = token.slice(type.length + 1);
  draft.prefixed = true;
  if (type === "file") {
    draft.backend = "file";
    // `file:///x` is the URL form of `/x`.
    setTarget(rest.startsWith("///") ? rest.slice(2) : rest, draft, report);
  } else if (type === "phy") {
    draft.backend = "phy";
    if (rest !== "" && !rest.startsWith("/")) {
      report(
        "info",
        "disk-device-path-assumed",
        `phy: device ${quoted(rest)} read as ${quoted(`/dev/${rest}`)}, as xend did`,
      );
      setTarget(`/dev/${rest}`, draft, report);
    } else {
      setTarget(rest, draft, report);
    }
  } else if (type === "tap" || type === "tap2") {
    draft.backend = type;
    readTapTarget(rest, draft, report);
  } else if (FORMAT_PREFIXES.has(type)) {
    draft.format = type;
    setTarget(rest, draft, report);
  } else if (SCRIPT_PREFIXES.has(type)) {
    setScript(type, draft, report);
    setTarget(rest, draft, report);
  } else if (form === "xl" && (rest === "" || rest.startsWith("//"))) {
    // Not a prefix to xl: a target such as `nbd://host` or a name ending in `:`.
    draft.prefixed = false;
    setTarget(token, draft, report);
  } else if (form === "xl") {
    report("error", "disk-prefix-unknown", `unknown disk prefix ${quoted(`${type}:`)}`);
  } else {
    // xend's block hotplug script hands any other type to the helper script `block-<type>`.
    report(
      "warning",
      "disk-type-unknown",
      `unknown disk type ${quoted(`${type}:`)}: read as block script block-${type}, as xend did`,
    );
    setScript(type, draft, report);
    setTarget(rest, draft, report);
  }
}

/** `tap:<sub>:path`, `tap2:tapdisk:<sub>:path`: the sub-type is the image format's driver. */
function readTapTarget(rest: string, draft: Draft, report: Report): void {
  let path = rest;
  let sub = PREFIX.exec(path)?.[1];
  if (sub !== undefined && TAP_DRIVERS.has(sub)) {
    path = path.slice(sub.length + 1);
    sub = PREFIX.exec(path)?.[1];
  }
  if (sub === undefined) {
    report("error", "disk-tap-subtype-missing", `${draft.backend}: needs a sub-type such as aio: or qcow2:`);
    return;
  }
  const format = TAP_FORMATS.get(sub);
  if (format === undefined) {
    report(
      "warning",
      "disk-tap-subtype-unknown",
      `unknown blktap sub-type ${quoted(sub)}: image format unknown`,
    );
  }
  draft.format = format ?? null;
  setTarget(path.slice(sub.length + 1), draft, report);
}

/** The target, once. */
function setTarget(target: string, draft: Draft, report: Report): void {
  if (draft.target !== null) report("error", "disk-parameter-repeated", "target given twice");
  draft.target = target;
}

/** A stated format: empty states none. */
function setFormat(value: string, draft: Draft, report: Report): void {
  draft.formatSet = true;
  if (value === "") return;
  if (FORMATS.has(value)) draft.format = value;
  else report("error", "disk-format-invalid", `unknown disk format ${quoted(value)}`);
}

/** The block script, once (a legacy prefix and `script=` together are a conflict, as in xl). */
function setScript(script: string, draft: Draft, report: Report): void {
  if (draft.script !== null) report("error", "disk-parameter-repeated", "block script given twice");
  draft.script = script;
}

/** The guest device without `ioemu:` and without its `:cdrom`/`:disk` suffix, which sets the device type. */
function setVdev(written: string, form: Form, draft: Draft, report: Report): void {
  const name = written.startsWith("ioemu:") ? written.slice("ioemu:".length) : written;
  const colon = name.lastIndexOf(":");
  if (colon !== -1) {
    const suffix = name.slice(colon + 1);
    if (suffix === "cdrom" || suffix === "disk") draft.cdrom = suffix === "cdrom";
    // xl refuses another suffix; xend read any other suffix as a disk.
    else if (form === "xl") report("error", "disk-devtype-invalid", `unknown device type ${quoted(suffix)}`);
    else report("warning", "disk-devtype-invalid", `unknown device type ${quoted(suffix)}: read as a disk`);
  }
  if (draft.vdev !== null) report("error", "disk-parameter-repeated", "vdev given twice");
  draft.vdev = colon === -1 ? name : name.slice(0, colon);
}

/** The checks every entry passes, and the access mode's meaning; null when the entry is invalid. */
function finish(spec: string, form: Form, draft: Draft, report: Report): Disk | null {
  const vdev = draft.vdev ?? "";
  if (vdev === "") report("error", "disk-vdev-missing", "no guest device (vdev) given");
  const path = draft.target === "" ? null : draft.target;
  if (path === null && !draft.cdrom)
    report("error", "disk-target-missing", "a disk that is not a CD-ROM needs a target");
  const access = accessOf(draft, report);
  if (vdev === "" || access === null) return null;
  return {
    spec,
    path,
    vdev,
    access,
    devtype: draft.cdrom ? "cdrom" : "disk",
    readonly: access.startsWith("r"),
    shareable: access.endsWith("!"),
    format: draft.format,
    form,
    backend: draft.backend,
    script: draft.script,
  };
}

/** Written text quoted for a message, cut short: an entry can be megabytes long. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** The normalised access mode; a CD-ROM is read-only whatever is written. */
function accessOf(draft: Draft, report: Report): Access | null {
  const written = draft.access ?? "";
  if (written === "") {
    const assumed = draft.cdrom ? "r" : "w";
    report("info", "disk-access-defaulted", `no access mode given: ${assumed} assumed`);
    return assumed;
  }
  const access = ACCESS.get(written);
  if (access === undefined) {
    report("error", "disk-access-invalid", `unknown access mode ${quoted(written)} (w, r, w!, r!, rw, ro)`);
    return null;
  }
  if (draft.cdrom && access.startsWith("w")) {
    report("info", "disk-cdrom-readonly", `CD-ROM written with access ${quoted(written)}: read-only`);
    return access === "w!" ? "r!" : "r";
  }
  return access;
}
