// Safe selective restore: which files of a backup to copy back for the selected guests, and every reason to refuse.
import path from "node:path";
import { type Warning, warning } from "../diagnostics.js";
import { type Estate, estateOf, nodeOfFile, usersOfFile } from "../graph/index.js";
import { uuidKey } from "../parse/index.js";
import { RecordedTrees } from "../scan/recorded.js";
import { type Walk, walkNow } from "../scan/walk.js";
import type { Blocked, PlanFile, RestoreAction, RestoreResult } from "../schema/plan.js";
import type { Owner, Repository, ScanResult } from "../schema/scan.js";
import { runningWarnings } from "./backup.js";
import { backupSet, indexRepositories, type RepositoryIndex, repositoryRoot } from "./backup-set.js";
import { type SelectionError, type SelectionProblem, selectOwners } from "./select.js";

/** Options of `planRestore`: the owners to restore (resolved in the backup) and whether shared files may be overwritten. */
export interface RestoreOptions {
  guests: string[];
  /** Lifts the `shared` refusal only; every other refusal stands. */
  allowShared?: boolean;
}

/**
 * The names by which a backup and a live repository are the same one: id, folder name and
 * `--repository` names. An alias is left out: two estates may well both call a repository "Guests".
 */
function identityNames(repository: Repository): string[] {
  return repository.names.filter(
    (n) => n !== repository.alias || n === repository.id || n === repository.folder,
  );
}

/** The live repository that is the same as a backup repository, or null when no live ROOT holds it. */
function liveRepositoryOf(backupRepository: Repository, live: readonly Repository[]): Repository | null {
  const names = new Set([backupRepository.id, backupRepository.folder, ...identityNames(backupRepository)]);
  return (
    live.find((r) => names.has(r.id)) ??
    live.find((r) => [r.folder, ...identityNames(r)].some((n) => names.has(n))) ??
    null
  );
}

/**
 * True when the live vm.cfg at a backed-up guest's place is that guest's: the same uuid (dashes and case
 * aside), or no readable uuid at all (the guest's own damaged vm.cfg, the usual reason to restore it). A
 * different uuid there is another guest's vm.cfg.
 */
function isCounterpart(live: Owner, backedUp: Owner): boolean {
  return live.uuid === null || (backedUp.uuid !== null && uuidKey(live.uuid) === uuidKey(backedUp.uuid));
}

/**
 * Selectors that pick one owner in the backup and one at another place in the live tree (another
 * repository id or folder): the restore would not restore what the user named.
 */
function differentInLive(
  selectors: readonly string[],
  backup: ScanResult,
  live: ScanResult,
): SelectionProblem[] {
  const problems: SelectionProblem[] = [];
  for (const selector of selectors) {
    const inBackup = selectOwners(backup, [selector]).owners;
    const inLive = selectOwners(live, [selector]).owners;
    if (inBackup.length !== 1 || inLive.length !== 1) continue;
    const [b, l] = [inBackup[0]!, inLive[0]!];
    const backupRepository = backup.repositories.find((r) => r.id === b.repository);
    const pairedLive =
      backupRepository === undefined ? null : liveRepositoryOf(backupRepository, live.repositories);
    if (b.config !== l.config || pairedLive?.id !== l.repository) {
      problems.push({ selector, kind: "different-in-live", candidates: [b.ref, l.ref] });
    }
  }
  return problems;
}

/** One selected guest or template with what it is on each side. */
interface Subject {
  owner: Owner;
  /** The live vm.cfg at the same repository and folder, if any. */
  counterpart: Owner | null;
}

/** One side of a restore as the checks query it: its model, and its recorded trees for the walker. */
interface Side {
  estate: Estate;
  trees: RecordedTrees;
}

/** The side of a scan or estate. */
function sideOf(input: ScanResult | Estate): Side {
  const estate = estateOf(input);
  return { estate, trees: new RecordedTrees(estate.scan.repositories) };
}

/** Walk a path of a restore on one side: the scan's walker, over the facts that side's scan recorded. */
function walkSide(side: Side, repository: Repository, file: string): Walk {
  return walkNow(repository, file, side.trees, side.trees);
}

