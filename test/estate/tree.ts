// Test helpers for generated estates: a temp folder per estate, and a byte-level listing of a tree.
import {
  closeSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One entry of a tree, enough to tell two trees apart. */
export interface TreeEntry {
  path: string;
  type: "dir" | "file" | "link";
  /** Apparent size for files, the target for links. */
  detail: string;
  /** The first bytes of a file (disk headers, whole text files), hex. */
  head: string;
}

/** Every entry under `root`, sorted, links not followed. */
export function listTree(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(join(root, path));
      if (stat.isSymbolicLink())
        out.push({ path, type: "link", detail: readlinkSync(join(root, path)), head: "" });
      else if (stat.isDirectory()) {
        out.push({ path, type: "dir", detail: "", head: "" });
        walk(path);
      } else out.push({ path, type: "file", detail: String(stat.size), head: readHead(join(root, path)) });
    }
  };
  walk("");
  return out;
}

function readHead(path: string): string {
  const buffer = Buffer.alloc(4096);
  const fd = openSync(path, "r");
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString("hex");
  } finally {
    closeSync(fd);
  }
}

/** A fresh temp folder; `cleanup()` removes it. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `ovm-deps-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
