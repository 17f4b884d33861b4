// Per-guest backup sets (`plan`) and the resource set of resources repositories (`plan --resources`).
import { type Warning, warning } from "../diagnostics.js";
import {
  type Estate,
  type EstateGraph,
  estateOf,
  nodeOfFile,
  nodeOfReference,
  usersOf,
} from "../graph/index.js";
import { completenessOf, NFS_MOUNTS_UNKNOWN, unscannedRepositories } from "../scan/completeness.js";
import type {
  Capacity,
  Coverage,
  Plan,
  PlanResult,
  ResourceFile,
  ResourcePlan,
  Shared,
} from "../schema/plan.js";
import type { Owner, ScanResult } from "../schema/scan.js";
import { backupSet, indexRepositories, NEEDS, type RepositoryIndex, repositoryPath } from "./backup-set.js";
import { type SelectionError, selectOwners } from "./select.js";

/** Options of `planBackup`: which owners (all guests when none), and the rotation to size (`--retain --adhoc --growth`). */
export interface PlanOptions {
  guests?: string[];
  retain?: number;
  adhoc?: number;
  growth?: number;
}

/** Each virtual disk, LUN or external file `owner` shares with other owners (ISOs excepted), with all its users. */
function sharedOf(owner: Owner, graph: EstateGraph, index: RepositoryIndex): Shared[] {
  const shared: Shared[] = [];
  const seen = new Set<string>();
  for (const reference of owner.disks) {
    const key = nodeOfReference(graph, reference);
    if (key === null || seen.has(key)) continue;
    seen.add(key);
    // An ISO is meant to be shared: only what the graph calls shared is listed (isShared).
    if (reference.kind === "iso" || !graph.getNodeAttribute(key, "shared")) continue;
    const users = usersOf(graph, key);
    // `ref` as `files`/`outside` show it: the scanned path, or where a link leaving the repository points.
    const ref =
      reference.linkTarget ??
      (reference.repository !== null && reference.file !== null
        ? repositoryPath(index, reference.repository, reference.file)
        : (reference.path ?? reference.spec));
    shared.push({ ref, users });
  }
  return shared;
}

/** The warning of a plan or restore that did not see every repository its estate reaches. */
export function scopeWarning(unscanned: readonly string[]): Warning {
  return warning(
    "scope-incomplete",
    `repositories that were not scanned (${unscanned.join(", ")}) may hold guests that use these files: sharing and safety are known for the scanned repositories only`,
  );
}

/** Consistency warnings of a guest's running state; templates never run. */
export function runningWarnings(owner: Owner): Warning[] {
  if (owner.type === "template" || owner.running === false) return [];
  return owner.running
    ? [
        warning(
          "guest-running",
          `${owner.ref} is running: a repository-level copy of it is crash-inconsistent; stop it first`,
        ),
      ]
    : [
        warning(
          "running-unknown",
          `running state of ${owner.ref} is unknown (no --xm-list): a copy of a running guest is crash-inconsistent`,
        ),
      ];
}

/** The backup set of one guest or template, judged: coverage, sharing, warnings. */
function planOwner(
  owner: Owner,
  graph: EstateGraph,
  index: RepositoryIndex,
  scope: readonly string[] = [],
): Plan {
  const set = backupSet(owner, index);
  const warnings: Warning[] = [];
  if (scope.length > 0) warnings.push(scopeWarning(scope));
  if (!owner.ok) {
    warnings.push(
      warning(
        "config-unreadable",
        `the vm.cfg of ${owner.ref} could not be read or has errors: its disk list cannot be trusted`,
      ),
    );
  }
  for (const missing of set.missing) {
    warnings.push(warning("missing-disk", `virtual disk ${missing.path} is missing: it cannot be copied`));
  }
  const outside = [...set.outside];
  for (const unusable of set.unusable) {
    // A block device where a disk should be is a LUN: backed up at the array, never by a file copy.
    if (unusable.fileType === "block-device") {
      outside.push({ kind: "physical-disk", ref: unusable.path, needs: NEEDS["physical-disk"] });
      continue;
    }
    warnings.push(
      unusable.state === "not-a-file"
        ? warning(
            "disk-not-a-file",
            `virtual disk ${unusable.path} is not a regular file (a folder, FIFO, socket or device): it is not copied`,
          )
        : warning("disk-unreadable", `virtual disk ${unusable.path} could not be examined: it is not copied`),
    );
  }
  for (const warning of runningWarnings(owner)) warnings.push(warning);
  // An ISO in a repository that no resources plan copies (its role is not `resources`): no backup has it.
  const uncovered = set.resources.filter((r) => index.byId.get(r.repository)?.role !== "resources");
  for (const resource of uncovered) {
    warnings.push(
      warning(
        "resource-not-covered",
        `${resource.path} is in a repository without the resources role: no plan --resources copies it`,
      ),
    );
  }
  // Its NFS mounts could not be read (or its backup folder not told apart): what it mounts is unknown.
  const mountsUnknown = owner.diagnostics.filter((d) => NFS_MOUNTS_UNKNOWN.has(d.code));
  for (const d of mountsUnknown) warnings.push(warning("nfs-mounts-unknown", d.message));
  // A qcow/vhd header that could not be read: the base image it may need is unknown.
  const chainsUnknown = owner.diagnostics.filter((d) => d.code === "backing-file-unknown");
  for (const d of chainsUnknown) warnings.push(warning("backing-file-unknown", d.message));
  const coverage: Coverage = !owner.ok
    ? "none"
    : outside.length > 0 ||
        set.missing.length > 0 ||
        set.unusable.length > 0 ||
        mountsUnknown.length > 0 ||
        chainsUnknown.length > 0 ||
        uncovered.length > 0
      ? "partial"
      : "complete";
  return {
    id: owner.id,
    uuid: owner.uuid,
    simpleName: owner.simpleName,
    repository: owner.repository,
    owner: owner.ref,
    coverage,
    files: [...set.files, ...set.links],
    resources: set.resources,
    outside,
    shared: sharedOf(owner, graph, index),
    running: owner.running,
    warnings,
  };
}

