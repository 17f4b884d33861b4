// A targeted restore: the same verdict as `planRestore` over full scans, parsing only the vm.cfg files that
// could change it — the selected guests' own, and those whose bytes could name a file the verdict is about.
import path from "node:path";
import { type Estate, estateOf } from "../graph/index.js";
import { uuidKey } from "../parse/index.js";
import type { DeferredScan } from "../scan/deferred.js";
import { ConfigTexts } from "../scan/mentions.js";
import { RecordedTrees } from "../scan/recorded.js";
import { LIVE_REPOSITORIES, type Walk, walkNow } from "../scan/walk.js";
import type { RestoreResult } from "../schema/plan.js";
import type { Owner, Repository, ScanResult } from "../schema/scan.js";
import { planRestore, planRestoreAsking, type RestoreOptions } from "./restore.js";
import { isSelectionError, type SelectionError, selectOwners } from "./select.js";

/** What a targeted restore planned, from which scans, having parsed how many vm.cfg files. */
export interface TargetedRestore {
  /** What `planRestore` gives for the full scans of both sides (the property test holds it to that). */
  result: RestoreResult | SelectionError;
  /** The scans it was planned from: every file-system fact, and the guests and templates parsed. */
  live: ScanResult;
  backup: ScanResult;
  /** vm.cfg files parsed, and found, on each side. */
  parsed: { live: number; backup: number };
  found: { live: number; backup: number };
}

/** A vm.cfg's path in its repository: `AREA/FOLDER/vm.cfg`. */
const CONFIG = /^((?:VirtualMachines|Templates)\/[^/]+)\/vm\.cfg$/;

/** The key of an inode (hard links share it), or null when the facts do not say which. */
function inodeKey(facts: { device: number | null; inode: number | null } | null): string | null {
  return facts !== null && Number.isFinite(facts.device) && Number.isFinite(facts.inode)
    ? `inode:${facts.device}:${facts.inode}`
    : null;
}

/**
 * Where a name is: its place (`at:`), where the walker ends up from it, and the inode of each (`inode:`,
 * which hard links share).
 */
function keysOf(trees: RecordedTrees, repository: Repository, file: string): string[] {
  const walked = walkNow(repository, file, trees, trees);
  const keys = [`at:${repository.id}/${file}`, `at:${repository.id}/${walked.file}`];
  for (const key of [
    inodeKey(trees.lstatSync(`${repository.root}/${file}`).facts),
    inodeKey(walked.state === "found" ? walked.facts : null),
  ])
    if (key !== null) keys.push(key);
  return keys;
}

/**
 * True when a link's text leads out of every scanned repository at once: an absolute path (normalised)
 * under no repository's folder and not a live repository path. Its walk would say `leaves`: it leads to
 * no file of a repository, and nothing there is left unexamined.
 */
function leavesAtOnce(link: string | null, repositories: readonly Repository[]): boolean {
  if (link === null || !link.startsWith("/")) return false;
  const target = path.posix.normalize(link);
  if (target.startsWith(LIVE_REPOSITORIES) || `${target}/` === LIVE_REPOSITORIES) return false;
  return !repositories.some(
    (r) => target === r.root || target.startsWith(`${r.root}/`) || r.root.startsWith(`${target}/`),
  );
}

/** A file or examined entry of a repository, as the scan recorded it. */
type RecordedEntry = Repository["files"][number] | Repository["examined"][number];

/** The last component of a path. */
const baseName = (file: string): string => file.slice(file.lastIndexOf("/") + 1);

/** One side of the restore: its deferred scan, its vm.cfg texts, and the owners to parse. */
class Side {
  readonly texts: ConfigTexts;
  readonly want: Set<string>;
  private readonly trees: RecordedTrees;
  private readonly byId: Map<string, Repository>;
  /** Key → the names (last components) of every entry that is or leads there: files, hard links, links. */
  private names: Map<string, Set<string>> | null = null;
  /** The files `wantUsersOf` has searched for already (`REPOSITORY\0FILE`). */
  private readonly asked = new Set<string>();
  /** Every link of the side's repositories, with where the walker ends up through it. */
  private readonly links: Array<{ repository: Repository; entry: RecordedEntry; walk: Walk | null }> = [];

