// Restore as a new guest: a backed-up guest put beside the live ones under fresh ids, its vm.cfg rewritten to match.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { type Warning, warning } from "../diagnostics.js";
import { type Estate, usersOfFile } from "../graph/index.js";
import { parseVmCfg } from "../parse/index.js";
import { rewriteVmCfg, type VmCfgEdit } from "../parse/rewrite.js";
import { completenessOf } from "../scan/completeness.js";
import type { AsNewFile, AsNewKept, AsNewRestore, AsNewSources, Blocked } from "../schema/plan.js";
import type { Owner, Reference, Repository, ScanResult } from "../schema/scan.js";
import {
  finite,
  liveRepositoryOf,
  repositoryNamed,
  type Side,
  sideOf,
  walkRefusal,
  walkSide,
} from "./restore.js";
import { ownerNames, type SelectionError, selectOwners } from "./select.js";

/** Options of `planRestoreAsNew`. */
export interface AsNewOptions {
  /** The guest to restore (resolved in the backup): one selector. */
  guest: string;
  /** What `readAsNewSources` read for that guest: its vm.cfg and the MACs in use. */
  sources: AsNewSources;
  /** The live repository to create it in (id, folder name or `--repository` name); default: its own repository's live counterpart. */
  into?: string;
  /** Appended to the old simple name for the new one (default `-restored`). */
  suffix?: string;
  /** Keep the MAC addresses (two guests with one MAC must never run at once). */
  keepMacs?: boolean;
  /** Keep shared disks, LUNs, external files and NFS mounts referenced (they are refused without it). */
  allowShared?: boolean;
  /** A fresh 32-hex-digit id (default random, from `crypto.randomUUID`); tests give their own. */
  newId?: () => string;
  /** Three random bytes for a MAC in Oracle's 00:21:f6 range (default `crypto.randomBytes`). */
  newMacBytes?: () => Uint8Array;
}

/** No live repository fits `--into` (or, without it, the guest's own): the names that would. */
export interface IntoError {
  into: string | null;
  candidates: string[];
}

/** Whether `planRestoreAsNew` gave an `IntoError`. */
export function isIntoError(value: unknown): value is IntoError {
  return typeof value === "object" && value !== null && "candidates" in value && "into" in value;
}

/** The default `--suffix`. */
export const DEFAULT_SUFFIX = "-restored";

const randomId = (): string => randomUUID().replaceAll("-", "");

/** `hex` (32 digits) written as `like` is: dashed 8-4-4-4-12 or plain, upper or lower case. */
function inFormOf(hex: string, like: string | null): string {
  const dashed = like === null || like.includes("-");
  const text = dashed
    ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    : hex;
  return like !== null && like === like.toUpperCase() && /[A-F]/.test(like) ? text.toUpperCase() : text;
}

/** The live repository `--into` names (as restore pairs repositories: id, folder, identifying names). */
const intoRepository = (into: string, live: readonly Repository[]): Repository | null =>
  repositoryNamed(new Set([into]), live);

/** What to do about each kind of thing a second guest would share. */
const TODO = {
  "shared-disk": (users: string) =>
    `stays attached to both guests (also used by ${users}): detach it from one guest, or mark it shareable (w!) if the cluster software expects that`,
  "physical-disk": () =>
    "a LUN stays attached to the original too: present it to the new guest's server pool in Oracle VM Manager only if both must use it, else detach it from the new guest",
  "external-file": () =>
    "a file outside every repository stays in use by the original too: copy it and point the new vm.cfg at the copy, or detach it",
  "nfs-mount": (mountPoint: string) =>
    `the restored guest's OS mounts it at ${mountPoint} like the original: edit its /etc/fstab before both write there`,
} as const;

/** The disk entry `spec` with the path `from` (as written) replaced by `to`, or null when it is not in it. */
function respec(spec: string, from: string, to: string): string | null {
  const at = spec.indexOf(from);
  return at === -1 ? null : spec.slice(0, at) + to + spec.slice(at + from.length);
}

/** Everything the checks of the guest's disks need. */
interface Context {
  owner: Owner;
  live: Side;
  backup: Side;
  target: Repository;
  /** Backup repository id → its live counterpart, by the same pairing restore uses. */
  paired: (repository: string) => Repository | null;
  allowShared: boolean;
  blocked: Blocked[];
  kept: AsNewKept[];
  /** The fresh name in the target repository's `VirtualDisks/` of a backed-up file (its extension kept). */
  freshDisk: (old: string) => string;
}

