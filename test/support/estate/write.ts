// Writing the tree: every recorded entry with plain synchronous calls; disks sparse.
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join, posix } from "node:path";
import type { Estate } from "./model.js";

/** Write every entry with plain synchronous calls: sparse disks by ftruncate, a few real bytes at 0. */
export function writeEntries(estate: Estate): void {
  const made = new Set<string>();
  for (const [path, entry] of estate.entries) {
    const absolute = join(estate.root, path);
    const folder = posix.dirname(path);
    if (!made.has(folder)) {
      mkdirSync(join(estate.root, folder), { recursive: true });
      made.add(folder);
    }
    if (entry.type === "text") writeFileSync(absolute, entry.content);
    else if (entry.type === "link") symlinkSync(entry.target, absolute);
    else {
      const fd = openSync(absolute, "w");
      try {
        writeSync(fd, entry.header, 0);
        ftruncateSync(fd, entry.bytes);
      } finally {
        closeSync(fd);
      }
    }
  }
}