/** Sizes of files counted once each (once per inode); an unknown size counts as 0. */
function totalsOf(
  files: Iterable<{
    repository: string;
    file: string;
    path: string;
    bytes: number | null;
    allocatedBytes: number | null;
  }>,
  graph: EstateGraph,
): {
  bytes: number;
  allocatedBytes: number;
} {
  // Each file once, by its node: hard links to one inode are one file (and one copy's worth of bytes).
  const counted = new Set<string>();
  let bytes = 0;
  let allocatedBytes = 0;
  for (const file of files) {
    const key = nodeOfFile(graph, file.repository, file.file) ?? file.path;
    if (counted.has(key)) continue;
    counted.add(key);
    bytes += file.bytes ?? 0;
    allocatedBytes += file.allocatedBytes ?? 0;
  }
  return { bytes, allocatedBytes };
}

/**
 * Backup space a rotation needs, as the backup guides size it: allocated bytes × growth × (retained
 * + ad hoc copies). Absent when no rotation option is given; a missing one defaults to 1 retained
 * copy, 0 ad hoc, growth 1.
 */
export function capacityOf(allocatedBytes: number, options: PlanOptions): Capacity | undefined {
  if (options.retain === undefined && options.adhoc === undefined && options.growth === undefined)
    return undefined;
  const retain = options.retain ?? 1;
  const adhoc = options.adhoc ?? 0;
  const growth = options.growth ?? 1;
  return { retain, adhoc, growth, bytes: allocatedBytes * growth * (retain + adhoc) };
}

/**
 * Backup sets of the selected owners (all guests when no `guests`; templates only when selected), from a
 * scan or from the estate model (a scan and its graph, when the caller has built the graph already).
 */
export function planBackup(
  input: ScanResult | Estate,
  options: PlanOptions = {},
): PlanResult | SelectionError {
  const { scan, graph } = estateOf(input);
  let owners = scan.guests;
  if (options.guests !== undefined && options.guests.length > 0) {
    const selection = selectOwners(scan, options.guests);
    if (selection.problems.length > 0) return { problems: selection.problems };
    owners = selection.owners;
  }
  const index = indexRepositories(scan.repositories);
  const scope = unscannedRepositories(scan);
  const guests = owners.map((owner) => planOwner(owner, graph, index, scope));
  const sums = totalsOf(
    guests.flatMap((plan) => plan.files),
    graph,
  );
  const capacity = capacityOf(sums.allocatedBytes, options);
  return { guests, totals: capacity === undefined ? sums : { ...sums, capacity }, ...completenessOf(scan) };
}

/**
 * The resource set of every resources repository: its templates (vm.cfg and disks, wherever those
 * are), its ISOs and assemblies — backed up on their own, slower schedule. Links leaving the
 * repository are listed in `outside`, never as files.
 */
export function planResources(input: ScanResult | Estate, options: PlanOptions = {}): ResourcePlan {
  const { scan, graph } = estateOf(input);
  const index = indexRepositories(scan.repositories);
  const repositories = scan.repositories.filter((r) => r.role === "resources");
  const inResources = new Set(repositories.map((r) => r.id));
  const templates = scan.templates
    .filter((t) => inResources.has(t.repository))
    .map((t) => planOwner(t, graph, index));
  const files: ResourceFile[] = templates.flatMap((plan) =>
    plan.files.map((f) => ({ ...f, owner: plan.owner })),
  );
  const outside: ResourcePlan["outside"] = templates.flatMap((plan) =>
    plan.outside.map((o) => ({ ...o, owner: plan.owner })),
  );
  for (const repository of repositories) {
    for (const file of repository.files) {
      if (file.area !== "ISOs" && file.area !== "Assemblies") continue;
      if (file.linkTarget !== null) {
        outside.push({
          kind: "external-file",
          ref: file.linkTarget,
          needs: NEEDS["external-file"],
          owner: null,
        });
        continue;
      }
      if (file.type === "other") continue;
      files.push({
        repository: repository.id,
        file: file.file,
        role: file.area === "ISOs" ? "iso" : "assembly",
        path: repositoryPath(index, repository.id, file.file),
        bytes: file.bytes,
        allocatedBytes: file.allocatedBytes,
        owner: null,
      });
    }
  }
  // A disk two templates use is one file to copy.
  const unique = [...new Map(files.map((f) => [f.path, f])).values()];
  const sums = totalsOf(unique, graph);
  const capacity = capacityOf(sums.allocatedBytes, options);
  // Repositories holding templates, ISOs or assemblies that no resources plan covers.
  const uncovered = scan.repositories.filter(
    (r) =>
      r.role !== "resources" &&
      r.files.some((f) => f.area === "ISOs" || f.area === "Assemblies" || f.area === "Templates"),
  );
  return {
    repositories: repositories.map((r) => ({ id: r.id, alias: r.alias, root: r.root })),
    uncovered: uncovered.map((r) => ({ id: r.id, alias: r.alias, root: r.root })),
    templates,
    files: unique,
    outside,
    totals: capacity === undefined ? sums : { ...sums, capacity },
    ...completenessOf(scan),
  };
}