/** The other owners of a virtual disk, in the backup and in the live tree. */
function otherUsers(reference: Reference, context: Context): string[] {
  const repository = reference.repository!;
  const file = reference.file!;
  const users = new Set(usersOfFile(context.backup.estate.graph, repository, file));
  const live = context.paired(repository);
  if (live !== null) for (const u of usersOfFile(context.live.estate.graph, live.id, file)) users.add(u);
  users.delete(context.owner.ref);
  return [...users].sort();
}

/**
 * One disk entry: the copy it needs (with its new entry), or what it stays attached to (`kept`), or a
 * refusal. Never silent: everything not copied is kept with what to do, or refused.
 */
function checkDisk(reference: Reference, context: Context): AsNewFile | null {
  const guest = context.owner.ref;
  const ref = reference.linkTarget ?? reference.path ?? reference.spec;
  const refuseOrKeep = (
    reason: "shared" | "physical-disk" | "external-file",
    kind: AsNewKept["kind"],
    todo: string,
    users: string[] = [],
  ): null => {
    if (context.allowShared) context.kept.push({ kind, ref, todo });
    else context.blocked.push({ guest, ref, reason, users });
    return null;
  };
  if (reference.backingOf !== undefined) {
    context.kept.push({
      kind: "base-image",
      ref,
      todo: "the base image the copied overlay reads from (named in its header) is not copied: keep it where it is",
    });
    return null;
  }
  switch (reference.kind) {
    case "empty-cdrom":
      return null;
    case "iso":
      context.kept.push({ kind: "iso", ref, todo: "referenced as it is, not copied" });
      return null;
    case "physical-disk":
      return refuseOrKeep("physical-disk", "physical-disk", TODO["physical-disk"]());
    case "external-file":
      return refuseOrKeep("external-file", "external-file", TODO["external-file"]());
    default:
  }
  // A virtual disk: a link leaving its repository holds no data a copy could take.
  if (reference.linkTarget !== null || reference.repository === null || reference.file === null)
    return refuseOrKeep("external-file", "external-file", TODO["external-file"]());
  const others = otherUsers(reference, context);
  if (others.length > 0)
    return refuseOrKeep("shared", "shared-disk", TODO["shared-disk"](others.join(", ")), others);
  const repository = context.backup.estate.scan.repositories.find((r) => r.id === reference.repository)!;
  const source = walkSide(context.backup, repository, reference.named ?? reference.file);
  if (source.state !== "found") {
    const refusal = walkRefusal(source, repository.root);
    context.blocked.push({
      guest,
      ref: refusal?.ref ?? path.join(repository.root, reference.file),
      reason: refusal?.reason ?? "missing-in-backup",
      users: [],
    });
    return null;
  }
  if (source.facts.type !== "file") {
    context.blocked.push({
      guest,
      ref: path.join(repository.root, source.file),
      reason: "not-a-regular-file",
      users: [],
    });
    return null;
  }
  const file = context.freshDisk(source.file);
  const written = reference.path!;
  const named = reference.named ?? reference.file;
  // The vm.cfg names the repository as the servers mount it: keep that prefix, change the repository
  // folder only when the disk lands in another repository.
  let prefix = written.endsWith(named) ? written.slice(0, written.length - named.length) : null;
  if (prefix !== null && context.paired(reference.repository)?.id !== context.target.id)
    prefix = `${path.posix.dirname(prefix.replace(/\/+$/, ""))}/${context.target.folder}/`;
  const spec = prefix === null ? null : respec(reference.spec, written, `${prefix}${file}`);
  if (spec === null) {
    context.blocked.push({ guest, ref: reference.spec, reason: "config-unreadable", users: [] });
    return null;
  }
  return {
    role: "disk",
    old: source.file,
    new: file,
    source: path.join(repository.root, source.file),
    target: path.join(context.target.root, file),
    spec: { old: reference.spec, new: spec },
    bytes: finite(source.facts.size),
    allocatedBytes: finite(source.facts.allocatedBytes),
    mtimeMs: finite(source.facts.mtimeMs),
  };
}

/** Whether anything is, or may be, at `file` of the live repository (the walk finds no clean "missing"). */
function taken(live: Side, repository: Repository, file: string): boolean {
  const walk = walkSide(live, repository, file);
  return !(walk.state === "missing" && walk.blockedBy === null && walk.links.length === 0);
}

/** Random draws before the first free MAC is searched for in order (a generator that keeps repeating). */
const MAC_DRAWS = 64;

/**
 * A new MAC in Oracle's 00:21:f6 range that no scanned vm.cfg uses and none given before: random draws, then
 * (should they all be taken) the first free address in order, so that it always ends.
 */