/**
 * Why a restore may not read `walk` (the source) or write it (the target), or null when it may: a link
 * on the way that leaves the repository, a loop, something that could not be examined, or anything but a
 * regular file where one should be.
 */
function walkRefusal(walk: Walk, root: string): { ref: string; reason: Blocked["reason"] } | null {
  switch (walk.state) {
    case "leaves":
      return { ref: path.join(root, walk.link), reason: "outside-repository" };
    case "loop":
      // A loop of links where a regular file should be.
      return { ref: path.join(root, walk.link), reason: "not-a-regular-file" };
    case "missing":
      // A file where a folder of the path should be: creating the path would replace (destroy) it.
      return walk.blockedBy === null
        ? null
        : { ref: path.join(root, walk.blockedBy), reason: "not-a-regular-file" };
    case "unreadable":
      return { ref: path.join(root, walk.file), reason: "unreadable" };
    case "found":
      return walk.facts.type === "file"
        ? null
        : { ref: path.join(root, walk.file), reason: "not-a-regular-file" };
    case "dangling":
      // A link to nothing where a regular file should be: rsync would replace it, cp would write through it.
      return { ref: path.join(root, walk.link), reason: "not-a-regular-file" };
    default:
      return null;
  }
}

/** Everything the checks of one file need. */
interface Context {
  live: Side;
  backup: Side;
  backupRepositories: RepositoryIndex;
  /** Backup repository id → the same repository on the live side (null: no live ROOT holds it). */
  liveRepositories: Map<string, Repository | null>;
  /** Owner references being restored in this command, on each side. */
  restoredBackup: ReadonlySet<string>;
  restoredLive: ReadonlySet<string>;
  /** Live guests and templates by owner reference (their running state). */
  liveOwners: ReadonlyMap<string, Owner>;
  allowShared: boolean;
}

/** The result of checking one file of a guest's backup set: its action, or why it must not be copied. */
interface FileVerdict {
  action: RestoreAction | null;
  blocked: Blocked[];
  warnings: Warning[];
}

/**
 * Check one file of the backup set of `subject`. The order of the checks does not matter for
 * safety: every refusal found is reported, and any refusal makes the whole restore unsafe.
 */
