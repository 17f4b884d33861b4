// The shape of a scan whose vm.cfg files are parsed only when asked for (scan.ts `scanDeferred`): no I/O here.
import type { Repository, ScanResult } from "../schema/scan.js";

/**
 * A scan whose vm.cfg files are read but not parsed yet: the file-system facts are complete, and `result`
 * parses only the vm.cfg files asked for (each once, however often it is called) and makes the inventory
 * of those — every guest and template whose vm.cfg could not be read is in it too. What a targeted restore
 * needs; any other use wants `scanRepositories`.
 */
export interface DeferredScan {
  /** Every vm.cfg found, by owner reference (`REPOSITORY/AREA/FOLDER`): its bytes, null when not read. */
  configs: ReadonlyMap<string, Uint8Array | null>;
  /** The repositories as listed (no guests or templates yet): ids, names, roots, files. */
  repositories: readonly Repository[];
  /**
   * The inventory with the vm.cfg files of `parse` parsed ("all": every one, as `scanRepositories`), and
   * those parsed by earlier calls; the same object as the last call's when nothing more was parsed.
   */
  result(parse: ReadonlySet<string> | "all"): Promise<ScanResult>;
  /** How many vm.cfg files have been parsed so far. */
  parsed(): number;
}