function freshMac(used: Set<string>, bytes: () => Uint8Array): string {
  const mac = (b: ArrayLike<number>): string =>
    ["00", "21", "f6", ...[0, 1, 2].map((i) => (b[i] ?? 0).toString(16).padStart(2, "0"))].join(":");
  for (let draw = 0; draw < MAC_DRAWS; draw++) {
    const candidate = mac(bytes());
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
  for (let n = 0; n < 1 << 24; n++) {
    const candidate = mac([n >> 16, (n >> 8) & 0xff, n & 0xff]);
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
  throw new Error("every MAC of 00:21:f6 is in use");
}

/** The vif entry `spec` with its `mac=` value replaced, or null when it has none. */
function remac(spec: string, mac: string): { old: string; spec: string } | null {
  const found = /(^|,)(\s*mac\s*=\s*)([^,\s]*)/i.exec(spec);
  if (found === null || found[3] === "") return null;
  const at = found.index + found[1]!.length + found[2]!.length;
  return { old: found[3]!, spec: spec.slice(0, at) + mac + spec.slice(at + found[3]!.length) };
}

/**
 * Plan the restore of one backed-up guest as a new guest in a live repository: fresh uuid, folder, `name`
 * and disk file names, new MACs, `OVM_simple_name` with a suffix; its virtual disks copied under the new
 * names, its ISOs referenced; shared disks, LUNs, external files and NFS mounts refused unless
 * `allowShared` (then kept, with what to do). Pure: the vm.cfg and the MACs come from `readAsNewSources`;
 * the copying is the script's.
 */
export function planRestoreAsNew(
  liveInput: ScanResult | Estate,
  backupInput: ScanResult | Estate,
  options: AsNewOptions,
): AsNewRestore | SelectionError | IntoError {
  const live = sideOf(liveInput);
  const backup = sideOf(backupInput);
  const selection = selectOwners(backup.estate.scan, [options.guest]);
  if (selection.problems.length > 0) return { problems: selection.problems };
  const owner = selection.owners[0]!;
  const guest = owner.ref;
  const liveRepositories = live.estate.scan.repositories;
  const pairing = new Map(
    backup.estate.scan.repositories.map((r) => [r.id, liveRepositoryOf(r, liveRepositories)] as const),
  );
  const paired = (repository: string): Repository | null => pairing.get(repository) ?? null;
  const target =
    options.into === undefined ? paired(owner.repository) : intoRepository(options.into, liveRepositories);
  if (target === null)
    return { into: options.into ?? null, candidates: liveRepositories.map((r) => r.folder).sort() };

  const blocked: Blocked[] = [];
  const kept: AsNewKept[] = [];
  const warnings: Warning[] = [];
  const backupRepository = backup.estate.scan.repositories.find((r) => r.id === owner.repository)!;
  if (
    options.into === undefined &&
    backupRepository.uuid &&
    target.uuid &&
    backupRepository.uuid !== target.uuid
  )
    blocked.push({ guest, ref: target.root, reason: "repository-mismatch", users: [] });
  if (owner.configLinkTarget !== null)
    blocked.push({ guest, ref: owner.path, reason: "unsafe-symlink", users: [] });
  else if (!owner.ok) blocked.push({ guest, ref: owner.path, reason: "config-unreadable", users: [] });

  // Fresh names: never one the live scan saw (or may not have seen) anything at.
  const newId = options.newId ?? randomId;
  const area = path.posix.dirname(path.posix.dirname(owner.config));
  const fresh = (name: (id: string) => string): { id: string; file: string } => {
    let last = { id: "", file: "" };
    for (let attempt = 0; attempt < 16; attempt++) {
      const id = newId().toLowerCase();
      last = { id, file: name(id) };
      if (!taken(live, target, last.file)) return last;
    }
    blocked.push({ guest, ref: path.join(target.root, last.file), reason: "target-exists", users: [] });
    return last;
  };
  const folder = fresh((id) => `${area}/${id}`);
  const copies = new Map<string, string>();
  const context: Context = {
    owner,
    live,
    backup,
    target,
    paired,
    allowShared: options.allowShared === true,
    blocked,
    kept,
    // One file named by two entries is copied once, under one new name.
    freshDisk: (old) => {
      const known = copies.get(old);
      if (known !== undefined) return known;
      const file = fresh((id) => `VirtualDisks/${id}${path.posix.extname(old)}`).file;
      copies.set(old, file);
      return file;
    },
  };
  const disks: AsNewFile[] = [];
  for (const reference of owner.disks) {
    const copy = checkDisk(reference, context);
    if (copy) disks.push(copy);
  }
  for (const mount of owner.nfsMounts) {
    const ref = `${mount.source} (${mount.mountPoint})`;
    if (context.allowShared) kept.push({ kind: "nfs-mount", ref, todo: TODO["nfs-mount"](mount.mountPoint) });
    else blocked.push({ guest, ref, reason: "nfs-mount", users: [] });
  }

  // The vm.cfg, rewritten: only the values that change.
  const { sources } = options;
  const uuid = { old: owner.uuid, new: inFormOf(folder.id, owner.uuid) };
  const folderName = path.posix.basename(folder.file);
  const simpleOld = owner.simpleName ?? owner.name ?? path.posix.basename(path.posix.dirname(owner.config));
  const simpleName = { old: owner.simpleName, new: `${simpleOld}${options.suffix ?? DEFAULT_SUFFIX}` };
  const macs: AsNewRestore["macs"] = [];
  let text = "";
  if (sources.config.bytes === null || sources.path !== owner.path) {
    if (owner.configLinkTarget === null)
      blocked.push({ guest, ref: owner.path, reason: "unreadable", users: [] });
  } else {
    const values = parseVmCfg(sources.config.bytes).config.values;
    const edits: VmCfgEdit[] = [
      { key: "uuid", value: uuid.new },
      { key: "name", value: folderName },
      { key: "OVM_simple_name", value: simpleName.new },
    ];
    const diskItems = Array.isArray(values.disk) ? values.disk : [values.disk];
    diskItems.forEach((item, index) => {
      const copy = disks.find((d) => d.spec?.old === item);
      if (copy?.spec) edits.push({ key: "disk", item: index, value: copy.spec.new });
    });
    const vifItems = values.vif === undefined ? [] : Array.isArray(values.vif) ? values.vif : [values.vif];
    if (options.keepMacs === true) {
      if (vifItems.some((v) => typeof v === "string" && remac(v, "") !== null))
        warnings.push(
          warning(
            "macs-kept",
            `${guest} keeps its MAC addresses (--keep-macs): the original and the restored guest must never run at the same time`,
          ),
        );
    } else {
      const used = new Set(sources.macs);
      vifItems.forEach((item, index) => {
        if (typeof item !== "string") return;
        if (remac(item, "") === null) return;
        const mac = freshMac(used, options.newMacBytes ?? (() => randomBytes(3)));
        const changed = remac(item, mac)!;
        macs.push({ item: index, old: changed.old, new: mac });
        edits.push({ key: "vif", item: index, value: changed.spec });
      });
    }
    if (macs.length > 0 && sources.unread.length > 0)
      warnings.push(
        warning(
          "macs-unknown",
          `the MACs of ${sources.unread.length} vm.cfg file(s) could not be read (${sources.unread.slice(0, 3).join(", ")}${sources.unread.length > 3 ? ", …" : ""}): a new MAC may equal one of theirs`,
        ),
      );
    const rewritten = rewriteVmCfg(sources.config.bytes, edits);
    if (rewritten.ok) text = rewritten.text;
    else blocked.push({ guest, ref: owner.path, reason: "config-unreadable", users: [] });
  }
  const configBytes = Buffer.byteLength(text);
  const config: AsNewFile = {
    role: "config",
    old: owner.config,
    new: `${folder.file}/vm.cfg`,
    source: owner.path,
    target: path.join(target.root, folder.file, "vm.cfg"),
    spec: null,
    bytes: configBytes,
    allocatedBytes: configBytes,
    mtimeMs: null,
  };
  // Each file once (two entries may name one disk), the vm.cfg last: the guest appears once complete.
  const files = [...new Map(disks.map((d) => [d.target, d] as const)).values(), config];
  const needed = files.reduce((sum, f) => sum + (f.allocatedBytes ?? f.bytes ?? 0), 0);
  return {
    safe: blocked.length === 0,
    guest,
    repository: { id: target.id, root: target.root },
    uuid,
    folder: { old: path.posix.basename(path.posix.dirname(owner.config)), new: folderName },
    name: { old: owner.name, new: folderName },
    simpleName,
    files,
    config: { text, sha256: createHash("sha256").update(text).digest("hex") },
    macs,
    kept,
    blocked,
    warnings,
    roots: { live: live.estate.scan.roots, backup: backup.estate.scan.roots },
    space: [{ repository: target.id, root: target.root, neededBytes: needed }],
    names: ownerNames(
      [...backup.estate.scan.guests, ...backup.estate.scan.templates],
      [guest, ...blocked.flatMap((b) => b.users)],
    ),
    ...completenessOf(live.estate.scan, backup.estate.scan),
  };
}