function checkFile(subject: Subject, file: PlanFile, context: Context): FileVerdict {
  const guest = subject.owner.ref;
  const blocked: Blocked[] = [];
  const liveRepository = context.liveRepositories.get(file.repository) ?? null;
  if (liveRepository === null) {
    // Restoring into a repository the live side does not have would create it by hand: never.
    return {
      action: null,
      blocked: [{ guest, ref: file.path, reason: "no-live-repository", users: [] }],
      warnings: [],
    };
  }
  const target = path.join(liveRepository.root, file.file);
  const backupRoot = repositoryRoot(context.backupRepositories, file.repository);

  // Through a link on the way, a copy would read from or write to a file outside the repository.
  const source = walkSide(context.backup, context.backupRepositories.byId.get(file.repository)!, file.file);
  const destination = walkSide(context.live, liveRepository, file.file);
  const sourceRefusal = walkRefusal(source, backupRoot);
  if (sourceRefusal) blocked.push({ guest, ...sourceRefusal, users: [] });
  const destinationRefusal = walkRefusal(destination, liveRepository.root);
  if (destinationRefusal) blocked.push({ guest, ...destinationRefusal, users: [] });
  // The file itself a link on one side and a regular file on the other: the copy would not put back what
  // the guest opens (or would write through the live link).
  if (destination.links.includes(file.file) !== source.links.includes(file.file)) {
    blocked.push({ guest, ref: target, reason: "type-changed", users: [] });
  }

  // Who else uses this file — under its own name and wherever a link inside the repository really
  // puts it (a copy writes through the link). In the live tree, a file the live counterpart does not
  // use but another owner does has become someone else's: overwriting it destroys their data,
  // whatever the user allows.
  const usersAt = (side: Side, repository: string, files: string[]): string[] => [
    ...new Set(files.flatMap((f) => usersOfFile(side.estate.graph, repository, f))),
  ];
  const backupUsers = usersAt(context.backup, file.repository, [file.file, source.file]);
  const liveUsers = usersAt(context.live, liveRepository.id, [file.file, destination.file]);
  const liveOthers = liveUsers.filter((u) => !context.restoredLive.has(u));
  const backupOthers = backupUsers.filter((u) => !context.restoredBackup.has(u));
  const ownLive = subject.counterpart !== null && liveUsers.includes(subject.counterpart.ref);
  const users = [...new Set([...backupUsers, ...liveUsers])].sort();
  const targetFacts = destination.state === "found" ? destination.facts : null;
  const sourceFacts = source.state === "found" ? source.facts : null;
  // A target with more names than one: through another name a copy in place would write another file.
  const liveNode = nodeOfFile(context.live.estate.graph, liveRepository.id, destination.file);
  const knownNames =
    1 + (liveNode === null ? 0 : context.live.estate.graph.getNodeAttribute(liveNode, "aliases").length);
  const sameFile =
    sourceFacts !== null &&
    targetFacts !== null &&
    sourceFacts.device === targetFacts.device &&
    sourceFacts.inode === targetFacts.inode;
  if (sameFile) {
    // The backup is the live file itself (a backup made with hard links, a ROOT reached twice).
    blocked.push({ guest, ref: target, reason: "same-file", users: [] });
  } else if (targetFacts !== null && targetFacts.links > knownNames) {
    // Its other names are outside the scanned trees: they may belong to anything.
    blocked.push({ guest, ref: target, reason: "hard-linked", users: [] });
  }
  if (liveOthers.length > 0 && !ownLive) {
    blocked.push({ guest, ref: target, reason: "used-by-other", users });
  } else if ((backupOthers.length > 0 || liveOthers.length > 0) && !context.allowShared) {
    // Restoring one user's copy of a shared disk (a RAC voting disk…) corrupts the others; a hard link
    // makes two names one file, so the other name's users are this file's users too.
    const reason = knownNames > 1 ? "hard-linked" : "shared";
    blocked.push({ guest, ref: file.path, reason, users });
  }
  // Overwriting a file a running guest uses corrupts it, whatever --allow-shared says.
  const running = liveOthers.filter((ref) => context.liveOwners.get(ref)?.running === true);
  if (targetFacts !== null && running.length > 0) {
    blocked.push({ guest, ref: target, reason: "guest-running", users: running });
  }
  const warnings: Warning[] = [];
  const unknown = liveOthers.filter((ref) => context.liveOwners.get(ref)?.running === null);
  if (targetFacts !== null && unknown.length > 0) {
    warnings.push(
      warning(
        "running-unknown",
        `${target} is also used by ${unknown.join(", ")}, whose running state is unknown (no --xm-list): overwriting a running guest's disk corrupts it`,
      ),
    );
  }

  const unchanged =
    targetFacts !== null &&
    sourceFacts !== null &&
    targetFacts.type === "file" &&
    targetFacts.size === sourceFacts.size &&
    targetFacts.mtimeMs === sourceFacts.mtimeMs;
  return {
    action: {
      guest,
      repository: liveRepository.id,
      file: file.file,
      source: file.path,
      target,
      action: targetFacts === null ? "create" : unchanged ? "unchanged" : "overwrite",
      bytes: file.bytes,
      allocatedBytes: file.allocatedBytes,
      mtimeMs: finite(sourceFacts?.mtimeMs),
      targetBytes: finite(targetFacts?.size),
      targetMtimeMs: finite(targetFacts?.mtimeMs),
      links: [
        ...(context.backupRepositories.byId.get(file.repository)?.linksAbove ?? []),
        ...source.links.map((link) => path.join(backupRoot, link)),
        ...liveRepository.linksAbove,
        ...destination.links.map((link) => path.join(liveRepository.root, link)),
      ],
    },
    blocked,
    warnings,
  };
}

/**
 * Plan the restore of the selected guests (resolved in the backup) into the live tree: the files
 * `plan` would list for them in the backup become create/overwrite actions; anything that could
 * touch another owner's data or a file outside a repository blocks the restore (docs/domain.md,
 * Safety rules). It only reads: the copying is left to rsync or the calling tool.
 */
