// Job `floor`: what no scanner can beat — read every vm.cfg and lstat every other entry of the tree,
// with nothing else done (no parsing, no resolving). `plan` is measured against it.
import type { Dirent } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** Walk `roots`: read each vm.cfg, lstat every other entry; reports how many of each. */
export async function floorJob(args: { roots: string[] }): Promise<Record<string, number>> {
  let configs = 0;
  let entries = 0;
  const walk = async (dir: string): Promise<void> => {
    let children: Dirent[];
    try {
      children = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      children.map(async (child) => {
        const path = join(dir, child.name);
        entries++;
        if (child.isDirectory()) return walk(path);
        if (child.name === "vm.cfg") {
          configs++;
          await readFile(path);
        } else await lstat(path);
      }),
    );
  };
  await Promise.all(args.roots.map(walk));
  return { configs, entries };
}
