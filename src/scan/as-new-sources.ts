// What `restore --as-new` reads beyond the scans: the backed-up vm.cfg to rewrite, and every MAC address in use.
import { MAX_SOURCE_BYTES, readVmCfg } from "../parse/index.js";
import type { AsNewSources } from "../schema/plan.js";
import type { Owner, ScanResult } from "../schema/scan.js";
import { FsCache } from "./io.js";

/** Read the vm.cfg of `owner` and the MACs of every owner of `scans` (links leaving a repository are never followed). */
export async function readAsNewSources(owner: Owner, scans: readonly ScanResult[]): Promise<AsNewSources> {
  const fs = new FsCache();
  const read = async (o: Owner) =>
    o.configLinkTarget !== null
      ? { bytes: null, error: "a link leaving its repository" }
      : await fs.readRegularFile(o.path, MAX_SOURCE_BYTES);
  const config = await read(owner);
  const macs = new Set<string>();
  const unread: string[] = [];
  const owners = scans.flatMap((s) => [...s.guests, ...s.templates]);
  // Read together: the cache bounds how many are open at once.
  const outcomes = await Promise.all(owners.map((o) => (o.path === owner.path ? config : read(o))));
  outcomes.forEach((outcome, i) => {
    if (outcome.bytes === null) unread.push(owners[i]!.path);
    else
      for (const vif of readVmCfg(outcome.bytes).settings.vifs) if (vif.mac) macs.add(vif.mac.toLowerCase());
  });
  return { path: owner.path, config, macs, unread };
}
