// Small repository trees built by hand in a temp folder, for the scanner's tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ovm-deps-scan-"));
  made.push(dir);
  return dir;
}

/** Write `content` at `file`, creating its folders. */
export function write(file: string, content: string | Uint8Array = "disk data\n"): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** A repository folder `parent/folder` with the standard sub-folders and, when given, a `.ovsrepo`. */
export function repository(
  parent: string,
  folder: string,
  ovsrepo: Record<string, string> | null = null,
): string {
  const root = path.join(parent, folder);
  for (const area of ["VirtualMachines", "Templates", "VirtualDisks", "ISOs"]) {
    mkdirSync(path.join(root, area), { recursive: true });
  }
  if (ovsrepo !== null) {
    write(
      path.join(root, ".ovsrepo"),
      Object.entries(ovsrepo)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(""),
    );
  }
  return root;
}

/** The text of a vm.cfg as Oracle VM Manager writes it. */
export function vmCfg(guest: { name: string; uuid?: string; simpleName?: string; disks: string[] }): string {
  const lines = [`name = '${guest.name}'`];
  if (guest.uuid) lines.push(`uuid = '${guest.uuid}'`);
  if (guest.simpleName) lines.push(`OVM_simple_name = '${guest.simpleName}'`);
  lines.push(`disk = [${guest.disks.map((d) => `'${d}'`).join(", ")}]`);
  return `${lines.join("\n")}\n`;
}

/** Write `VirtualMachines/<folder>/vm.cfg` (or `Templates/…`) in a repository; returns its path. */
export function owner(
  root: string,
  folder: string,
  guest: { name: string; uuid?: string; simpleName?: string; disks: string[] },
  area: "VirtualMachines" | "Templates" = "VirtualMachines",
): string {
  return write(path.join(root, area, folder, "vm.cfg"), vmCfg(guest));
}

/** `/OVS/Repositories/<name>/<rest>`: how a vm.cfg names a file in a repository. */
export const live = (name: string, rest: string): string => `/OVS/Repositories/${name}/${rest}`;
