// The graph of a generated estate, scanned from disk, against the generator's ground truth; the `graph` command.
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  buildGraph,
  crossRepositoryReferences,
  disksOf,
  type EstateGraph,
  fileKey,
  nfsKey,
  ownerKey,
  referenceKey,
  type ScanResult,
  SerializedGraphSchema,
  scanRepositories,
  serializeGraph,
  usersOf,
} from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";

let dir: string;
let manifest: EstateManifest;
let roots: string[];
let scan: ScanResult;
let graph: EstateGraph;

/** The flags that give the scanner everything the generator wrote. */
const flags = (): string[] => [
  ...roots,
  "--guest-backups",
  path.join(manifest.root, manifest.guestBackupsDir ?? ""),
  "--xm-list",
  path.join(manifest.root, manifest.xmList ?? ""),
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "ovm-deps-graph-"));
  manifest = generateEstate(path.join(dir, "estate"), { guests: 30, seed: 7 });
  roots = [path.join(manifest.root, manifest.repositoriesDir)];
  scan = await scanRepositories(roots, {
    guestBackups: path.join(manifest.root, manifest.guestBackupsDir ?? ""),
    xmList: path.join(manifest.root, manifest.xmList ?? ""),
  });
  graph = buildGraph(scan);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run `ovm-deps graph ARGS…`. */
const graphCli = (args: string[]) => runCli(["graph", ...args]);

/** The scanned owner with this reference. */
const scanned = (ref: string) => [...scan.guests, ...scan.templates].find((o) => o.ref === ref);

describe("the graph of a generated estate", () => {
  it("has one guest or template node per vm.cfg, copied vm.cfgs included", () => {
    const owners = graph.filterNodes((_k, a) => a.kind === "guest" || a.kind === "template");
    expect(owners.map((key) => graph.getNodeAttribute(key, "ref")).sort()).toEqual(
      manifest.owners.map((o) => o.ref).sort(),
    );
    expect(manifest.copiedConfigs.length).toBeGreaterThan(0);
    for (const copy of manifest.copiedConfigs) {
      const uuids = [copy.original, copy.copy].map((ref) => graph.getNodeAttribute(`guest:${ref}`, "uuid"));
      expect(uuids[0]).toBe(uuids[1]);
    }
  });

  it("gives every disk, LUN and external file the users the generator wrote", () => {
    let checked = 0;
    for (const expected of manifest.owners) {
      const owner = scanned(expected.ref);
      expect(owner, expected.ref).toBeDefined();
      expected.disks.forEach((disk, index) => {
        const reference = owner?.disks[index];
        // ISOs left out: attachIso (test/support/estate/disks.ts) picks the written ISO and the
        // manifest's ISO file independently, so the manifest's ISO users are not what the vm.cfg
        // files say.
        if (disk.kind === "empty-cdrom" || disk.kind === "iso" || reference === undefined) return;
        expect(usersOf(graph, referenceKey(reference)), disk.spec).toEqual([...disk.users].sort());
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(manifest.owners.length);
  });

  it("lists an owner's disks in vm.cfg order without empty CD-ROMs", () => {
    for (const expected of manifest.owners) {
      const owner = scanned(expected.ref);
      const keys = (owner?.disks ?? []).filter((d) => d.kind !== "empty-cdrom").map(referenceKey);
      expect(disksOf(graph, ownerKey({ type: expected.type, ref: expected.ref }))).toEqual([
        ...new Set(keys),
      ]);
    }
  });

  it("shows orphans (contained, unused) and missing files (present false)", () => {
    expect(manifest.orphans.length).toBeGreaterThan(0);
    for (const orphan of manifest.orphans) {
      const key = fileKey(orphan.repository, orphan.file);
      expect(usersOf(graph, key)).toEqual([]);
      expect(graph.inNeighbors(key)).toEqual([`repository:${orphan.repository}`]);
    }
    expect(manifest.missing.length).toBeGreaterThan(0);
    for (const missing of manifest.missing) {
      expect(graph.getNodeAttribute(fileKey(missing.repository, missing.file), "present")).toBe(false);
    }
  });

  it("links guests to the NFS exports of their guest backups", () => {
    const mounts = manifest.owners.flatMap((o) =>
      o.nfsMounts.map((m) => ({ owner: o.ref, source: m.source })),
    );
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts) expect(usersOf(graph, nfsKey(mount.source))).toContain(mount.owner);
  });

  it("finds exactly the cross-repository virtual disks", () => {
    const expected = manifest.owners.flatMap((o) =>
      o.disks
        .filter((d) => d.kind === "virtual-disk" && d.repository !== null && d.repository !== o.repository)
        .map((d) => `${o.ref} ${fileKey(d.repository ?? "", d.file ?? "")}`),
    );
    expect(expected.length).toBeGreaterThan(0);
    const found = crossRepositoryReferences(graph).map((c) => `${c.owner} ${c.node}`);
    expect(found).toEqual([...new Set(expected)].sort());
  });
});

/** Every path under `root` with its type, size, mode and modification time (links not followed). */
function snapshotTree(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .sort()
    .map((entry) => {
      const stat = lstatSync(path.join(root, entry));
      return `${entry} ${stat.mode} ${stat.size} ${stat.mtimeMs}`;
    });
}

describe("ovm-deps graph", () => {
  it("prints graphology's JSON serialisation of the scanned estate, exit 0", () => {
    const run = graphCli([...flags(), "--format", "json"]);
    expect(run.code).toBe(0);
    const document = SerializedGraphSchema.parse(JSON.parse(run.stdout));
    expect(document).toEqual(serializeGraph(graph));
  });

  it("prints DOT by default (and for --format text), Mermaid on request", () => {
    const dot = graphCli(flags());
    expect(dot.code).toBe(0);
    expect(dot.stdout.startsWith('digraph "ovm-deps" {')).toBe(true);
    expect(graphCli([...flags(), "--format", "text"]).stdout).toBe(dot.stdout);
    const mermaid = graphCli([...flags(), "--format", "mermaid"]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.startsWith("flowchart LR\n")).toBe(true);
  });

  it("exits 2 without a stack trace on a usage error", () => {
    for (const args of [
      [...flags(), "--format", "svg"],
      [path.join(dir, "no-such-root")],
      [],
      [...flags(), "--bogus"],
    ]) {
      const run = graphCli(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe("");
    }
  });

  it("leaves the scanned tree as it was", () => {
    const before = snapshotTree(manifest.root);
    for (const format of ["json", "dot", "mermaid"])
      expect(graphCli([...flags(), "--format", format]).code).toBe(0);
    expect(snapshotTree(manifest.root)).toEqual(before);
  });
});
