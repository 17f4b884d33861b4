// Hand-built scan results for the check rules: one estate per case, small enough to read in the test.
// Thin wrappers over the shared factory, with the defaults these tests were written against.
import type { Owner, Reference, Repository, RepositoryFile, ScanResult } from "ovm-deps";
import { owner as baseOwner, inRepository, repoFile, repository, scanOf } from "../support/scan-factory.js";

/** A file of a repository; its area is its first folder. */
export function file(path: string, fields: Partial<RepositoryFile> = {}): RepositoryFile {
  return repoFile(path, { bytes: 1024, allocatedBytes: 1024, ...fields });
}

/** A repository scanned at `/estate/<id>`. */
export function repo(id: string, files: RepositoryFile[], fields: Partial<Repository> = {}): Repository {
  return repository(id, files, { root: `/estate/${id}`, ...fields });
}

/** A writable virtual disk entry pointing at `repository`/`path` (present unless said otherwise). */
export function disk(repositoryId: string, path: string, fields: Partial<Reference> = {}): Reference {
  return inRepository(repositoryId, path, {
    spec: `file:/OVS/Repositories/${repositoryId}/${path},xvda,w`,
    line: 4,
    column: 9,
    kind: path.startsWith("ISOs/") ? "iso" : "virtual-disk",
    bytes: 1024,
    allocatedBytes: 1024,
    ...fields,
  });
}

/** A guest (or, with `type: "template"`, a template) in folder `folder` of `repository`. */
export function owner(
  repositoryId: string,
  folder: string,
  disks: Reference[],
  fields: Partial<Owner> = {},
): Owner {
  const area = (fields.type ?? "guest") === "guest" ? "VirtualMachines" : "Templates";
  return baseOwner(repositoryId, folder, disks, {
    uuid: `0004fb00-0006-0000-0000-${folder.padStart(12, "0").slice(-12)}`,
    simpleName: folder,
    path: `/estate/${repositoryId}/${area}/${folder}/vm.cfg`,
    ...fields,
  });
}

/** The scan of these repositories and owners (the scan lists vm.cfg files as owners, not as repository files). */
export function estate(repositories: Repository[], owners: Owner[] = []): ScanResult {
  return scanOf(repositories, owners);
}
