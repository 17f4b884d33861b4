// What a caller can tell the scanner beyond the ROOTs: extra repository names, guest backups, running guests, roles.
import type { Role } from "../schema/scan.js";
import type { Threads } from "./config-reader.js";
import type { IoMode } from "./io.js";
import type { ParseCache } from "./parse-cache.js";

export type { IoMode, Threads };

/** A repository role rule from the policy file: `match` is an id, folder name or alias pattern (`*` wildcard). */
export interface RoleRule {
  match: string;
  role: Role;
}

/** Options of `scanRepositories`. */
export interface ScanOptions {
  /** `--repository NAME=DIR`: DIR is also scanned as a ROOT, and its repository is known as NAME. */
  repositoryNames?: Array<{ name: string; dir: string }>;
  /** `--guest-backups DIR`: one folder per guest, each a copy of its root file system (at least `etc/fstab`). */
  guestBackups?: string | null;
  /** `--xm-list FILE`: saved `xm list` output; guests listed there are running. */
  xmList?: string | null;
  /** Repository roles from the policy file, overriding the naming convention; the first matching rule wins. */
  roles?: RoleRule[];
  /** How the file system is called (default `auto`). */
  io?: IoMode;
  /** Worker threads that parse the vm.cfg files while the walk goes on (default `auto`). */
  threads?: Threads;
  /**
   * A persistent parse cache (default none): vm.cfg files whose bytes it holds are not parsed again. The
   * file-system facts (presence, sizes, links) are read fresh whatever it holds. Never used when its folder
   * is inside a scanned tree.
   */
  cache?: ParseCache | null;
  /**
   * Called as work completes: `done` of `total` known units (files and folders examined). `final` is false
   * while the walk may still find work (`total` can grow), true once every repository is listed.
   */
  onProgress?: (done: number, total: number, final: boolean) => void;
}
