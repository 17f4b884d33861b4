// A targeted restore: the same verdict as `planRestore` over full scans, parsing only the vm.cfg files that
// could change it — the selected guests' own, and those whose bytes could name a file the verdict is about.

import type { DeferredScan } from "../scan/deferred.js";
import { ConfigTexts } from "../scan/mentions.js";
import { RecordedTrees } from "../scan/recorded.js";
import { walkNow } from "../scan/walk.js";
import type { RestoreResult } from "../schema/plan.js";
import type { Repository, ScanResult } from "../schema/scan.js";
import { planRestore, planRestoreAsking, type RestoreOptions } from "./restore.js";
import { isSelectionError, type SelectionError } from "./select.js";

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

/** Where a name is: its place (`at:`) and, for a file with known inode, its inode (`inode:`), which hard links share. */
function keysOf(trees: RecordedTrees, repository: Repository, file: string): string[] {
  const keys = [`at:${repository.id}/${file}`];
  const walk = walkNow(repository, file, trees, trees);
  keys.push(`at:${repository.id}/${walk.file}`);
  for (const facts of [
    trees.lstatSync(`${repository.root}/${file}`).facts,
    walk.state === "found" ? walk.facts : null,
  ]) {
    if (facts !== null && Number.isFinite(facts.inode) && Number.isFinite(facts.device))
      keys.push(`inode:${facts.device}:${facts.inode}`);
  }
  return keys;
}

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

  constructor(
    readonly scan: DeferredScan,
    selectors: readonly string[],
  ) {
    this.texts = new ConfigTexts(scan.configs);
    this.trees = new RecordedTrees(scan.repositories);
    this.byId = new Map(scan.repositories.map((r) => [r.id, r]));
    this.want = this.texts.always(new Set(scan.repositories.flatMap((r) => r.names)));
    for (const selector of selectors) {
      // By name or simple name, by uuid, or by folder (a reference, a folder, REPOSITORY/FOLDER…).
      this.texts.containing(selector, this.want);
      this.texts.containingUuid(selector, this.want);
      for (const ref of scan.configs.keys()) {
        const folder = baseName(ref);
        if (selector === folder || selector.endsWith(`/${folder}`) || sameUuid(selector, folder))
          this.want.add(ref);
      }
    }
  }

  /** Parse, as well, the owners whose vm.cfg may name `file` of `repository` by any of its names. */
  wantUsersOf(repository: string, file: string): void {
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
        if (entry.fileType === null || entry.fileType === "directory") continue;
        const name = baseName(entry.file);
        // Only a link leads elsewhere: the walker says where (a hard link shares its inode's key).
        if (entry.fileType === "symlink") {
          for (const key of keysOf(this.trees, repository, entry.file)) add(key, name);
          continue;
        }
        add(`at:${repository.id}/${entry.file}`, name);
        if (entry.device !== null && entry.inode !== null) add(`inode:${entry.device}:${entry.inode}`, name);
      }
    }
    this.names = names;
    return names;
  }
}

/** A selector and a folder name that are the same uuid (dashes and case aside). */
function sameUuid(selector: string, folder: string): boolean {
  const key = (text: string): string => text.replaceAll("-", "").toLowerCase();
  return key(selector) === key(folder);
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
  for (;;) {
    const liveScan = await live.result(sides.live.want);
    const backupScan = await backup.result(sides.backup.want);
    const asked: Array<["live" | "backup", string, string]> = [];
    const result = await planRestoreAsking(liveScan, backupScan, options, (side, repository, file) =>
      asked.push([side, repository, file]),
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
    for (const guest of result.guests) {
      const owner = [...backupScan.guests, ...backupScan.templates].find((o) => o.ref === guest);
      if (owner === undefined) continue;
      // Its live counterpart (at the same place), and any live owner with its uuid (a uuid conflict).
      sides.live.wantPlace(owner.config.slice(0, -"/vm.cfg".length));
      if (owner.uuid !== null) sides.live.texts.containingUuid(owner.uuid, sides.live.want);
    }
    // Every owner the result names is named the same on both sides (`names`: the backup's first).
    for (const ref of refsOf(result)) {
      sides.live.wantRef(ref);
      sides.backup.wantRef(ref);
    }
    for (const [side, repository, file] of asked) sides[side].wantUsersOf(repository, file);
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
