// What a caller can tell the scanner beyond the ROOTs: extra repository names, guest backups, running guests, roles.
import type { Role } from "../schema/scan.js";

/** A repository role rule from the policy file: `match` is an id, folder name or alias pattern (`*` wildcard). */
export interface RoleRule {
  match: string;
  role: Role;
}

/**
 * How the scan calls the file system: `direct` makes one synchronous call at a time (the fastest way when
 * a local disk or the page cache answers; the event loop waits meanwhile); `concurrent` keeps up to 64
 * calls in flight (hides the latency of NFS and cluster file systems); `auto` (the default) is direct
 * when every repository and the guest-backups folder are on a local file system, concurrent otherwise.
 */
export type IoMode = "auto" | "direct" | "concurrent";

/**
 * Worker threads for parsing: a number (0: every vm.cfg is parsed in the calling thread), or `auto`: one
 * per core beyond the first, at most 4, started only once a scan has met 2,000 vm.cfg files.
 */
export type Threads = number | "auto";

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
   * Called as work completes: `done` of `total` known units (files and folders examined). `final` is false
   * while the walk may still find work (`total` can grow), true once every repository is listed.
   */
  onProgress?: (done: number, total: number, final: boolean) => void;
}
