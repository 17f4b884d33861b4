// Serialising and rendering the graph: JSON that validates and round-trips, DOT that Graphviz draws, Mermaid.
import { spawnSync } from "node:child_process";
import { MultiDirectedGraph } from "graphology";
import {
  buildGraph,
  MERMAID_LIMITS,
  mermaidChart,
  renderDot,
  renderMermaid,
  type SerializedGraph,
  SerializedGraphSchema,
  serializeGraph,
} from "ovm-deps";
import { describe, expect, it } from "vitest";
import { inRepository, owner, repoFile, repository, sampleEstate, scanOf } from "../support/scan-factory.js";

const sample = serializeGraph(buildGraph(sampleEstate()));

/** A name with a quote and a real newline, as the brief's hostile example. */
const HOSTILE = 'a"b\nc';
/** A name made of DOT's escape characters: backslash-quote, backslash-n, and a trailing backslash. */
const ESCAPES = 'x\\"y\\nz\\';

/** A scan whose repository, guest and disk names are hostile to DOT and Mermaid. */
function hostileGraph(): SerializedGraph {
  const repo = 'R"1';
  const file = `VirtualDisks/${ESCAPES}.img`;
  return serializeGraph(
    buildGraph(
      scanOf(
        [repository(repo, [repoFile(file)], { alias: HOSTILE })],
        [owner(repo, "g;}{", [inRepository(repo, file)], { simpleName: `${HOSTILE}\u0007<b>#1&\`end` })],
      ),
    ),
  );
}

/** Graphviz on PATH, or null (CI installs it where it can). */
const dotVersion = spawnSync("dot", ["-V"], { encoding: "utf8" });
const haveGraphviz = dotVersion.status === 0;

/** The statements of one `subgraph "cluster_<repository id>"` block of a DOT text. */
function cluster(dot: string, id: string): string[] {
  const lines = dot.split("\n");
  const start = lines.indexOf(`  subgraph "cluster_${id}" {`);
  if (start < 0) return [];
  return lines.slice(start + 1, lines.indexOf("  }", start));
}

/** The DOT statement of a node, by its key. */
const statementOf = (dot: string, key: string): string =>
  dot.split("\n").find((line) => line.trimStart().startsWith(`"${key}" [`)) ?? "";

describe("serializeGraph", () => {
  it("gives graphology's serialisation, valid against SerializedGraphSchema", () => {
    expect(SerializedGraphSchema.safeParse(sample).success).toBe(true);
    expect(sample.options).toEqual({ type: "directed", multi: true, allowSelfLoops: true });
    expect(sample.nodes.every((node) => typeof node.attributes.kind === "string")).toBe(true);
    expect(sample.edges.every((edge) => typeof edge.key === "string")).toBe(true);
  });

  it("round-trips through graphology's import and JSON", () => {
    const imported = MultiDirectedGraph.from(JSON.parse(JSON.stringify(sample)));
    expect(imported.order).toBe(sample.nodes.length);
    expect(imported.size).toBe(sample.edges.length);
    expect(imported.export()).toEqual(sample);
  });

  it("names edges by kind, owner and entry, so the same scan gives the same document", () => {
    expect(serializeGraph(buildGraph(sampleEstate()))).toEqual(sample);
    expect(sample.edges.map((edge) => edge.key)).toContain("uses:guest:G/VirtualMachines/vm1#6");
  });
});

