// A byte- and metadata-level snapshot of a tree: proves that a command changed nothing under a ROOT.
import { createHash } from "node:crypto";
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";

/** One entry of a tree, with everything a change would touch. */
export interface SnapshotEntry {
  /** Relative path; a name that is not valid UTF-8 appears as `hex:<bytes>`. */
  path: string;
  type: "file" | "dir" | "symlink" | "other";
  mode: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** The link's target as stored, for links; else null. */
  linkTarget: string | null;
  /** sha1 of a regular file's content; else null. */
  sha1: string | null;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function printable(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return `hex:${bytes.toString("hex")}`;
  }
}

function sha1Of(file: Buffer): string {
  const hash = createHash("sha1");
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, "r");
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/**
 * Every path under `dir` (links never followed, names read as bytes), sorted, with lstat type, mode, size,
 * mtime, ctime, inode, link target and the sha1 of each regular file. Reads whole files: use small estates.
 */
export function snapshotTree(dir: string): SnapshotEntry[] {
  const entries: SnapshotEntry[] = [];
  const walk = (folder: Buffer, relative: string): void => {
    for (const name of readdirSync(folder, { encoding: "buffer" })) {
      const full = Buffer.concat([folder, Buffer.from("/"), name]);
      const path = relative === "" ? printable(name) : `${relative}/${printable(name)}`;
      const stats = lstatSync(full);
      const type = stats.isFile()
        ? "file"
        : stats.isDirectory()
          ? "dir"
          : stats.isSymbolicLink()
            ? "symlink"
            : "other";
      entries.push({
        path,
        type,
        mode: stats.mode,
        size: stats.size,
        mtimeMs: stats.mtimeMs,
        ctimeMs: stats.ctimeMs,
        ino: stats.ino,
        linkTarget: type === "symlink" ? printable(readlinkSync(full, { encoding: "buffer" })) : null,
        sha1: type === "file" ? sha1Of(full) : null,
      });
      if (type === "dir") walk(full, path);
    }
  };
  walk(Buffer.from(dir), "");
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
