// Every graph format at every size: a graph document of 100,000 guests through every renderer, JSON in
// chunks byte for byte as one string, and no spread of an unbounded list into a call anywhere in src/.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { formatsOf, jsonChunks, renderDocumentChunks, renderJson, type SerializedGraph } from "ovm-deps";
import { describe, expect, it } from "vitest";

const GUESTS = 100_000;

/** A node as the builder makes it: every attribute, null where it does not apply. */
function node(key: string, kind: string, label: string, fields: Record<string, unknown>) {
  return {
    key,
    attributes: {
      kind,
      label,
      ref: key.slice(key.indexOf(":") + 1),
      repository: null,
      file: null,
      path: null,
      present: true,
      bytes: 1024,
      allocatedBytes: 512,
      linkTarget: null,
      simpleName: null,
      uuid: null,
      name: null,
      running: null,
      ok: true,
      alias: null,
      role: null,
      root: null,
      fileType: "file",
      state: "file",
      aliases: [],
      shared: false,
      ...fields,
    },
  } as SerializedGraph["nodes"][number];
}

/**
 * A graph document of `guests` guests, built in memory: 20 repositories; each guest with a disk of its own,
 * one it shares with the next guest, the one install ISO (everyone's) and an NFS export shared by 100.
 */
function bigGraph(guests: number): SerializedGraph {
  const nodes: SerializedGraph["nodes"] = [];
  const edges: SerializedGraph["edges"] = [];
  const repositories = 20;
  for (let r = 0; r < repositories; r++)
    nodes.push(node(`repository:R${r}`, "repository", `Pool ${r}`, { repository: `R${r}`, role: "guests" }));
  nodes.push(
    node("iso:R0/ISOs/install.iso", "iso", "install.iso", { repository: "R0", file: "ISOs/install.iso" }),
  );
  const uses = (owner: string, target: string, index: number, vdev: string) =>
    edges.push({
      key: `uses:${owner}#${index}`,
      source: owner,
      target,
      attributes: { kind: "uses", vdev, index },
    });
  for (let i = 0; i < guests; i++) {
    const repository = `R${i % repositories}`;
    const guest = `guest:${repository}/VirtualMachines/vm${i}`;
    nodes.push(
      node(guest, "guest", `vm${i}`, {
        repository,
        file: `VirtualMachines/vm${i}/vm.cfg`,
        running: i % 2 === 0,
      }),
    );
    const own = `disk:${repository}/VirtualDisks/own${i}.img`;
    nodes.push(node(own, "virtual-disk", `own${i}.img`, { repository, file: `VirtualDisks/own${i}.img` }));
    const pair = `disk:R${(i & ~1) % repositories}/VirtualDisks/pair${i >> 1}.img`;
    if (i % 2 === 0)
      nodes.push(node(pair, "virtual-disk", `pair${i >> 1}.img`, { repository, shared: true }));
    const nfs = `nfs:nas${i % 1000}:/export`;
    if (i < 1000) nodes.push(node(nfs, "nfs-export", `nas${i}:/export`, { present: null }));
    for (const target of [guest, own])
      edges.push({
        key: `contains:${target}`,
        source: `repository:${repository}`,
        target,
        attributes: { kind: "contains" },
      });
    uses(guest, own, 0, "xvda");
    uses(guest, pair, 1, "xvdb");
    uses(guest, "iso:R0/ISOs/install.iso", 2, "hdc");
    edges.push({
      key: `mounts:${guest}#0`,
      source: guest,
      target: nfs,
      attributes: { kind: "mounts", mountPoint: "/data", index: 0 },
    });
  }
  return {
    attributes: { complete: true, incomplete: [] },
    options: { type: "directed", multi: true, allowSelfLoops: true },
    nodes,
    edges,
  };
}

describe(`every graph format at ${GUESTS.toLocaleString("en")} guests`, () => {
  const graph = bigGraph(GUESTS);

  for (const format of formatsOf("graph")) {
    it(`renders ${format} in chunks, with no call stack or string limit reached`, {
      timeout: 240_000,
    }, () => {
      const result = renderDocumentChunks({ kind: "graph", document: graph }, format);
      if (!result.ok) throw new Error(result.error);
      expect(result.exitCode).toBe(0);
      let characters = 0;
      let chunks = 0;
      let last = "";
      let guests = 0;
      for (const chunk of result.chunks) {
        characters += chunk.length;
        chunks++;
        last = chunk;
        if (format === "json" ? chunk.includes('"kind": "guest"') : chunk.includes('"guest:')) guests++;
      }
      if (format === "mermaid") {
        // Within Mermaid's limits: cut, and it says how many guests were left out.
        expect(characters).toBeLessThanOrEqual(50_000);
        expect(last).toMatch(/ of 100000 guests and templates and \d+ other nodes left out/);
        expect(result.stderr).toContain("warning: mermaid:");
      } else {
        // Every guest is there: DOT names it in its node statement, its edges and its rank chain; JSON once.
        expect(chunks).toBeGreaterThan(GUESTS);
        expect(guests).toBeGreaterThanOrEqual(GUESTS);
        expect(last).toBe(format === "json" ? "\n" : "}\n");
        expect(characters).toBeGreaterThan(GUESTS * 300);
      }
    });
  }
});

describe("jsonChunks", () => {
  it("is stringifyJson in chunks, byte for byte (renderJson with its newline)", () => {
    const values = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.string(), fc.oneof(fc.array(fc.jsonValue()), fc.jsonValue(), fc.constant(undefined))),
    );
    fc.assert(
      fc.property(values, (value) => {
        expect(`${Array.from(jsonChunks(value)).join("")}\n`).toBe(renderJson(value));
      }),
      { numRuns: 500 },
    );
    expect(Array.from(jsonChunks({ a: [1, undefined, "\u009b"], b: {} })).join("")).toBe(
      renderJson({ a: [1, undefined, "\u009b"], b: {} }).trimEnd(),
    );
  });
});

describe("no unbounded spread into a call", () => {
  it("src/ has no push(...list), unshift(...list), Math.max(...list) or Math.min(...list)", () => {
    const src = fileURLToPath(new URL("../../src", import.meta.url));
    const found: string[] = [];
    for (const file of readdirSync(src, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      readFileSync(path.join(src, file), "utf8")
        .split("\n")
        .forEach((line, index) => {
          if (/\b(push|unshift|max|min|fromCharCode|apply)\(\s*\.\.\./.test(line))
            found.push(`${file}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
