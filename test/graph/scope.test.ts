// One guest's or repository's neighbourhood: the query, the scoped graph, the selectors, `graph --guest/--repository`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  buildGraph,
  type GraphScope,
  isSelectionError,
  neighbourhoodOf,
  renderDot,
  type SerializedGraph,
  SerializedGraphSchema,
  scopeGraph,
  selectGraphScope,
  serializeGraph,
} from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";
import { inRepository, owner, repoFile, repository, sampleEstate, scanOf } from "../support/scan-factory.js";

const sample = sampleEstate();
const graph = buildGraph(sample);

const scope = (fields: Partial<GraphScope>): GraphScope => ({
  guests: [],
  repositories: [],
  owners: [],
  repositoryIds: [],
  ...fields,
});

describe("neighbourhoodOf", () => {
  it("is an owner, what it uses and mounts, and the owners that share a disk, LUN or file with it", () => {
    expect([...neighbourhoodOf(graph, ["G/VirtualMachines/vm2"])].sort()).toEqual([
      "disk:G/VirtualDisks/exa.img",
      "disk:G/VirtualDisks/missing.img",
      "disk:G/VirtualDisks/shared.img",
      "file:/EXAVMIMAGES/conf/extra.img",
      "guest:G/VirtualMachines/vm1",
      "guest:G/VirtualMachines/vm1copy",
      "guest:G/VirtualMachines/vm2",
      "iso:/var/tmp/tools.iso",
      "lun:/dev/mapper/3600a0b80",
      "nfs:nas:/export/data",
    ]);
  });

  it("takes node keys too, and leaves out owners it does not know", () => {
    expect([...neighbourhoodOf(graph, ["template:T/Templates/tpl", "G/VirtualMachines/nobody"])]).toEqual([
      "template:T/Templates/tpl",
      "disk:T/VirtualDisks/t.img",
    ]);
  });

  it("brings in no one through an ISO or an NFS export: they are meant to be shared", () => {
    const nfs = [{ source: "nas:/export", mountPoint: "/mnt", fstype: "nfs" }];
    const scan = scanOf(
      [repository("R", [repoFile("ISOs/os.iso")])],
      ["a", "b"].map((id) =>
        owner("R", id, [inRepository("R", "ISOs/os.iso", { devtype: "cdrom" })], { nfsMounts: nfs }),
      ),
    );
    expect([...neighbourhoodOf(buildGraph(scan), ["R/VirtualMachines/a"])].sort()).toEqual([
      "guest:R/VirtualMachines/a",
      "iso:R/ISOs/os.iso",
      "nfs:nas:/export",
    ]);
  });
});

describe("scopeGraph", () => {
  it("keeps the neighbourhood, the repositories it sits in, the edges between what it keeps, and says its scope", () => {
    const picked = scope({ guests: ["vm2"], owners: ["G/VirtualMachines/vm2"] });
    const scoped = serializeGraph(scopeGraph(graph, picked));
    expect(SerializedGraphSchema.safeParse(scoped).success).toBe(true);
    expect(scoped.attributes.scope).toEqual(picked);
    const keys = scoped.nodes.map((node) => node.key);
    expect(keys).toContain("repository:G");
    expect(keys).not.toContain("repository:T");
    expect(keys).not.toContain("disk:G/VirtualDisks/a.img");
    expect(keys).not.toContain("template:T/Templates/tpl");
    // vm1 is there (it shares a disk) with only its edges into the neighbourhood.
    const vm1 = scoped.edges.filter((edge) => edge.source === "guest:G/VirtualMachines/vm1");
    expect(vm1.map((edge) => edge.target).sort()).toEqual([
      "disk:G/VirtualDisks/shared.img",
      "lun:/dev/mapper/3600a0b80",
      "nfs:nas:/export/data",
    ]);
    for (const edge of scoped.edges) expect(keys).toContain(edge.target);
    // Everything else is as the whole graph has it.
    const whole = serializeGraph(graph);
    for (const node of scoped.nodes) expect(whole.nodes).toContainEqual(node);
    expect(scoped.attributes.complete).toBe(whole.attributes.complete);
  });

  it("keeps a repository whole, with its owners' neighbourhood and the users of its virtual disks", () => {
    const keys = scopeGraph(graph, scope({ repositories: ["Templates"], repositoryIds: ["T"] })).nodes();
    for (const key of [
      "repository:T",
      "iso:T/ISOs/os.iso",
      "assembly:T/Assemblies/asm1",
      "template:T/Templates/tpl",
      "disk:T/VirtualDisks/x.img",
      // vm1 uses T's x.img: it is in T's picture, with what it shares.
      "guest:G/VirtualMachines/vm1",
      "guest:G/VirtualMachines/vm2",
    ])
      expect(keys).toContain(key);
    expect(keys).not.toContain("disk:G/VirtualDisks/orphan.img");
  });
});

describe("selectGraphScope", () => {
  it("resolves --guest as plan does and --repository by id, folder name or alias", () => {
    const picked = selectGraphScope(sample, ["vm2"], ["Templates", "G"]);
    expect(picked).toEqual({
      guests: ["vm2"],
      repositories: ["Templates", "G"],
      owners: ["G/VirtualMachines/vm2"],
      repositoryIds: ["T", "G"],
    });
  });

  it("returns every selector that picks nothing, with candidates", () => {
    const picked = selectGraphScope(sample, ["nobody"], ["Temp"]);
    if (!isSelectionError(picked)) throw new Error("expected a selection error");
    expect(picked.problems).toEqual([
      expect.objectContaining({ selector: "nobody", kind: "unknown" }),
      {
        selector: "Temp",
        kind: "unknown",
        candidates: ["T"],
        names: { T: "Templates" },
        selects: "repository",
      },
    ]);
  });
});

