// Hand-built scans rooted in a real temp folder, so plans and restores can be tested without the scanner.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Owner, Reference, Repository, RepositoryFile, ScanResult } from "ovm-deps";
import { owner, repoFile, repository, scanOf } from "../support/scan-factory.js";

/** A fresh temp folder and its removal. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Repository `id` scanned at `<root>/<id>` (a ROOT that is a folder of repositories). */
export function repositoryAt(
  root: string,
  id: string,
  files: string[],
  fields: Partial<Repository> = {},
): Repository {
  return repository(
    id,
    files.map((f) => repoFile(f)),
    { root: path.join(root, id), ...fields },
  );
}

/** A guest (or template) of repository `repositoryId` scanned under `root`. */
export function ownerAt(
  root: string,
  repositoryId: string,
  folder: string,
  disks: Reference[],
  fields: Partial<Owner> = {},
): Owner {
  const area = fields.type === "template" ? "Templates" : "VirtualMachines";
  return owner(repositoryId, folder, disks, {
    path: path.join(root, repositoryId, area, folder, "vm.cfg"),
    ...fields,
  });
}

/** A scan of ROOT `root` holding these repositories and owners. */
export function scanAt(root: string, repositories: Repository[], owners: Owner[]): ScanResult {
  return { ...scanOf(repositories, owners), roots: [root] };
}

/** Write every plain file of the scan's repositories and every vm.cfg, with `content` as their bytes. */
export function materialise(scan: ScanResult, content = "data"): void {
  const write = (file: string): void => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  for (const r of scan.repositories) {
    for (const f of r.files as RepositoryFile[]) if (f.type === "file") write(path.join(r.root, f.file));
  }
  for (const o of [...scan.guests, ...scan.templates]) if (o.configLinkTarget === null) write(o.path);
}
