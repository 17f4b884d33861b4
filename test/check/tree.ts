// Small repository trees written by hand into a temp folder: what the check rules see through a real scan.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temp folder for one test's estates; `cleanup` removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "ovm-deps-check-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write `text` at `path`, creating folders on the way. */
export function write(path: string, text = "x"): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A repository folder `<root>/<folder>` with `.ovsrepo` naming its alias (the folder name is its id). */
export function repository(root: string, folder: string, alias: string): string {
  const dir = join(root, folder);
  write(join(dir, ".ovsrepo"), `OVS_REPO_ALIAS=${alias}\nOVS_REPO_VERSION=3.0\n`);
  for (const area of ["VirtualDisks", "VirtualMachines", "Templates", "ISOs"])
    mkdirSync(join(dir, area), { recursive: true });
  return dir;
}

/** A vm.cfg in `<repository>/<area>/<folder>/` with a uuid and `file:` disks given as `REPO/VirtualDisks/x.img`. */
export function vmCfg(
  repositoryDir: string,
  area: "VirtualMachines" | "Templates",
  folder: string,
  uuid: string,
  disks: string[],
): string {
  const entries = disks.map((disk, i) =>
    disk.includes("/ISOs/")
      ? `'file:/OVS/Repositories/${disk},hd${"cdefgh"[i]}:cdrom,r'`
      : `'file:/OVS/Repositories/${disk},xvd${"abcdef"[i]},w'`,
  );
  const text = [
    `name = '${folder}'`,
    `uuid = '${uuid}'`,
    "memory = 2048",
    `disk = [${entries.join(",\n        ")}]`,
    "",
  ].join("\n");
  const path = join(repositoryDir, area, folder, "vm.cfg");
  write(path, text);
  return path;
}

/** Ids of the estates below, for the tests' expectations. */
export const UUID = {
  web: "0004fb00-0006-0000-0000-00000000000a",
  db: "0004fb00-0006-0000-0000-00000000000b",
  template: "0004fb00-0014-0000-0000-00000000000c",
  stray: "0004fb00-0006-0000-0000-00000000000d",
};

/**
 * A clean estate under `<root>/repositories`: guests repository G (alias Guests-A) with two guests on their
 * own disks, resources repository T (alias Templates-NFS) with a template and an ISO the guests use.
 */
export function cleanEstate(root: string): string {
  const repositories = join(root, "repositories");
  const g = repository(repositories, "G", "Guests-A");
  const t = repository(repositories, "T", "Templates-NFS");
  for (const disk of ["web.img", "db.img"]) write(join(g, "VirtualDisks", disk));
  write(join(t, "VirtualDisks", "tpl.img"));
  write(join(t, "ISOs", "ol8.iso"));
  vmCfg(g, "VirtualMachines", "web", UUID.web, ["G/VirtualDisks/web.img", "T/ISOs/ol8.iso"]);
  vmCfg(g, "VirtualMachines", "db", UUID.db, ["G/VirtualDisks/db.img"]);
  vmCfg(t, "Templates", "tpl", UUID.template, ["T/VirtualDisks/tpl.img"]);
  return repositories;
}

/**
 * The clean estate with one instance of each problem: an unreadable vm.cfg, a missing disk, an orphan, a
 * shared disk, a cross-repository disk, a copied vm.cfg (duplicate uuid), a guest in T, an ISO in G, a
 * link from G out of the repository, and a vm.cfg that is such a link (unreadable too: it is never followed).
 */
export function brokenEstate(root: string): string {
  const repositories = cleanEstate(root);
  const g = join(repositories, "G");
  const t = join(repositories, "T");
  write(join(g, "VirtualDisks", "orphan.img"));
  write(join(g, "VirtualDisks", "shared.img"));
  write(join(t, "VirtualDisks", "far.img"));
  write(join(g, "ISOs", "tools.iso"));
  symlinkSync("/EXAVMIMAGES/GuestImages/app/System.img", join(g, "VirtualDisks", "exa.img"));
  vmCfg(g, "VirtualMachines", "app", "0004fb00-0006-0000-0000-0000000000a1", [
    "G/VirtualDisks/exa.img",
    "G/VirtualDisks/shared.img",
    "G/VirtualDisks/gone.img",
  ]);
  vmCfg(g, "VirtualMachines", "app2", "0004fb00-0006-0000-0000-0000000000a2", [
    "G/VirtualDisks/shared.img",
    "T/VirtualDisks/far.img",
  ]);
  vmCfg(g, "VirtualMachines", "webcopy", UUID.web, []);
  vmCfg(t, "VirtualMachines", "stray", UUID.stray, []);
  write(join(g, "VirtualMachines", "bad", "vm.cfg"), "name = 'bad'\ndisk = ['file:/x,xvda,w'\n");
  mkdirSync(join(g, "VirtualMachines", "linked"));
  symlinkSync("/etc/hostname", join(g, "VirtualMachines", "linked", "vm.cfg"));
  return repositories;
}
