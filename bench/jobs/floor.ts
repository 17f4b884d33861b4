// Job `floor`: what no scanner can beat — read every vm.cfg and lstat every other entry of the tree,
// with nothing else done (no parsing, no resolving). `plan` is measured against it. Like the scanner,
// it can call the file system directly (synchronous calls, one at a time) or concurrently (up to 64
// in flight through libuv's pool, as the scanner does); the bench measures both.
import { type Dirent, lstatSync, readdirSync, readFileSync } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Limiter } from "../../src/scan/limit.js";

/** Walk `roots`: read each vm.cfg, lstat every other entry; reports how many of each. */
export async function floorJob(args: {
  roots: string[];
  io: "direct" | "concurrent";
}): Promise<Record<string, number>> {
  const counts = { configs: 0, entries: 0 };
  if (args.io === "direct") for (const root of args.roots) walkDirect(root, counts);
  else await Promise.all(args.roots.map((root) => walkConcurrent(root, counts)));
  return counts;
}

function walkDirect(dir: string, counts: { configs: number; entries: number }): void {
  let children: Dirent[];
  try {
    children = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const child of children) {
    const path = join(dir, child.name);
    counts.entries++;
    if (child.isDirectory()) walkDirect(path, counts);
    else if (child.name === "vm.cfg") {
      counts.configs++;
      readFileSync(path);
    } else lstatSync(path);
  }
}

/** Calls in flight at once, as the scanner's concurrent mode (and under any open-files limit). */
const limiter = new Limiter(64);

/** Run `call` once fewer than 64 calls are in flight (the scanner's own limiter); it settles as `call` does. */
async function limited<T>(call: () => Promise<T>): Promise<T> {
  const outcome = await limiter.schedule<PromiseSettledResult<T>>((done) => {
    call().then(
      (value) => done({ status: "fulfilled", value }),
      (reason: unknown) => done({ status: "rejected", reason }),
    );
  });
  if (outcome.status === "rejected") throw outcome.reason;
  return outcome.value;
}

async function walkConcurrent(dir: string, counts: { configs: number; entries: number }): Promise<void> {
  let children: Dirent[];
  try {
    children = await limited(() => readdir(dir, { withFileTypes: true }));
  } catch {
    return;
  }
  await Promise.all(
    children.map(async (child) => {
      const path = join(dir, child.name);
      counts.entries++;
      if (child.isDirectory()) return walkConcurrent(path, counts);
      if (child.name === "vm.cfg") {
        counts.configs++;
        await limited(() => readFile(path));
      } else await limited(() => lstat(path));
    }),
  );
}