export async function planRestore(
  liveInput: ScanResult | Estate,
  backupInput: ScanResult | Estate,
  options: RestoreOptions,
): Promise<RestoreResult | SelectionError> {
  const liveSide = sideOf(liveInput);
  const backupSide = sideOf(backupInput);
  const live = liveSide.estate.scan;
  const backup = backupSide.estate.scan;
  const selection = selectOwners(backup, options.guests);
  if (selection.problems.length > 0) return { problems: selection.problems };
  // A selector must mean the same guest on both sides: `web01` renamed since the backup is now another
  // folder in the live tree, and restoring the backup's web01 would roll back whoever is there now.
  const elsewhere = differentInLive(options.guests, backup, live);
  if (elsewhere.length > 0) return { problems: elsewhere };

  const liveRepositories = new Map(
    backup.repositories.map((r) => [r.id, liveRepositoryOf(r, live.repositories)] as const),
  );
  const liveOwners = [...live.guests, ...live.templates];
  const subjects: Subject[] = selection.owners.map((owner) => {
    const repository = liveRepositories.get(owner.repository) ?? null;
    // The live vm.cfg at the same place is the guest's counterpart only when it describes the same guest:
    // another guest's vm.cfg there (another uuid) is someone else's file, never overwritten as "ours".
    const atSamePlace =
      repository === null
        ? null
        : (liveOwners.find((o) => o.repository === repository.id && o.config === owner.config) ?? null);
    const counterpart = atSamePlace !== null && isCounterpart(atSamePlace, owner) ? atSamePlace : null;
    return { owner, counterpart };
  });
  const index = indexRepositories(backup.repositories);
  const context: Context = {
    backupRepositories: index,
    live: liveSide,
    backup: backupSide,
    liveRepositories,
    restoredBackup: new Set(subjects.map((s) => s.owner.ref)),
    restoredLive: new Set(subjects.flatMap((s) => (s.counterpart === null ? [] : [s.counterpart.ref]))),
    liveOwners: new Map(liveOwners.map((o) => [o.ref, o])),
    allowShared: options.allowShared === true,
  };

  const actions: RestoreAction[] = [];
  const blocked: Blocked[] = [];
  const outside: RestoreResult["outside"] = [];
  const warnings: Warning[] = [];
  const targets = new Set<string>();

  for (const subject of subjects) {
    const { owner, counterpart } = subject;
    const guest = owner.ref;
    const set = backupSet(owner, index);

    if (owner.configLinkTarget !== null) {
      blocked.push({ guest, ref: owner.path, reason: "unsafe-symlink", users: [] });
    } else if (!owner.ok) {
      warnings.push(
        warning(
          "config-unreadable",
          `the backed-up vm.cfg of ${guest} has errors: only the disks it could read are restored`,
        ),
      );
    }
    for (const missing of set.missing) {
      blocked.push({ guest, ref: missing.path, reason: "missing-in-backup", users: [] });
    }
    for (const unusable of set.unusable) {
      const reason = unusable.state === "not-a-file" ? "not-a-regular-file" : "unreadable";
      blocked.push({ guest, ref: unusable.path, reason, users: [] });
    }
    outside.push(...set.outside.map((o) => ({ ...o, guest })));

    if (owner.running === true || counterpart?.running === true) {
      blocked.push({ guest, ref: guest, reason: "guest-running", users: [counterpart?.ref ?? guest] });
    } else if (owner.running === null && (counterpart === null || counterpart.running === null)) {
      warnings.push(...runningWarnings(owner));
    }

    // Two vm.cfg files with one uuid confuse Oracle VM Manager: never create the second one.
    if (owner.uuid !== null) {
      const uuid = uuidKey(owner.uuid);
      const others = liveOwners
        .filter((o) => o !== counterpart && o.uuid !== null && uuidKey(o.uuid) === uuid)
        .map((o) => o.ref);
      if (others.length > 0) blocked.push({ guest, ref: owner.uuid, reason: "uuid-conflict", users: others });
    }

    // A backup repository and the live one paired by name are the same only when their ids agree.
    const mismatched = new Set<string>();
    for (const file of set.files) {
      const backupRepository = context.backupRepositories.byId.get(file.repository);
      const liveRepository = context.liveRepositories.get(file.repository);
      if (
        backupRepository?.uuid &&
        liveRepository?.uuid &&
        backupRepository.uuid !== liveRepository.uuid &&
        !mismatched.has(liveRepository.root)
      ) {
        mismatched.add(liveRepository.root);
        blocked.push({ guest, ref: liveRepository.root, reason: "repository-mismatch", users: [] });
      }
    }

    // A disk the backed-up vm.cfg reaches through a link inside its repository (a.img -> a-real.img): the
    // backup set is the link's target; when the live name is a regular file, the guest would keep opening
    // it after the restore wrote the target.
    for (const reference of owner.disks) {
      // ISOs are never restored: only virtual disks matter here.
      if (reference.kind !== "virtual-disk" || reference.repository === null || reference.named === null)
        continue;
      if (reference.named === reference.file) continue;
      const liveRepository = context.liveRepositories.get(reference.repository);
      if (liveRepository === null || liveRepository === undefined) continue;
      const backupRepository = context.backupRepositories.byId.get(reference.repository);
      if (backupRepository === undefined) continue;
      const then = walkSide(context.backup, backupRepository, reference.named);
      const named = walkSide(context.live, liveRepository, reference.named);
      // The same name reached through other links: a link the backup has where the live tree has a file.
      if (
        named.state === "found" &&
        named.facts.type === "file" &&
        named.links.join("\n") !== then.links.join("\n")
      ) {
        blocked.push({
          guest,
          ref: path.join(liveRepository.root, reference.named),
          reason: "type-changed",
          users: [],
        });
      }
    }

    for (const file of set.files) {
      const verdict = checkFile(subject, file, context);
      blocked.push(...verdict.blocked);
      warnings.push(...verdict.warnings);
      // A file two restored guests share is copied once.
      if (verdict.action !== null && !targets.has(verdict.action.target)) {
        targets.add(verdict.action.target);
        actions.push(verdict.action);
        if (verdict.action.links.length > 0) {
          warnings.push(
            warning(
              "symlink-on-the-way",
              `${verdict.action.target} is reached through ${verdict.action.links.join(", ")}: copy through the link (rsync would replace it)`,
            ),
          );
        }
      }
    }

    if (counterpart === null) {
      warnings.push(
        warning("no-live-counterpart", `${guest} has no vm.cfg in the live tree: its files are created`),
      );
    } else {
      const restored = new Set(
        set.files.map((f) => `${context.liveRepositories.get(f.repository)?.id}/${f.file}`),
      );
      for (const reference of counterpart.disks) {
        if (reference.kind !== "virtual-disk" || reference.repository === null || reference.file === null)
          continue;
        if (restored.has(`${reference.repository}/${reference.file}`)) continue;
        warnings.push(
          warning(
            "disk-gained",
            `${counterpart.ref} uses ${reference.repository}/${reference.file}, which it did not use in the backup: left untouched`,
          ),
        );
      }
    }
  }

  return {
    safe: blocked.length === 0,
    guests: subjects.map((s) => s.owner.ref),
    actions,
    blocked,
    outside,
    warnings,
    roots: { live: live.roots, backup: backup.roots },
    space: spaceOf(actions, live.repositories),
  };
}

/** A recorded number, or null when the scan did not record it (NaN: see recorded.ts). */
function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/** Per live repository written to: the allocated bytes its copies write. */
function spaceOf(
  actions: readonly RestoreAction[],
  repositories: readonly Repository[],
): RestoreResult["space"] {
  const needed = new Map<string, number>();
  for (const action of actions) {
    if (action.action === "unchanged") continue;
    needed.set(
      action.repository,
      (needed.get(action.repository) ?? 0) + (action.allocatedBytes ?? action.bytes ?? 0),
    );
  }
  return [...needed].map(([id, neededBytes]) => {
    const repository = repositories.find((r) => r.id === id);
    return { repository: id, root: repository?.root ?? "", neededBytes };
  });
}