describe("renderDot", () => {
  const dot = renderDot(sample);

  it("draws one cluster per repository holding its content, and what is outside every repository outside", () => {
    expect(dot.match(/subgraph "cluster_[^"]+" \{/g)).toHaveLength(2);
    const g = cluster(dot, "G").join("\n");
    expect(g).toContain('"guest:G/VirtualMachines/vm1"');
    expect(g).toContain('"disk:G/VirtualDisks/orphan.img"');
    expect(g).not.toContain('"iso:T/ISOs/os.iso"');
    expect(cluster(dot, "T").join("\n")).toContain('"assembly:T/Assemblies/asm1"');
    for (const key of [
      "lun:/dev/mapper/3600a0b80",
      "file:/EXAVMIMAGES/conf/extra.img",
      "nfs:nas:/export/data",
    ]) {
      expect(statementOf(dot, key)).toMatch(/^ {2}"/);
    }
  });

  it("makes shared disks, LUNs and files stand out, not shared ISOs or disks with one user", () => {
    for (const key of ["disk:G/VirtualDisks/shared.img", "lun:/dev/mapper/3600a0b80"]) {
      expect(statementOf(dot, key)).toContain("shape=doubleoctagon, color=red");
    }
    for (const key of ["iso:T/ISOs/os.iso", "disk:T/VirtualDisks/t.img", "disk:G/VirtualDisks/orphan.img"]) {
      expect(statementOf(dot, key)).not.toContain("doubleoctagon");
    }
  });

  it("dashes missing files and says they are missing", () => {
    const missing = statementOf(dot, "disk:G/VirtualDisks/missing.img");
    expect(missing).toContain("style=dashed");
    expect(missing).toContain("(missing)");
    expect(statementOf(dot, "disk:G/VirtualDisks/a.img")).not.toContain("dashed");
  });

  it("shows links leaving their repository, running guests and empty repositories", () => {
    expect(statementOf(dot, "disk:G/VirtualDisks/exa.img")).toContain(
      "\\n-> /EXAVMIMAGES/GuestImages/vm2/System.img",
    );
    expect(statementOf(dot, "guest:G/VirtualMachines/vm1")).toContain("\\n(running)");
    expect(statementOf(dot, "guest:G/VirtualMachines/vm2")).not.toContain("(running)");
    const empty = renderDot(serializeGraph(buildGraph(scanOf([repository("E", [])], []))));
    expect(cluster(empty, "E")).toContain('    "repository:E" [label="(empty)", shape=plaintext];');
  });

  it("draws uses and mounts edges, not contains edges", () => {
    expect(dot).toContain(
      '"guest:G/VirtualMachines/vm1" -> "disk:G/VirtualDisks/shared.img" [label="xvdb w!"];',
    );
    expect(dot).toContain(
      '"guest:G/VirtualMachines/vm2" -> "nfs:nas:/export/data" [label="/mnt/data", style=dashed];',
    );
    expect(dot).not.toContain('"repository:G" ->');
  });

  it("quotes and escapes hostile names: one statement per line, no raw control character, no early quote", () => {
    const hostile = renderDot(hostileGraph());
    const lines = hostile.trimEnd().split("\n");
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/(;|\{|\})$/);
    expect(hostile).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(hostile).toContain('label="a\\"b\\\\nc\\nR\\"1"');
    expect(hostile).toContain(String.raw`"disk:R\"1/VirtualDisks/x\\\\\"y\\\\nz\\\\.img"`);
    // Every quote that is not escaped opens or closes a string: an even number on each line.
    for (const line of lines) expect((line.replace(/\\\\/g, "").match(/(?<!\\)"/g) ?? []).length % 2).toBe(0);
  });

  it("is drawn by Graphviz (dot -Tsvg), hostile names included", (context) => {
    if (!haveGraphviz) context.skip("Graphviz `dot` is not on PATH: only the structure was checked");
    for (const graph of [sample, hostileGraph()]) {
      const run = spawnSync("dot", ["-Tsvg"], { input: renderDot(graph), encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("<svg");
    }
    const svg = spawnSync("dot", ["-Tsvg"], { input: renderDot(hostileGraph()), encoding: "utf8" }).stdout;
    expect(svg).toContain("a&quot;b\\nc");
    // Graphviz shows each name as the text output does: control characters and backslashes escaped.
    expect(svg).toContain(String.raw`x\\&quot;y\\nz\\.img`);
  });
});

describe("renderMermaid", () => {
  const mermaid = renderMermaid(sample);

  it("is a flowchart with a subgraph per repository and safe node ids", () => {
    const lines = mermaid.trimEnd().split("\n");
    expect(lines[0]).toBe("flowchart LR");
    expect(lines.filter((line) => /^ {2}subgraph r\d+\[".*"\]$/.test(line))).toHaveLength(2);
    expect(lines.filter((line) => line === "  end")).toHaveLength(2);
    expect(mermaid).not.toContain("disk:");
    const ids = new Set(mermaid.match(/\bn\d+\b/g));
    expect(ids.size).toBe(sample.nodes.length - 2);
  });

  it("marks shared and missing nodes with classes", () => {
    const index = (key: string): string => `n${sample.nodes.findIndex((node) => node.key === key)}`;
    const shared = mermaid
      .split("\n")
      .find((line) => line.endsWith(" shared") && line.startsWith("  class "));
    expect(shared?.split(" ")[3]?.split(",")).toContain(index("disk:G/VirtualDisks/shared.img"));
    expect(shared?.split(" ")[3]?.split(",")).not.toContain(index("iso:T/ISOs/os.iso"));
    expect(mermaid).toContain(`  class ${index("disk:G/VirtualDisks/missing.img")} missing`);
  });

  it("escapes hostile labels with entity codes and never lets a name end a label or a line", () => {
    const hostile = renderMermaid(hostileGraph());
    expect(hostile).toContain('subgraph r0["a#quot;b\\nc"]');
    expect(hostile).toContain('("a#quot;b\\nc\\x07#lt;b#gt;#35;1#amp;#96;end")');
    expect(hostile).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    for (const line of hostile.trimEnd().split("\n")) expect((line.match(/"/g) ?? []).length % 2).toBe(0);
  });
});

/** A scan of `guests` guests in one repository, each with a disk of its own and one it shares with the next. */
function estateOf(guests: number): SerializedGraph {
  const files = [];
  const owners = [];
  for (let i = 0; i < guests; i++) {
    files.push(repoFile(`VirtualDisks/own${i}.img`), repoFile(`VirtualDisks/pair${i >> 1}.img`));
    owners.push(
      owner("R", `vm${i}`, [
        inRepository("R", `VirtualDisks/own${i}.img`, { vdev: "xvda" }),
        inRepository("R", `VirtualDisks/pair${i >> 1}.img`, { vdev: "xvdb" }),
      ]),
    );
  }
  return serializeGraph(buildGraph(scanOf([repository("R", files)], owners)));
}

describe("DOT for Graphviz 2.43 and later", () => {
  const dot = renderDot(sample);

  it("ranks with newrank (2.43 fails on clusters without it) and lays out left to right", () => {
    expect(dot.split("\n").slice(1, 3)).toEqual(["  newrank=true;", "  rankdir=LR;"]);
  });

  it("names each cluster by its repository id, quoted and escaped", () => {
    expect(renderDot(hostileGraph())).toContain('  subgraph "cluster_R\\"1" {');
  });

  it("chains owners with invisible edges (a few ranks instead of one column), and only them and unconnected nodes", () => {
    const invisible = renderDot(estateOf(40))
      .split("\n")
      .filter((line) => line.endsWith("[style=invis];"));
    expect(invisible.length).toBeGreaterThan(20);
    for (const line of invisible) expect(line).toMatch(/^ {4}"guest:R\/VirtualMachines\/vm\d+" -> "guest:/);
  });
});

describe("Mermaid within Mermaid's limits", () => {
  it("draws a small graph whole: no note, no warning", () => {
    const chart = mermaidChart(sample);
    expect(chart.warning).toBeNull();
    const text = Array.from(chart.chunks).join("");
    expect(text).toBe(renderMermaid(sample));
    expect(text).not.toContain("left out");
  });

  for (const limits of [
    MERMAID_LIMITS,
    { maxTextSize: 6_000, maxEdges: 1_000 },
    { maxTextSize: 1e6, maxEdges: 30 },
  ]) {
    it(`cuts a larger graph after a whole owner and says so (${limits.maxTextSize} characters, ${limits.maxEdges} edges)`, () => {
      const graph = estateOf(600);
      const chart = mermaidChart(graph, limits);
      const text = Array.from(chart.chunks).join("");
      expect(text.length).toBeLessThanOrEqual(limits.maxTextSize);
      const edges = text.split("\n").filter((line) => /^ {2}n\d+ -->/.test(line));
      expect(edges.length).toBeLessThanOrEqual(limits.maxEdges);
      // Whole owners: each guest drawn has both of its edges, and the first ones are drawn.
      const ids = new Map(graph.nodes.map((node, index) => [`n${index}`, node.key]));
      const from = new Map<string, number>();
      for (const line of edges) {
        const source = line.trim().split(" ")[0]!;
        from.set(source, (from.get(source) ?? 0) + 1);
      }
      expect([...from.values()].every((count) => count === 2)).toBe(true);
      const drawn = [...from.keys()].map((id) => ids.get(id));
      expect(drawn).toContain("guest:R/VirtualMachines/vm0");
      const left = 600 - from.size;
      expect(left).toBeGreaterThan(0);
      const note = `${left} of 600 guests and templates and`;
      expect(text.trimEnd().split("\n").at(-1)).toContain(note);
      expect(text).toContain(`  %% ${note}`);
      expect(text).toContain("--guest SEL or --repository SEL");
      expect(chart.warning).toMatch(new RegExp(`^warning: mermaid: ${note}.*\\n$`));
    });
  }
});

describe("a document read back with an edge to a node it does not have", () => {
  const broken: SerializedGraph = {
    ...sample,
    edges: [
      ...sample.edges,
      {
        key: "x",
        source: "guest:G/VirtualMachines/vm1",
        target: "disk:nowhere",
        attributes: { kind: "uses" },
      },
    ],
  };

  it("draws the rest: the edge is left out of DOT and Mermaid", () => {
    expect(renderDot(broken)).toBe(renderDot(sample));
    expect(renderMermaid(broken)).toBe(renderMermaid(sample));
  });
});