/** Graphviz on PATH (CI installs it). */
const haveGraphviz = spawnSync("dot", ["-V"]).status === 0;

/** Width and height (pt) of an SVG Graphviz drew. */
function sizeOf(svg: string): { width: number; height: number } {
  const match = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg);
  if (match === null) throw new Error("no SVG size");
  return { width: Number(match[1]), height: Number(match[2]) };
}

describe("graph of generated estates with guest backups", () => {
  let dir: string;
  const estates: EstateManifest[] = [];
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "ovm-deps-scope-"));
    // 200 guests is where Graphviz 2.43 failed with "trouble in init_rank" before newrank.
    for (const [guests, seed] of [
      [12, 3],
      [40, 11],
      [200, 5],
    ] as const)
      estates.push(generateEstate(path.join(dir, `estate-${guests}`), { guests, seed }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const graphCli = (manifest: EstateManifest, args: string[]) =>
    runCli([
      "graph",
      path.join(manifest.root, manifest.repositoriesDir),
      "--guest-backups",
      path.join(manifest.root, manifest.guestBackupsDir ?? ""),
      "--quiet",
      ...args,
    ]);

  it("draws every estate with Graphviz: exit 0, no error, wider than tall when small", (context) => {
    if (!haveGraphviz) context.skip("Graphviz `dot` is not on PATH");
    for (const manifest of estates) {
      const run = graphCli(manifest, []);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("nfs:");
      const drawn = spawnSync("dot", ["-Tsvg"], { input: run.stdout, encoding: "utf8", maxBuffer: 1 << 30 });
      expect(drawn.stderr).not.toContain("trouble in init_rank");
      expect(drawn.status).toBe(0);
      if (manifest.owners.length < 60) {
        const { width, height } = sizeOf(drawn.stdout);
        expect(width).toBeGreaterThan(height);
      }
    }
  });

  it("--guest: every format is that guest's neighbourhood, and the JSON says its scope", () => {
    const manifest = estates[1]!;
    const shared = manifest.owners.find((o) => o.type === "guest" && o.copyOf === null)!;
    const json = graphCli(manifest, ["--guest", shared.ref, "--format", "json"]);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as SerializedGraph;
    expect(document.attributes.scope).toEqual({
      guests: [shared.ref],
      repositories: [],
      owners: [shared.ref],
      repositoryIds: [],
    });
    const whole = JSON.parse(graphCli(manifest, ["--format", "json"]).stdout) as SerializedGraph;
    expect(document.nodes.length).toBeLessThan(whole.nodes.length);
    const keys = document.nodes.map((node) => node.key);
    expect(keys).toContain(`guest:${shared.ref}`);
    // DOT and Mermaid draw the same nodes: DOT names them, Mermaid numbers them.
    const dot = graphCli(manifest, ["--guest", shared.ref]);
    expect(dot.stdout).toBe(renderDot(document));
    expect(dot.stdout).toContain(`  // scope: --guest ${shared.ref}`);
    for (const key of keys) expect(dot.stdout).toContain(`"${key}"`);
    const mermaid = graphCli(manifest, ["--guest", shared.ref, "--format", "mermaid"]);
    expect(mermaid.stdout.match(/^ +n\d+[[({>]/gm)).toHaveLength(
      keys.filter((key) => !key.startsWith("repository:")).length,
    );
  });

  it("Mermaid of a large estate stays within Mermaid's limits and says so on stderr; one guest's is whole", () => {
    const manifest = estates[2]!;
    const whole = graphCli(manifest, ["--format", "mermaid"]);
    expect(whole.code).toBe(0);
    expect(whole.stdout.length).toBeLessThanOrEqual(50_000);
    expect(whole.stdout.match(/^ {2}n\d+ -(->|\.->)/gm)?.length).toBeLessThanOrEqual(500);
    expect(whole.stdout.trimEnd().split("\n").at(-1)).toMatch(/^ {2}cut>".* guests and templates .*left out/);
    expect(whole.stderr).toMatch(
      /^warning: mermaid: \d+ of \d+ guests and templates .*--guest SEL or --repository SEL$/m,
    );
    const guest = manifest.owners.find((o) => o.type === "guest")!;
    const one = graphCli(manifest, ["--format", "mermaid", "--guest", guest.ref]);
    expect(one.code).toBe(0);
    expect(one.stderr).not.toContain("mermaid");
    expect(one.stdout).not.toContain("left out");
  });

  it("--repository SEL beside --repository NAME=DIR; an unknown one is a usage error listing candidates", () => {
    const manifest = estates[0]!;
    const [first] = manifest.repositories;
    const run = graphCli(manifest, ["--repository", first!.id, "--format", "json"]);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as SerializedGraph;
    expect(document.attributes.scope?.repositoryIds).toEqual([first!.id]);
    const named = graphCli(manifest, [
      "--repository",
      `copy=${path.join(manifest.root, manifest.repositoriesDir, first!.id)}`,
      "--repository",
      "copy",
      "--format",
      "json",
    ]);
    expect(named.code).toBe(0);
    expect((JSON.parse(named.stdout) as SerializedGraph).attributes.scope?.repositoryIds).toEqual([
      first!.id,
    ]);
    const unknown = graphCli(manifest, ["--repository", "no-such-repository", "--guest", "no-such-guest"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toContain('--guest "no-such-guest" matches no guest or template');
    expect(unknown.stderr).toContain('--repository "no-such-repository" matches no scanned repository');
  });
});
