// Properties over arbitrary names: every use is found, JSON round-trips, DOT and Mermaid stay well-formed.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import {
  buildGraph,
  disksOf,
  ownerKey,
  referenceKey,
  renderDot,
  renderMermaid,
  type ScanResult,
  SerializedGraphSchema,
  serializeGraph,
  usersOf,
} from "ovm-deps";
import { describe, expect, it } from "vitest";
import { inRepository, owner, reference, repoFile, repository, scanOf } from "../support/scan-factory.js";

/** Names made of the characters that break DOT, Mermaid and terminals, plus ordinary ones. */
const hostileName = fc.string({
  unit: fc.constantFrom(
    '"',
    "\\",
    "\n",
    "\r",
    "\t",
    "\u0000",
    "\u001b",
    "#",
    "<",
    ">",
    "&",
    "`",
    "|",
    "{",
    "}",
    ";",
    "[",
    "]",
    "a",
    "é",
    " ",
    "\u2028",
  ),
  minLength: 1,
  maxLength: 10,
});

/** An estate of two repositories with hostile names: owners using disks of both, LUNs and exports in common. */
const estate: fc.Arbitrary<ScanResult> = fc
  .record({
    repositories: fc.uniqueArray(hostileName, { minLength: 2, maxLength: 2 }),
    disks: fc.uniqueArray(hostileName, { minLength: 1, maxLength: 4 }),
    owners: fc.uniqueArray(
      fc.record({
        folder: hostileName,
        simpleName: hostileName,
        uses: fc.array(fc.nat(5), { maxLength: 5 }),
      }),
      { minLength: 1, maxLength: 5, selector: (o) => o.folder },
    ),
    lun: hostileName,
  })
  .map(({ repositories, disks, owners, lun }) => {
    const [home = "", other = ""] = repositories;
    const targets = [
      ...disks.map((d) => inRepository(home, `VirtualDisks/${d}`)),
      inRepository(other, `VirtualDisks/${disks[0]}`, { present: false }),
      reference({ kind: "physical-disk", path: `/dev/mapper/${lun}` }),
    ];
    return scanOf(
      [
        repository(
          home,
          disks.map((d) => repoFile(`VirtualDisks/${d}`)),
          { alias: other },
        ),
        repository(other, []),
      ],
      owners.map((o, i) =>
        owner(
          home,
          o.folder,
          o.uses.map((u) => targets[u % targets.length] ?? targets[0]!),
          {
            simpleName: o.simpleName,
            nfsMounts: [{ source: `nas:/${lun}/${i % 2}`, mountPoint: `/m${o.folder}`, fstype: "nfs" }],
          },
        ),
      ),
    );
  });

describe("graph properties", () => {
  it("finds every owner among the users of everything it uses, in vm.cfg order", () => {
    fc.assert(
      fc.property(estate, (scan) => {
        const graph = buildGraph(scan);
        for (const o of scan.guests) {
          const keys = o.disks.map(referenceKey);
          expect(disksOf(graph, ownerKey(o))).toEqual([...new Set(keys)]);
          for (const key of keys) expect(usersOf(graph, key)).toContain(o.ref);
        }
      }),
    );
  });

  it("serialises to a valid document that round-trips through JSON", () => {
    fc.assert(
      fc.property(estate, (scan) => {
        const document = serializeGraph(buildGraph(scan));
        expect(SerializedGraphSchema.parse(JSON.parse(JSON.stringify(document)))).toEqual(document);
      }),
    );
  });

  it("renders DOT and Mermaid with one statement per line and every quote paired", () => {
    const unescapedQuotes = (line: string): number =>
      (line.replace(/\\\\/g, "").match(/(?<!\\)"/g) ?? []).length;
    fc.assert(
      fc.property(estate, (scan) => {
        const document = serializeGraph(buildGraph(scan));
        const dot = renderDot(document).trimEnd().split("\n");
        for (const line of dot.slice(1)) expect(line).toMatch(/(;|\{|\})$/);
        for (const line of dot) expect(unescapedQuotes(line) % 2).toBe(0);
        const mermaid = renderMermaid(document).trimEnd().split("\n");
        for (const line of mermaid) {
          expect(line).not.toMatch(/[\u0000-\u001f]/);
          expect((line.match(/"/g) ?? []).length % 2).toBe(0);
        }
        expect(mermaid.filter((line) => /^ {2}subgraph /.test(line))).toHaveLength(2);
      }),
    );
  });

  it("renders DOT that Graphviz reads, whatever the names", (context) => {
    if (spawnSync("dot", ["-V"]).status !== 0) context.skip("Graphviz `dot` is not on PATH");
    for (const scan of fc.sample(estate, { numRuns: 20, seed: 42 })) {
      const run = spawnSync("dot", ["-Tsvg"], {
        input: renderDot(serializeGraph(buildGraph(scan))),
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    }
  });
});
