// End to end: a generated estate scanned, every classification compared with the generator's manifest.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type IoMode, type Owner, type Reference, type ScanResult, scanRepositories } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";

describe("a generated estate, scanned", () => {
  let dir = "";
  let manifest: EstateManifest;
  let result: ScanResult;
  let owners: Map<string, Owner>;
  let scan: (io: IoMode) => Promise<ScanResult>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "ovm-deps-estate-scan-"));
    manifest = generateEstate(dir, { guests: 60, seed: 11, diskBytes: 1024 * 1024 });
    scan = (io) =>
      scanRepositories([path.join(dir, manifest.repositoriesDir)], {
        guestBackups: manifest.guestBackupsDir === null ? null : path.join(dir, manifest.guestBackupsDir),
        xmList: manifest.xmList === null ? null : path.join(dir, manifest.xmList),
        io,
      });
    result = await scan("auto");
    owners = new Map([...result.guests, ...result.templates].map((o) => [o.ref, o]));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("finds every repository with its id and role", () => {
    expect(result.repositories.map((r) => [r.id, r.role]).sort()).toEqual(
      manifest.repositories.map((r) => [r.id, r.role]).sort(),
    );
  });

  it("finds every guest and template, one per vm.cfg, with identity and running state", () => {
    expect([...owners.keys()].sort()).toEqual(manifest.owners.map((o) => o.ref).sort());
    for (const expected of manifest.owners) {
      const owner = owners.get(expected.ref)!;
      expect(
        [owner.type, owner.uuid, owner.name, owner.simpleName, owner.running, owner.ok],
        expected.ref,
      ).toEqual([expected.type, expected.uuid, expected.name, expected.simpleName, expected.running, true]);
    }
  });

  it("classifies every disk as the manifest says", () => {
    // The fields a scanned Reference and a manifest disk both carry.
    const compared = (d: EstateManifest["owners"][number]["disks"][number] | Reference) => ({
      spec: d.spec,
      kind: d.kind,
      path: d.path,
      repository: d.repository,
      file: d.file,
      present: d.present,
      bytes: d.bytes,
      linkTarget: d.linkTarget,
    });
    for (const expected of manifest.owners) {
      const actual = owners.get(expected.ref)!.disks.map(compared);
      const wanted = expected.disks.map(compared);
      expect(actual, expected.ref).toEqual(wanted);
    }
  });

  it("reads the NFS mounts of the guest backups and reports the unmatched folders", () => {
    for (const expected of manifest.owners) {
      expect(owners.get(expected.ref)!.nfsMounts, expected.ref).toEqual(expected.nfsMounts);
    }
    const unmatched = result.diagnostics
      .filter((d) => d.code === "guest-backup-unmatched")
      .map((d) => d.file);
    expect(unmatched.sort()).toEqual(manifest.unmatchedGuestBackups.map((f) => path.join(dir, f)).sort());
  });

  it("lists orphans and links in the inventory, leaves ignored folders out", () => {
    const files = new Map(result.repositories.flatMap((r) => r.files.map((f) => [`${r.id}/${f.file}`, f])));
    for (const orphan of manifest.orphans)
      expect(files.has(`${orphan.repository}/${orphan.file}`)).toBe(true);
    for (const link of manifest.symlinks) {
      const file = files.get(`${link.repository}/${link.file}`);
      expect(file?.type, link.file).toBe("symlink");
      expect(file!.linkTarget !== null, link.file).toBe(link.leaves);
    }
    const roots = new Map(result.repositories.map((r) => [r.id, r.root]));
    const listed = [...files.keys()].map((key) => {
      const [id, ...rest] = key.split("/");
      return path.relative(dir, path.join(roots.get(id!)!, ...rest));
    });
    for (const ignored of manifest.ignored) {
      expect(listed.filter((f) => f.startsWith(ignored.replace(/\/$/, "")))).toEqual([]);
    }
  });

  it("gives the same inventory whichever way the file system is called", async () => {
    expect(await scan("direct")).toEqual(result);
    expect(await scan("concurrent")).toEqual(result);
  });
});
