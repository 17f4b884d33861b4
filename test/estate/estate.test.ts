// The synthetic-estate generator: determinism, scale, sparse files, writer styles, and a manifest true to the tree.
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ESTATE_FEATURES,
  type EstateManifest,
  type EstateOptions,
  generateEstate,
} from "../support/estate/index.js";
import { listTree, tempDir } from "./tree.js";

const temps: (() => void)[] = [];
// Removing a 10,000-guest estate can take minutes on a busy disk.
afterAll(() => {
  for (const cleanup of temps) cleanup();
}, 600_000);

/** Generate an estate into a fresh temp folder (removed after the file's tests). */
function generate(options: EstateOptions = {}): EstateManifest {
  const { dir, cleanup } = tempDir("estate");
  temps.push(cleanup);
  return generateEstate(dir, options);
}

const repositoryRoot = (m: EstateManifest, id: string): string =>
  join(m.root, m.repositories.find((r) => r.id === id)!.dir);
const configText = (m: EstateManifest, ref: string): string => {
  const owner = m.owners.find((o) => o.ref === ref)!;
  return readFileSync(join(repositoryRoot(m, owner.repository), owner.config), "utf8");
};
const guests = (m: EstateManifest) => m.owners.filter((o) => o.type === "guest");

describe("determinism", () => {
  it("gives identical trees and manifests for the same seed", () => {
    const a = generate({ guests: 40, seed: 7, diskBytes: 1 << 20 });
    const b = generate({ guests: 40, seed: 7, diskBytes: 1 << 20 });
    expect(listTree(b.root)).toEqual(listTree(a.root));
    expect({ ...b, root: "" }).toEqual({ ...a, root: "" });
  });

  it("gives a different tree for another seed", () => {
    const a = generate({ guests: 12, seed: 1, example: true });
    const b = generate({ guests: 12, seed: 2, example: true });
    expect(listTree(b.root).map((e) => e.path)).not.toEqual(listTree(a.root).map((e) => e.path));
  });

  it("refuses a folder that is not empty", () => {
    const m = generate({ example: true });
    expect(() => generateEstate(m.root, { example: true })).toThrow(/not empty/);
  });
});

describe("scale", () => {
  it.each([12, 60, 300])("writes %i guests (plus the copied vm.cfg) in VirtualMachines folders", (count) => {
    const m = generate({ guests: count, example: true });
    const copies = m.copiedConfigs.length;
    expect(copies).toBe(1);
    expect(guests(m)).toHaveLength(count + copies);
    const onDisk = listTree(m.root).filter((e) =>
      /^repositories\/[^/]+\/VirtualMachines\/[^/]+\/vm\.cfg$/.test(e.path),
    );
    expect(onDisk).toHaveLength(count + copies);
    expect(m.repositories.filter((r) => r.role === "guests")).toHaveLength(
      Math.max(2, Math.ceil(count / 200)),
    );
  });

  it("scales the features with the guest count", () => {
    const small = generate({ guests: 12, example: true });
    const large = generate({ guests: 600, example: true });
    expect(large.orphans.length).toBeGreaterThan(small.orphans.length);
    expect(large.missing.length).toBeGreaterThan(small.missing.length);
    const shared = (m: EstateManifest) =>
      new Set(m.owners.flatMap((o) => o.disks.filter((d) => d.shared).map((d) => d.spec)));
    expect(shared(large).size).toBeGreaterThan(shared(small).size);
  });

  it("honours repositories and templates", () => {
    const m = generate({ guests: 30, repositories: 5, templates: 4, example: true });
    expect(m.repositories).toHaveLength(6);
    expect(m.owners.filter((o) => o.type === "template")).toHaveLength(4);
  });
});

