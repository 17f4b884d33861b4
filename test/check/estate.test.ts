// `check` on a generated estate: every finding agrees with the generator's manifest, the ground truth.
import { join } from "node:path";
import { type CheckResult, checkEstate, scanRepositories } from "ovm-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EstateManifest, generateEstate } from "../support/estate/index.js";
import { tempDir } from "./tree.js";

const temp = tempDir();
let manifest: EstateManifest;
let result: CheckResult;

beforeAll(async () => {
  manifest = generateEstate(join(temp.dir, "estate"), { example: true, guests: 24, seed: 5 });
  result = checkEstate(await scanRepositories([join(manifest.root, manifest.repositoriesDir)]));
});
afterAll(() => temp.cleanup());

/** The subjects of one rule's findings, as sorted `repository/file` strings. */
const subjects = (ruleId: string): string[] =>
  result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.repository}/${f.file}`)
    .sort();

/** Sorted, de-duplicated `repository/file` strings. */
const sorted = (files: { repository: string | null; file: string | null }[]): string[] =>
  [...new Set(files.map((f) => `${f.repository}/${f.file}`))].sort();

describe("check on a generated estate", () => {
  it("plants at least one case of each problem the generator knows", () => {
    expect(manifest.orphans.length).toBeGreaterThan(0);
    expect(manifest.missing.length).toBeGreaterThan(0);
    expect(manifest.copiedConfigs.length).toBeGreaterThan(0);
    expect(manifest.symlinks.some((link) => link.leaves)).toBe(true);
  });

  it("reports exactly the orphans, clone leftovers included, and no others", () => {
    expect(subjects("orphan-disk")).toEqual(sorted(manifest.orphans));
  });

  it("reports exactly the missing files, once each", () => {
    expect(subjects("missing-disk")).toEqual(sorted(manifest.missing));
  });

  it("reports each vm.cfg of a copied configuration as a duplicate uuid", () => {
    const configs = manifest.copiedConfigs.flatMap(({ original, copy }) => [original, copy]);
    const expected = configs
      .map((ref) => manifest.owners.find((o) => o.ref === ref))
      .map((o) => `${o?.repository}/${o?.config}`);
    expect(subjects("duplicate-uuid")).toEqual([...new Set(expected)].sort());
  });

  it("reports exactly the links that leave their repository", () => {
    expect(subjects("unsafe-symlink")).toEqual(sorted(manifest.symlinks.filter((link) => link.leaves)));
  });

  it("reports exactly the shared virtual disks and the owners with disks in another repository", () => {
    const disks = manifest.owners.flatMap((o) => o.disks.map((d) => ({ ...d, owner: o })));
    const virtual = disks.filter((d) => d.kind === "virtual-disk");
    expect(subjects("shared-disk")).toEqual(sorted(virtual.filter((d) => d.shared)));
    const crossing = virtual.filter((d) => d.repository !== null && d.repository !== d.owner.repository);
    expect(subjects("cross-repository-disk")).toEqual(
      sorted(crossing.map((d) => ({ repository: d.owner.repository, file: d.owner.config }))),
    );
  });

  it("reports exactly the guests in resources repositories and the resources in guests repositories", () => {
    const role = (repository: string | null) => manifest.repositories.find((r) => r.id === repository)?.role;
    const configOf = (o: EstateManifest["owners"][number]) => ({ repository: o.repository, file: o.config });
    const guests = manifest.owners.filter((o) => o.type === "guest" && role(o.repository) === "resources");
    expect(guests.length).toBeGreaterThan(0);
    expect(subjects("guest-in-resource-repository")).toEqual(sorted(guests.map(configOf)));
    const templates = manifest.owners.filter((o) => o.type === "template" && role(o.repository) === "guests");
    const isos = manifest.owners.flatMap((o) =>
      o.disks.filter((d) => d.file?.startsWith("ISOs/") && role(d.repository) === "guests"),
    );
    expect(isos.length).toBeGreaterThan(0);
    expect(subjects("resource-in-guest-repository")).toEqual(sorted([...templates.map(configOf), ...isos]));
  });

  it("reads every generated vm.cfg", () => {
    expect(subjects("parse-error")).toEqual([]);
  });
});
