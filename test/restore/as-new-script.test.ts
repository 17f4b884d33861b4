// The `restore --as-new` script on a hand-made tree: odd characters in names and paths, a thin disk, a taken name.
import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { AsNewRestoreSchema, parseVmCfg } from "ovm-deps";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../plan/helpers.js";
import { runCli } from "../support/cli.js";
import { snapshotTree } from "../support/tree-snapshot.js";
import { haveTool } from "./helpers.js";

const tools = haveTool("cp") && haveTool("sha256sum");

const SIMPLE_NAME = `it's "odd" \\ $(touch pwned) \`touch pwned\`\nline2 é`;
const SUFFIX = ` (copy 'b') $(touch pwned)`;
const CONFIG = `# written by hand: comments stay
name = 'vm1'
uuid = '0004FB00-0006-0000-AAAA-BBBBCCCCDDDD'
OVM_simple_name = 'it\\'s "odd" \\\\ $(touch pwned) \`touch pwned\`\\nline2 é'
disk = ['file:/OVS/Repositories/R/VirtualDisks/d1.img,xvda,w', ',hdc:cdrom,r']
vif = ['bridge=xenbr0, mac=00:21:f6:aa:bb:cc']
`;
const MiB = 1024 * 1024;

let temp: ReturnType<typeof tempDir>;
let live: string;
let backup: string;

beforeEach(() => {
  temp = tempDir("ovm-deps-as-new-odd-");
  // ROOTs whose paths a shell would split or expand, were they not quoted.
  backup = path.join(temp.dir, `backup "y" $(touch pwned)`);
  live = path.join(temp.dir, `live 'x' \`touch pwned\``);
  for (const area of ["VirtualMachines/vm1", "VirtualDisks", "ISOs"])
    mkdirSync(path.join(backup, "R", area), { recursive: true });
  writeFileSync(path.join(backup, "R/VirtualMachines/vm1/vm.cfg"), CONFIG);
  // A thin disk: 32 MiB with two small extents.
  const disk = path.join(backup, "R/VirtualDisks/d1.img");
  writeFileSync(disk, "");
  truncateSync(disk, 32 * MiB);
  const fd = openSync(disk, "r+");
  writeSync(fd, "boot sector", 0);
  writeSync(fd, "data", 16 * MiB);
  closeSync(fd);
  // The live tree still has the original guest: the new one goes beside it.
  expect(spawnSync("cp", ["-a", backup, live]).status).toBe(0);
});
afterEach(() => temp.remove());

const asNew = (...flags: string[]) =>
  runCli(["restore", live, "--from", backup, "--guest", "vm1", "--as-new", ...flags], { cwd: temp.dir });

/** Every file named `pwned` under the temporary folder: what an unquoted name would have run. */
const pwned = (): string[] =>
  (readdirSync(temp.dir, { recursive: true }) as string[]).filter((f) => path.basename(f) === "pwned");

describe.skipIf(!tools)("the restore --as-new script", () => {
  it("writes names with quotes, backslashes, line breaks and $( ) exactly, and keeps the disk thin", () => {
    const plan = asNew("--format", "script", "--suffix", SUFFIX);
    expect(plan.code, plan.stderr).toBe(0);
    const run = spawnSync("sh", ["-c", plan.stdout], { cwd: temp.dir, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(pwned()).toEqual([]);

    const folders = readdirSync(path.join(live, "R/VirtualMachines")).filter((f) => f !== "vm1");
    expect(folders).toHaveLength(1);
    const folder = folders[0]!;
    const text = readFileSync(path.join(live, "R/VirtualMachines", folder, "vm.cfg"), "utf8");
    const read = parseVmCfg(text);
    expect(read.ok).toBe(true);
    expect(read.config.values.OVM_simple_name).toBe(`${SIMPLE_NAME}${SUFFIX}`);
    expect(read.config.values.name).toBe(folder);
    // The uuid in the old one's form: dashed, upper case.
    expect(read.config.values.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect((read.config.values.uuid as string).replaceAll("-", "").toLowerCase()).toBe(folder);
    // Comments and layout stay; the vif keeps its order and spacing with a new MAC.
    expect(text.startsWith("# written by hand: comments stay\nname = '")).toBe(true);
    expect(read.config.values.vif).toEqual([expect.stringMatching(/^bridge=xenbr0, mac=00:21:f6:/)]);
    expect(read.config.vifs[0]!.mac).not.toBe("00:21:f6:aa:bb:cc");
    expect(read.config.values.disk).toEqual([
      expect.stringMatching(/^file:\/OVS\/Repositories\/R\/VirtualDisks\/[0-9a-f]{32}\.img,xvda,w$/),
      ",hdc:cdrom,r",
    ]);

    const copy = path.join(
      live,
      "R/VirtualDisks",
      path.basename((read.config.values.disk as string[])[0]!.split(",")[0]!),
    );
    const source = path.join(backup, "R/VirtualDisks/d1.img");
    expect(readFileSync(copy).equals(readFileSync(source))).toBe(true);
    expect(statSync(copy).blocks * 512).toBeLessThan(MiB);
  });

  it("stops before copying anything when a new name is taken after the plan", () => {
    const plan = asNew("--format", "script");
    expect(plan.code, plan.stderr).toBe(0);
    const folder = /folder "([0-9a-f]{32})"/.exec(plan.stdout)?.[1];
    expect(folder).toBeDefined();
    mkdirSync(path.join(live, "R/VirtualMachines", folder!));
    const before = snapshotTree(live);
    const run = spawnSync("sh", ["-c", plan.stdout], { encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("exists now");
    expect(snapshotTree(live)).toEqual(before);
  });

  it("says old → new in json, and a saved document renders again with ovm-deps format", () => {
    const run = asNew("--format", "json");
    expect(run.code, run.stderr).toBe(0);
    const json = AsNewRestoreSchema.parse(JSON.parse(run.stdout));
    expect(json.simpleName).toEqual({ old: SIMPLE_NAME, new: `${SIMPLE_NAME}-restored` });
    expect(json.folder.old).toBe("vm1");
    expect(json.files.map((f) => [f.role, f.old])).toEqual([
      ["disk", "VirtualDisks/d1.img"],
      ["config", "VirtualMachines/vm1/vm.cfg"],
    ]);
    expect(json.macs).toEqual([
      { item: 0, old: "00:21:f6:aa:bb:cc", new: expect.stringMatching(/^00:21:f6:/) },
    ]);
    const saved = path.join(temp.dir, "as-new.json");
    writeFileSync(saved, run.stdout);
    const text = runCli(["format", saved, "--format", "text"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`simple name: `);
    expect(runCli(["format", saved, "--format", "script"]).stdout).toContain("ovm_create");
  });
});