describe("sparse disk files", () => {
  it("have the apparent size asked for but allocate only a little", () => {
    const diskBytes = 2 * 1024 ** 3;
    const m = generate({ guests: 12, diskBytes });
    const files = m.owners.flatMap((o) =>
      o.disks
        .filter((d) => d.present && d.linkTarget === null)
        .map((d) => join(repositoryRoot(m, d.repository!), d.file!)),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const stat = statSync(file);
      expect(stat.size).toBe(diskBytes);
      expect(stat.blocks * 512).toBeLessThan(stat.size / 1024);
      expect(stat.blocks).toBeGreaterThan(0);
    }
    expect(m.counts.apparentBytes).toBeGreaterThanOrEqual(new Set(files).size * diskBytes);
  });

  it("are tiny in example estates", () => {
    const m = generate({ example: true });
    const sizes = listTree(m.root)
      .filter((e) => e.type === "file")
      .map((e) => Number(e.detail));
    expect(Math.max(...sizes)).toBeLessThan(4096);
  });
});

describe("vm.cfg writer styles", () => {
  let m: EstateManifest;
  beforeAll(() => {
    m = generate({ guests: 12, example: true });
  });
  const textsOf = (style: string): string[] =>
    m.owners.filter((o) => o.style === style && o.copyOf === null).map((o) => configText(m, o.ref));

  it("writes Oracle VM Manager files: repr style, bare ints, True/False, OVM_ keys", () => {
    const texts = textsOf("ovm-manager");
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) {
      expect(text).toMatch(/^OVM_simple_name = '[^']*'$/m);
      expect(text).toMatch(/^memory = \d+$/m);
      expect(text).toMatch(/^OVM_high_availability = (True|False)$/m);
      expect(text).toMatch(/^disk = \[('[^']+'(, )?)+\]$/m);
      expect(text).not.toContain('"');
    }
    // Key order is random: not every file starts with the same key.
    expect(new Set(texts.map((t) => t.split(" = ")[0])).size).toBeGreaterThan(1);
  });

  it("writes Exadata files: quoted ints, two trailing spaces, comments, u'' strings, dict lists", () => {
    const texts = textsOf("exadata");
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) {
      expect(text).toMatch(/^memory = '\d+' {2}$/m);
      expect(text).toMatch(/^# /m);
      expect(text).toMatch(/^OVM_simple_name = u'exaclu-\d+' {2}$/m);
      expect(text).toMatch(/^ib_pkeys = \[\{'pf':'03:00.0',.*,\]\},\] {2}$/m);
      expect(text).toContain("file:///EXAVMIMAGES/GuestImages/");
      for (const line of text.split("\n").filter((l) => l && !l.startsWith("#")))
        expect(line).toMatch(/ {2}$/);
    }
  });

  it("writes human files: double quotes, key=value, tabs, multi-line lists, duplicate keys, CRLF, one BOM", () => {
    const texts = textsOf("human");
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) {
      expect(text).toMatch(/^name="[^"]+"\r?$/m);
      expect(text).toMatch(/^kernel\t= "/m);
      expect(text).toMatch(/^disk=\[\r?\n\t"[^"]+",\r?\n/m);
      expect(text.match(/^memory=/gm)).toHaveLength(2);
    }
    expect(texts.filter((t) => t.includes("\r\n")).length).toBeGreaterThan(0);
    expect(texts.filter((t) => !t.includes("\r\n")).length).toBeGreaterThan(0);
    expect(texts.filter((t) => t.startsWith("\uFEFF"))).toHaveLength(1);
    expect(texts.filter((t) => t.match(/^disk=/gm)!.length === 2).length).toBeGreaterThan(0);
  });

  it("records the winning values of duplicated keys", () => {
    const owner = m.owners.find((o) => o.quirks.includes("stale-disk-list"))!;
    const text = configText(m, owner.ref).replaceAll("\r\n", "\n");
    const memories = [...text.matchAll(/^memory=(\d+)$/gm)].map((x) => Number(x[1]));
    expect(memories.at(-1)).toBe(owner.memory);
    expect(memories[0]).not.toBe(owner.memory);
    const lastDiskList = text.slice(text.lastIndexOf("\ndisk=["));
    for (const disk of owner.disks) expect(lastDiskList).toContain(`"${disk.spec}"`);
    const staleList = text.slice(text.indexOf("\ndisk=["), text.lastIndexOf("\ndisk=["));
    for (const disk of owner.disks) expect(staleList).not.toContain(`"${disk.spec}"`);
  });
});

describe("the manifest is true to the tree", () => {
  let m: EstateManifest;
  beforeAll(() => {
    m = generate({ guests: 60, seed: 3, example: true });
  });

  it("lists each disk entry as written in its vm.cfg", () => {
    for (const owner of m.owners) {
      const text = configText(m, owner.ref);
      for (const disk of owner.disks) expect(text).toContain(disk.spec);
    }
  });

  it("names as file what the written path resolves to inside its repository", () => {
    for (const disk of m.owners.flatMap((o) => o.disks).filter((d) => d.repository !== null && d.present)) {
      const root = repositoryRoot(m, disk.repository!);
      const prefix = `/OVS/Repositories/${disk.repository}/`;
      expect(disk.path!.startsWith(prefix), disk.spec).toBe(true);
      const written = join(root, disk.path!.slice(prefix.length));
      if (disk.linkTarget === null)
        expect(realpathSync(written), disk.spec).toBe(join(realpathSync(root), disk.file!));
      else expect(readlinkSync(written), disk.spec).toBe(disk.linkTarget);
    }
  });

  it("says present exactly when the file (or link) exists", () => {
    for (const disk of m.owners.flatMap((o) => o.disks)) {
      if (disk.repository === null) {
        expect(disk.present).toBeNull();
        continue;
      }
      const path = join(repositoryRoot(m, disk.repository), disk.file!);
      expect(existsSync(path) || (disk.linkTarget !== null && lstatSync(path).isSymbolicLink())).toBe(
        disk.present,
      );
    }
    for (const missing of m.missing)
      expect(existsSync(join(repositoryRoot(m, missing.repository), missing.file))).toBe(false);
  });

  it("lists as orphans exactly the VirtualDisks files no vm.cfg names", () => {
    const configs = m.owners.map((o) => configText(m, o.ref)).join("\n");
    const inVirtualDisks = listTree(m.root)
      .filter((e) => e.type !== "dir" && /^repositories\/[^/]+\/VirtualDisks\//.test(e.path))
      .map((e) => e.path);
    const orphanPaths = m.orphans.map(
      (o) => `${m.repositories.find((r) => r.id === o.repository)!.dir}/${o.file}`,
    );
    expect(orphanPaths.length).toBeGreaterThan(0);
    for (const path of inVirtualDisks) {
      const [, id, ...rest] = path.split("/");
      const named = [",", "'", '"'].some((end) =>
        configs.includes(`/OVS/Repositories/${id}/${rest.join("/")}${end}`),
      );
      expect(orphanPaths.includes(path)).toBe(!named);
    }
  });

  it("records symlinks as written, leaving or staying", () => {
    expect(m.symlinks.some((s) => s.leaves)).toBe(true);
    expect(m.symlinks.some((s) => !s.leaves)).toBe(true);
    for (const link of m.symlinks) {
      const path = join(repositoryRoot(m, link.repository), link.file);
      expect(lstatSync(path).isSymbolicLink()).toBe(true);
      expect(readlinkSync(path)).toBe(link.target);
      expect(link.target.startsWith("/")).toBe(link.leaves);
    }
  });

  it("marks as shared exactly the files, LUNs and external files used by several owners", () => {
    for (const disk of m.owners.flatMap((o) => o.disks)) {
      expect(disk.shared).toBe(disk.kind !== "iso" && disk.kind !== "empty-cdrom" && disk.users.length > 1);
    }
  });

  it("marks as running the guests named in xm-list.txt", () => {
    const listed = readFileSync(join(m.root, "xm-list.txt"), "utf8")
      .split("\n")
      .slice(2)
      .map((line) => line.split(/\s+/)[0])
      .filter(Boolean);
    expect(listed.length).toBeGreaterThan(0);
    for (const owner of m.owners) expect(owner.running).toBe(listed.includes(owner.name));
  });

  it("takes NFS mounts from the guest backups' fstab", () => {
    for (const guest of guests(m).filter((g) => g.copyOf === null)) {
      const fstab = readFileSync(
        join(m.root, "guest-backups", guest.simpleName ?? guest.name, "etc/fstab"),
        "utf8",
      );
      const nfs = fstab
        .split("\n")
        .filter((line) => /^\S+\s+\S+\s+nfs4?\s/.test(line))
        .map((line) => line.split(/\s+/).slice(0, 3).join(" "));
      expect(guest.nfsMounts.map((n) => `${n.source} ${n.mountPoint} ${n.fstype}`)).toEqual(nfs);
    }
  });

  it("expects coverage partial exactly when something is outside or missing", () => {
    for (const owner of m.owners) {
      const missing = owner.disks.some((d) => d.present === false);
      expect(owner.expected.coverage).toBe(
        owner.expected.outside.length > 0 || missing ? "partial" : "complete",
      );
      expect(owner.expected.files[0]).toEqual({
        repository: owner.repository,
        file: owner.config,
        role: "config",
      });
    }
  });
});

// Every seed must give every feature, even at the smallest default size.
describe.each(Array.from({ length: 40 }, (_, i) => i + 1))("features (seed %i)", (seed) => {
  let m: EstateManifest;
  beforeAll(() => {
    m = generate({ guests: 12, seed, example: true });
  });
  const disks = () => m.owners.flatMap((o) => o.disks.map((d) => ({ ...d, owner: o })));

  it("has at least one of each thing the brief asks for", () => {
    const all = disks();
    const kinds = new Set(all.map((d) => d.kind));
    expect([...kinds].sort()).toEqual([
      "empty-cdrom",
      "external-file",
      "iso",
      "physical-disk",
      "virtual-disk",
    ]);
    expect(all.some((d) => d.kind === "virtual-disk" && d.spec.endsWith(",w!") && d.users.length >= 2)).toBe(
      true,
    );
    expect(all.some((d) => d.kind === "physical-disk" && d.spec.endsWith(",w!") && d.users.length >= 2)).toBe(
      true,
    );
    expect(all.some((d) => /^phy:\/dev\/mapper\/36[0-9a-f]{31},/.test(d.spec))).toBe(true);
    expect(all.some((d) => d.spec.startsWith("tap:aio:"))).toBe(true);
    expect(all.some((d) => d.spec.startsWith("format=raw,vdev="))).toBe(true);
    expect(all.some((d) => /^,hd[c-z]:cdrom,r$/.test(d.spec))).toBe(true);
    expect(all.some((d) => d.kind === "virtual-disk" && d.repository !== d.owner.repository)).toBe(true);
    expect(
      all.some(
        (d) =>
          d.users.some((u) => u.includes("/Templates/")) &&
          d.users.some((u) => u.includes("/VirtualMachines/")),
      ),
    ).toBe(true);
    expect(all.some((d) => d.file?.startsWith(`VirtualMachines/${d.owner.folder}/`))).toBe(true);
    expect(all.some((d) => d.file?.endsWith(".raw"))).toBe(true);
    expect(all.some((d) => d.linkTarget?.startsWith("/EXAVMIMAGES/GuestImages/"))).toBe(true);
    expect(
      all.some(
        (d) =>
          d.kind === "external-file" &&
          d.spec.includes("/VirtualDisks/../../../../") &&
          d.path === "/srv/escape.img",
      ),
    ).toBe(true);
    const known = m.repositories.map((r) => r.id);
    expect(
      all.some(
        (d) =>
          d.kind === "external-file" &&
          d.path!.startsWith("/OVS/Repositories/") &&
          !known.some((id) => d.path!.includes(id)),
      ),
    ).toBe(true);
    const role = (id: string) => m.repositories.find((r) => r.id === id)!.role;
    expect(guests(m).some((g) => role(g.repository) === "resources")).toBe(true);
    expect(all.some((d) => d.kind === "iso" && role(d.repository!) === "guests")).toBe(true);
    expect(m.missing.length).toBeGreaterThan(0);
    expect(m.orphans.some((o) => o.file.endsWith(".img"))).toBe(true);
    expect(m.orphans.some((o) => o.file.endsWith(".CLONE"))).toBe(true);
    expect(m.copiedConfigs).toHaveLength(1);
    expect(guests(m).some((g) => g.folder !== g.name)).toBe(true);
    expect(guests(m).some((g) => /^[0-9A-F]{32}$/.test(g.folder))).toBe(true);
    expect(
      m.repositories.some((r) => r.exadata && /^[0-9a-f]{32}$/.test(r.id) && !r.id.startsWith("0004fb")),
    ).toBe(true);
    expect(m.unmatchedGuestBackups).toHaveLength(1);
    expect(guests(m).some((g) => g.nfsMounts.some((n) => n.fstype === "nfs"))).toBe(true);
    expect(m.ignored.some((p) => p.includes("/.snapshot/") && p.endsWith("/vm.cfg"))).toBe(true);
  });

  it("writes the repository furniture", () => {
    const tree = listTree(m.root).map((e) => e.path);
    for (const repository of m.repositories) {
      const ovsrepo = readFileSync(join(m.root, repository.dir, ".ovsrepo"), "utf8");
      expect(ovsrepo).toContain(`OVS_REPO_UUID=${repository.id}\n`);
      expect(ovsrepo).toContain(`OVS_REPO_ALIAS=${repository.alias}\n`);
      expect(tree).toContain(`${repository.dir}/.generic_fs_stamp`);
      expect(tree).toContain(`${repository.dir}/lost+found`);
    }
    expect(m.repositories.map((r) => r.alias)).toEqual(["Guests-Pool1", "Guests-Pool2", "Templates-NFS"]);
    const meta = JSON.parse(readFileSync(join(m.root, m.repositories[0]!.dir, ".ovsmeta"), "utf8"));
    expect(
      Object.values(meta).every((v) => (v as { OBJECT_TYPE: string }).OBJECT_TYPE === "VIRTUAL_DISK"),
    ).toBe(true);
    expect(tree.some((p) => /\/Assemblies\/[0-9a-f]{32}\/package\.ova$/.test(p))).toBe(true);
    expect(tree.some((p) => /\/Assemblies\/[0-9a-f]{32}\/imports\/[^/]+\.ovf$/.test(p))).toBe(true);
  });

  it("switches each feature off on request", () => {
    const off = Object.fromEntries(ESTATE_FEATURES.map((f) => [f, false]));
    const bare = generate({ guests: 12, example: true, features: off });
    const all = bare.owners.flatMap((o) => o.disks);
    expect(new Set(all.map((d) => d.kind))).toEqual(new Set(["virtual-disk"]));
    expect(all.every((d) => d.users.length === 1 && d.present)).toBe(true);
    expect(bare.orphans).toEqual([]);
    expect(bare.missing).toEqual([]);
    expect(bare.symlinks).toEqual([]);
    expect(bare.copiedConfigs).toEqual([]);
    expect(bare.xmList).toBeNull();
    expect(bare.guestBackupsDir).toBeNull();
    expect(bare.owners.every((o) => o.running === null && o.quirks.length === 0)).toBe(true);
    expect(existsSync(join(bare.root, "xm-list.txt"))).toBe(false);
    expect(existsSync(join(bare.root, "guest-backups"))).toBe(false);
  });
});

describe("the bundled example estate", () => {
  it("is what `generate-estate examples/estate --example` writes today", () => {
    const bundled = fileURLToPath(new URL("../../examples/estate", import.meta.url));
    const fresh = generate({ example: true });
    expect(listTree(bundled)).toEqual(listTree(fresh.root));
  });
});