  constructor(
    readonly scan: DeferredScan,
    selectors: readonly string[],
  ) {
    this.texts = new ConfigTexts(scan.configs);
    this.trees = new RecordedTrees(scan.repositories);
    this.byId = new Map(scan.repositories.map((r) => [r.id, r]));
    for (const repository of scan.repositories) {
      for (const entry of [...repository.files, ...repository.examined]) {
        if (entry.fileType !== "symlink") continue;
        const walk = leavesAtOnce(entry.link, scan.repositories)
          ? null
          : walkNow(repository, entry.file, this.trees, this.trees);
        this.links.push({ repository, entry, walk });
      }
    }
    this.want = this.texts.always(new Set(scan.repositories.flatMap((r) => r.names)));
    this.wantDark();
    for (const selector of selectors) {
      // By name or simple name, by uuid, or by folder (a reference, a folder, REPOSITORY/FOLDER…).
      this.texts.containing(selector, this.want);
      this.texts.containingUuid(selector, this.want);
      for (const ref of scan.configs.keys()) {
        const folder = baseName(ref);
        if (selector === folder || selector.endsWith(`/${folder}`) || uuidKey(selector) === uuidKey(folder))
          this.want.add(ref);
      }
    }
  }

  /**
   * Parse the owners whose disks may lead where the listing did not look (a folder it could not list or did
   * not enter, an entry it could not examine): a walk there may find a place it cannot examine, an
   * `unreadable` gap of that owner whatever is restored. They name such a place, or a link that leads
   * there; a repository whose top could not be listed leaves every one of its owners in doubt.
   */
  private wantDark(): void {
    const names = new Set<string>();
    for (const repository of this.scan.repositories) {
      for (const { file } of repository.unlisted) {
        if (file === "") for (const ref of this.scan.configs.keys()) this.want.add(ref);
        names.add(baseName(file));
      }
      for (const entry of repository.examined) {
        if (entry.fileType === "directory" || (entry.error !== null && entry.error !== "ENOENT"))
          names.add(baseName(entry.file));
      }
    }
    for (const { entry, walk } of this.links)
      if (walk?.state === "unreadable") names.add(baseName(entry.file));
    for (const name of names) this.texts.containing(name, this.want);
  }

  /** Parse, as well, the owners whose vm.cfg may name `file` of `repository` by any of its names. */
  wantUsersOf(repository: string, file: string): void {
    // Each round plans again and asks mostly the same: what a file's names find does not change.
    const asked = `${repository}\0${file}`;
    if (this.asked.has(asked)) return;
    this.asked.add(asked);
    const match = CONFIG.exec(file);
    if (match !== null) this.wantRef(`${repository}/${match[1]}`);
    const at = this.byId.get(repository);
    const names = new Set([baseName(file)]);
    if (at !== undefined) {
      const index = this.index();
      for (const key of keysOf(this.trees, at, file))
        for (const name of index.get(key) ?? []) names.add(name);
    }
    for (const name of names) this.texts.containing(name, this.want);
  }

  /** Parse, as well, the owner `ref` if this side has one. */
  wantRef(ref: string): void {
    if (this.scan.configs.has(ref)) this.want.add(ref);
  }

  /** Parse, as well, the owners at `AREA/FOLDER` in any repository of this side. */
  wantPlace(place: string): void {
    for (const ref of this.scan.configs.keys()) if (ref.endsWith(`/${place}`)) this.want.add(ref);
  }

  /**
   * Every key a name leads to, with the names: a file's own place and inode (so its hard links are found
   * by it), and for each link, where the walker ends up through it.
   */
  private index(): Map<string, Set<string>> {
    if (this.names !== null) return this.names;
    const names = new Map<string, Set<string>>();
    const add = (key: string, name: string): void => {
      const set = names.get(key);
      if (set === undefined) names.set(key, new Set([name]));
      else set.add(name);
    };
    for (const repository of this.scan.repositories) {
      for (const entry of [...repository.files, ...repository.examined]) {
        if (entry.fileType === null || entry.fileType === "directory" || entry.fileType === "symlink")
          continue;
        const name = baseName(entry.file);
        add(`at:${repository.id}/${entry.file}`, name);
        const inode = inodeKey(entry);
        if (inode !== null) add(inode, name);
      }
    }
    // Only a link leads elsewhere: the walker says where (a hard link shares its inode's key).
    for (const { repository, entry, walk } of this.links) {
      const name = baseName(entry.file);
      add(`at:${repository.id}/${entry.file}`, name);
      for (const key of [
        walk === null ? null : `at:${repository.id}/${walk.file}`,
        inodeKey(entry),
        inodeKey(walk?.state === "found" ? walk.facts : null),
      ])
        if (key !== null) add(key, name);
    }
    this.names = names;
    return names;
  }
}

