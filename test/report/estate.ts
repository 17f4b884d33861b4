// A small estate for the HTML report's tests: two guests sharing a disk, one with a missing disk, a guest whose
// name is HTML that would end a script block, and a template in a resources repository.
import path from "node:path";
import {
  buildGraph,
  checkEstate,
  isSelectionError,
  PolicySchema,
  planBackup,
  type ReportDocuments,
  readRebuildSources,
  rebuildSheet,
  scanRepositories,
  serializeGraph,
} from "ovm-deps";
import { live, owner, repository, tempDir, write } from "../scan/helpers.js";

/** A guest name that would end the page's script block and run a script, were it inserted as HTML. */
export const EVIL = "</script><script>window.pwned=1</script><!--<b>x";

/** The guests and templates of the estate, by the name the report shows. */
export const NAMES = ["web01", "db01", EVIL, "ol8-template"];

/** Build the estate under a fresh temp folder; returns the ROOT. */
export function reportEstate(): string {
  const root = tempDir();
  const guests = repository(root, "R", { OVS_REPO_UUID: "R", OVS_REPO_ALIAS: "Guests-A" });
  const templates = repository(root, "T", { OVS_REPO_UUID: "T", OVS_REPO_ALIAS: "Templates-A" });
  write(path.join(guests, "VirtualDisks/a.img"), "disk a\n");
  write(path.join(guests, "VirtualDisks/shared.img"), "shared disk\n");
  write(path.join(guests, "VirtualDisks/evil.img"), "evil disk\n");
  write(path.join(templates, "VirtualDisks/t.img"), "template disk\n");
  owner(guests, "web", {
    name: "web",
    uuid: "0004fb00-0006-0000-0000-000000000001",
    simpleName: "web01",
    disks: [
      `file:${live("R", "VirtualDisks/a.img")},xvda,w`,
      `file:${live("R", "VirtualDisks/shared.img")},xvdb,w!`,
    ],
  });
  owner(guests, "db", {
    name: "db",
    uuid: "0004fb00-0006-0000-0000-000000000002",
    simpleName: "db01",
    disks: [
      `file:${live("R", "VirtualDisks/shared.img")},xvda,w!`,
      `file:${live("R", "VirtualDisks/gone.img")},xvdb,w`,
    ],
  });
  owner(guests, "evil", {
    name: "evil",
    uuid: "0004fb00-0006-0000-0000-000000000003",
    simpleName: EVIL,
    disks: [`file:${live("R", "VirtualDisks/evil.img")},xvda,w`],
  });
  owner(
    templates,
    "ol8",
    { name: "ol8", simpleName: "ol8-template", disks: [`file:${live("T", "VirtualDisks/t.img")},xvda,w`] },
    "Templates",
  );
  return root;
}

/** The documents of an estate as `ovm-deps report` builds them. */
export async function reportDocuments(root: string): Promise<ReportDocuments> {
  const scan = await scanRepositories([root], { cache: null, threads: 0 });
  const owners = [...scan.guests, ...scan.templates];
  const plan = planBackup(scan, { guests: owners.map((o) => o.ref) });
  if (isSelectionError(plan)) throw new Error("every owner is selectable");
  const rebuild = await Promise.all(
    owners.map(async (o) => rebuildSheet(o, await readRebuildSources(scan, o, { guestBackups: null }))),
  );
  return {
    scan,
    plan,
    check: checkEstate(scan, PolicySchema.parse({})),
    graph: serializeGraph(buildGraph(scan)),
    rebuild,
  };
}