/** Parse, on the live side, the counterpart of `owner` (at its place) and any owner with its uuid (a uuid conflict). */
function wantAround(owner: Owner, live: Side): void {
  live.wantPlace(owner.config.slice(0, -"/vm.cfg".length));
  if (owner.uuid !== null) live.texts.containingUuid(owner.uuid, live.want);
}

/** Owner references a restore result names: the guests, and every owner in a refusal. */
function refsOf(result: RestoreResult): string[] {
  return [...result.guests, ...result.blocked.flatMap((b) => [b.guest, ...b.users])];
}

/**
 * Plan a restore as `planRestore` does over full scans of both sides, parsing only what can change the
 * answer: the vm.cfg files any selector could select, the live ones at the selected guests' places or with
 * their uuids, every one whose bytes name a file the restore asks about (by any name of it: its own, its
 * hard links', the links that lead to it), every one that could spell a name otherwise than a byte search
 * finds it (escapes, joined literals, another encoding), name a backing chain, an unscanned repository or
 * describe no guest, and the owners the result names. It plans, sees what it asked about, parses what that
 * adds, and plans again until nothing is added. A selector that fails is answered from full scans.
 */
export async function planTargetedRestore(
  live: DeferredScan,
  backup: DeferredScan,
  options: RestoreOptions,
): Promise<TargetedRestore> {
  const sides = { live: new Side(live, options.guests), backup: new Side(backup, options.guests) };
  const found = { live: live.configs.size, backup: backup.configs.size };
  // Each side's graph is built once per inventory: a round that parses nothing more on a side reuses it.
  const estates = new WeakMap<ScanResult, Estate>();
  const estate = (scan: ScanResult): Estate => {
    const built = estates.get(scan) ?? estateOf(scan);
    estates.set(scan, built);
    return built;
  };
  // The backup's candidates first: who is selected says which live vm.cfg files are its counterparts (at
  // the same place) or share its uuid, before the first plan (each plan builds both sides' graphs).
  const candidates = await backup.result(sides.backup.want);
  for (const owner of selectOwners(candidates, options.guests).owners) wantAround(owner, sides.live);
  for (;;) {
    const liveScan = await live.result(sides.live.want);
    const backupScan = await backup.result(sides.backup.want);
    const asked: Array<["live" | "backup", string, string]> = [];
    const result = await planRestoreAsking(
      estate(liveScan),
      estate(backupScan),
      options,
      (side, repository, file) => asked.push([side, repository, file]),
    );
    if (isSelectionError(result)) {
      // The near matches of an unknown selector come from every name: the full scans give them.
      const [fullLive, fullBackup] = [await live.result("all"), await backup.result("all")];
      return {
        result: await planRestore(fullLive, fullBackup, options),
        live: fullLive,
        backup: fullBackup,
        parsed: { live: live.parsed(), backup: backup.parsed() },
        found,
      };
    }
    const before = sides.live.want.size + sides.backup.want.size;
    const owners = new Map([...backupScan.guests, ...backupScan.templates].map((o) => [o.ref, o]));
    for (const guest of result.guests) {
      const owner = owners.get(guest);
      if (owner !== undefined) wantAround(owner, sides.live);
    }
    for (const [side, repository, file] of asked) sides[side].wantUsersOf(repository, file);
    // Every owner the result names is named the same on both sides (`names`: the backup's first). Each
    // one parsed on one side is parsed on the other too, before it is named: one plan fewer.
    for (const ref of [...refsOf(result), ...sides.live.want, ...sides.backup.want]) {
      sides.live.wantRef(ref);
      sides.backup.wantRef(ref);
    }
    if (sides.live.want.size + sides.backup.want.size === before) {
      return {
        result,
        live: liveScan,
        backup: backupScan,
        parsed: { live: live.parsed(), backup: backup.parsed() },
        found,
      };
    }
  }
}
