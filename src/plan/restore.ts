// Safe selective restore: which files of a backup to copy back for the selected guests, and every reason to refuse.
import path from "node:path";
import { type Warning, warning } from "../diagnostics.js";
import { type Estate, estateOf, nodeOfFile, possibleUsersOfFile, usersOfFile } from "../graph/index.js";
import { uuidKey } from "../parse/index.js";
import { completenessOf, unscannedRepositories } from "../scan/completeness.js";
import { RecordedTrees } from "../scan/recorded.js";
import { type Walk, walkNow } from "../scan/walk.js";
import type { Blocked, PlanFile, RestoreAction, RestoreResult } from "../schema/plan.js";
import type { Owner, Repository, ScanResult } from "../schema/scan.js";
import { runningWarnings, scopeWarning } from "./backup.js";
import { backupSet, indexRepositories, type RepositoryIndex, repositoryRoot } from "./backup-set.js";
import { ownerNames, type SelectionError, type SelectionProblem, selectOwners } from "./select.js";

/** Options of `planRestore`: the owners to restore (resolved in the backup) and whether shared files may be overwritten. */
export interface RestoreOptions {
  guests: string[];
  /** Lifts the `shared` refusal only; every other refusal stands. */
  allowShared?: boolean;
  /**
   * Decides `unchanged` by content instead of size and mtime (`--checksum`; the library's `sameContent`
   * compares SHA-256): a target of the source's size is unchanged exactly when this says the contents are
   * equal. Without it, rsync's quick check: same size and mtime.
   */
  sameContent?: (source: string, target: string) => Promise<boolean>;
  /**
   * Lifts the `users-unknown` refusal only: overwrite files that a vm.cfg which could not be read fully (or
   * a folder of vm.cfg files that could not be listed) may use (`--allow-unknown-users`).
   */
  allowUnknownUsers?: boolean;
  /** Lifts the `xm-list-invalid` refusal only: restore although the `xm list` given could not be used (`--allow-unknown-running`). */
  allowUnknownRunning?: boolean;
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
export function liveRepositoryOf(
  backupRepository: Repository,
  live: readonly Repository[],
): Repository | null {
  return repositoryNamed(
    new Set([backupRepository.id, backupRepository.folder, ...identityNames(backupRepository)]),
    live,
  );
}

/** The repository of `live` that one of `names` names: by id first, then by folder or identifying name. */
export function repositoryNamed(names: ReadonlySet<string>, live: readonly Repository[]): Repository | null {
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
      problems.push({
        selector,
        kind: "different-in-live",
        candidates: [b.ref, l.ref],
        names: { ...ownerNames([l], [l.ref]), ...ownerNames([b], [b.ref]) },
      });
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
export interface Side {
  estate: Estate;
  trees: RecordedTrees;
}

/** The side of a scan or estate. */
export function sideOf(input: ScanResult | Estate): Side {
  const estate = estateOf(input);
  return { estate, trees: new RecordedTrees(estate.scan.repositories) };
}

/** Walk a path of a restore on one side: the scan's walker, over the facts that side's scan recorded. */
export function walkSide(side: Side, repository: Repository, file: string): Walk {
  return walkNow(repository, file, side.trees, side.trees);
}

/**
 * Why a restore may not read `walk` (the source) or write it (the target), or null when it may: a link
 * on the way that leaves the repository, a loop, something that could not be examined, or anything but a
 * regular file where one should be.
 */
export function walkRefusal(walk: Walk, root: string): { ref: string; reason: Blocked["reason"] } | null {
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
    default: {
      // Every state is decided above: a new one must be judged here before it can pass.
      const unjudged: never = walk;
      throw new Error(`walkRefusal: unjudged walk ${JSON.stringify(unjudged)}`);
    }
  }
}

/** Everything the checks of one file need. */
interface Context {
  /** `--allow-unknown-users`: files a vm.cfg that could not be read may use are overwritten all the same. */
  allowUnknownUsers: boolean;
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
  /** Told of every file whose users are asked for (a targeted restore reads what could name them). */
  asked: AskedFile | undefined;
}

/** Told of a file whose users a restore asks for, on the live side or the backup's. */
export type AskedFile = (side: "live" | "backup", repository: string, file: string) => void;

/** The result of checking one file of a guest's backup set: its action, or why it must not be copied. */
interface FileVerdict {
  action: RestoreAction | null;
  blocked: Blocked[];
  warnings: Warning[];
}

/** The owners that use a file of a restore on each side, besides those being restored. */
interface Users {
  /** Every user on either side, sorted. */
  all: string[];
  liveOthers: string[];
  backupOthers: string[];
  /** The live counterpart of the restored guest uses it too. */
  ownLive: boolean;
}

/**
 * Who uses a file on each side: the owners of any of `backupNames` in the backup repository and of any of
 * `liveNames` in the live one (its own name, and where links inside the repository really put it).
 */
function usersAround(
  subject: Subject,
  context: Context,
  backupRepository: string,
  liveRepository: string,
  [backupNames, liveNames]: [string[], string[]],
): Users {
  const usersAt = (side: Side, repository: string, files: string[]): string[] => {
    for (const f of files) context.asked?.(side === context.live ? "live" : "backup", repository, f);
    return [...new Set(files.flatMap((f) => usersOfFile(side.estate.graph, repository, f)))];
  };
  const backupUsers = usersAt(context.backup, backupRepository, backupNames);
  const liveUsers = usersAt(context.live, liveRepository, liveNames);
  return {
    all: [...new Set([...backupUsers, ...liveUsers])].sort(),
    liveOthers: liveUsers.filter((u) => !context.restoredLive.has(u)),
    backupOthers: backupUsers.filter((u) => !context.restoredBackup.has(u)),
    ownLive: subject.counterpart !== null && liveUsers.includes(subject.counterpart.ref),
  };
}

/**
 * The `users-unknown` refusal of writing `target`, or null: a possible user (`possibleUsersOfFile`) of any of
 * the files named, in the live estate (the first pair) or the backup (the second), that is not being
 * restored. `--allow-unknown-users` lifts it.
 */
function unknownUsersRefusal(
  guest: string,
  target: string,
  context: Context,
  [[liveRepository, liveFiles], [backupRepository, backupFiles]]: [[string, string[]], [string, string[]]],
): Blocked | null {
  if (context.allowUnknownUsers) return null;
  for (const f of liveFiles) context.asked?.("live", liveRepository, f);
  for (const f of backupFiles) context.asked?.("backup", backupRepository, f);
  const possible = [
    ...liveFiles.flatMap((f) => possibleUsersOfFile(context.live.estate, liveRepository, f)),
    ...backupFiles.flatMap((f) => possibleUsersOfFile(context.backup.estate, backupRepository, f)),
  ].filter((u) => !context.restoredLive.has(u) && !context.restoredBackup.has(u));
  return possible.length === 0
    ? null
    : { guest, ref: target, reason: "users-unknown", users: [...new Set(possible)].sort() };
}

/**
 * The refusal a file's other users give, or null. In the live tree, a file the live counterpart does not
 * use but another owner does has become someone else's: overwriting it destroys their data, whatever the
 * user allows. Otherwise a file other owners use is shared: only `--allow-shared` lifts that.
 */
function sharingRefusal(
  subject: Subject,
  users: Users,
  context: Context,
  at: { target: string; ref: string; knownNames: number },
): Blocked | null {
  const guest = subject.owner.ref;
  if (users.liveOthers.length > 0 && !users.ownLive) {
    return { guest, ref: at.target, reason: "used-by-other", users: users.all };
  }
  if ((users.backupOthers.length > 0 || users.liveOthers.length > 0) && !context.allowShared) {
    // Restoring one user's copy of a shared disk (a RAC voting disk…) corrupts the others; a hard link
    // makes two names one file, so the other name's users are this file's users too.
    const reason = at.knownNames > 1 ? "hard-linked" : "shared";
    return { guest, ref: at.ref, reason, users: users.all };
  }
  return null;
}

/**
 * Check one file of the backup set of `subject`. The order of the checks does not matter for
 * safety: every refusal found is reported, and any refusal makes the whole restore unsafe.
 */
function checkFile(
  subject: Subject,
  file: PlanFile,
  liveRepository: Repository,
  context: Context,
): FileVerdict {
  const guest = subject.owner.ref;
  const blocked: Blocked[] = [];
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
  // puts it (a copy writes through the link).
  const users = usersAround(subject, context, file.repository, liveRepository.id, [
    [file.file, source.file],
    [file.file, destination.file],
  ]);
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
  const sharing = sharingRefusal(subject, users, context, { target, ref: file.path, knownNames });
  if (sharing !== null) blocked.push(sharing);
  const { liveOthers } = users;
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
  // Writing a file that a vm.cfg which could not be read may use: its guest's data, for all we know (and a
  // file created where it names one would become its disk). A file left unchanged is not written.
  if (!unchanged) {
    const unknownUsers = unknownUsersRefusal(guest, target, context, [
      [liveRepository.id, [file.file, destination.file]],
      [file.repository, [source.file]],
    ]);
    if (unknownUsers !== null) blocked.push(unknownUsers);
  }
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
 * Check one link of the backup set of `subject` (a link inside its repository on the way to its vm.cfg or a
 * disk): it is made where the live tree has nothing at its name, left alone where the live tree has the
 * same link, and anything else there (a regular file, another link) blocks the restore (`type-changed`):
 * the guest would keep opening what is there. A link is never re-pointed.
 */
function checkLink(
  subject: Subject,
  link: PlanFile,
  liveRepository: Repository,
  context: Context,
): FileVerdict {
  const guest = subject.owner.ref;
  const target = path.join(liveRepository.root, link.file);
  const blocked: Blocked[] = [];
  // The folder it goes in, as any path is walked: a link leaving, a file where the folder should be…
  const slash = link.file.lastIndexOf("/");
  const folder = slash === -1 ? null : walkSide(context.live, liveRepository, link.file.slice(0, slash));
  const folderUsable =
    folder === null ||
    (folder.state === "found" && folder.facts.type === "directory") ||
    (folder.state === "missing" && folder.blockedBy === null);
  if (folder !== null && !folderUsable) {
    const refusal = walkRefusal(folder, liveRepository.root);
    blocked.push({
      guest,
      ref: refusal?.ref ?? target,
      reason: refusal?.reason ?? "not-a-regular-file",
      users: [],
    });
  }
  const name = folder === null ? link.file : `${folder.file}/${link.file.slice(slash + 1)}`;
  const at = path.join(liveRepository.root, name);
  const now = context.live.trees.lstatSync(at);
  let action: RestoreAction["action"] = "create";
  if (now.facts !== null) {
    const text = now.facts.type === "symlink" ? context.live.trees.readlinkSync(at).target : null;
    if (text === link.linkTo) action = "unchanged";
    else blocked.push({ guest, ref: target, reason: "type-changed", users: [] });
  } else if (now.error !== "ENOENT" && folderUsable && folder?.state !== "missing") {
    blocked.push({ guest, ref: target, reason: "unreadable", users: [] });
  }
  // Making a link where a live guest names a missing disk gives that guest this guest's disk.
  const users = usersAround(subject, context, link.repository, liveRepository.id, [[link.file], [name]]);
  if (action === "create") {
    const sharing = sharingRefusal(subject, users, context, { target, ref: link.path, knownNames: 1 });
    if (sharing !== null) blocked.push(sharing);
    const unknownUsers = unknownUsersRefusal(guest, target, context, [
      [liveRepository.id, [link.file, name]],
      [link.repository, [link.file]],
    ]);
    if (unknownUsers !== null) blocked.push(unknownUsers);
    // A relative text leads elsewhere from another folder: made where the live tree puts its folder, the
    // link must lead to the same place in the repository as in the backup, or it is another file.
    if (link.linkTo !== undefined && !link.linkTo.startsWith("/")) {
      const backupRoot = repositoryRoot(context.backupRepositories, link.repository);
      const inBackup = path.posix.relative(
        backupRoot,
        path.posix.join(path.posix.dirname(link.path), link.linkTo),
      );
      const inLive = path.posix.relative(
        liveRepository.root,
        path.posix.join(path.posix.dirname(at), link.linkTo),
      );
      if (inBackup !== inLive) blocked.push({ guest, ref: target, reason: "type-changed", users: [] });
    }
  }
  const source = context.backup.trees.lstatSync(link.path).facts;
  return {
    action: {
      guest,
      repository: liveRepository.id,
      file: link.file,
      source: link.path,
      target,
      action,
      bytes: link.bytes,
      allocatedBytes: link.allocatedBytes,
      mtimeMs: finite(source?.mtimeMs),
      targetBytes: null,
      targetMtimeMs: null,
      links: [
        ...liveRepository.linksAbove,
        ...(folder?.links ?? []).map((l) => path.join(liveRepository.root, l)),
      ],
      linkTo: link.linkTo,
    },
    blocked,
    warnings: [],
  };
}

/** Check one entry of the backup set: a file, or a link inside its repository. */
function checkEntry(subject: Subject, entry: PlanFile, context: Context): FileVerdict {
  const liveRepository = context.liveRepositories.get(entry.repository) ?? null;
  if (liveRepository === null) {
    // Restoring into a repository the live side does not have would create it by hand: never.
    return {
      action: null,
      blocked: [{ guest: subject.owner.ref, ref: entry.path, reason: "no-live-repository", users: [] }],
      warnings: [],
    };
  }
  return entry.role === "link"
    ? checkLink(subject, entry, liveRepository, context)
    : checkFile(subject, entry, liveRepository, context);
}

/**
 * Plan the restore of the selected guests (resolved in the backup) into the live tree: the files
 * `plan` would list for them in the backup become create/overwrite actions; anything that could
 * touch another owner's data or a file outside a repository blocks the restore (docs/domain.md,
 * Safety rules). It only reads: the copying is left to rsync or the calling tool.
 */
export function planRestore(
  liveInput: ScanResult | Estate,
  backupInput: ScanResult | Estate,
  options: RestoreOptions,
): Promise<RestoreResult | SelectionError> {
  return planRestoreAsking(liveInput, backupInput, options, undefined);
}

/** `planRestore`, telling `asked` of every file whose users it asks for. */
export async function planRestoreAsking(
  liveInput: ScanResult | Estate,
  backupInput: ScanResult | Estate,
  options: RestoreOptions,
  asked: AskedFile | undefined,
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
    allowUnknownUsers: options.allowUnknownUsers === true,
    asked,
  };

  const actions: RestoreAction[] = [];
  const blocked: Blocked[] = [];
  // An `xm list` was given and could not be used: the running-guest guard the user asked for cannot apply.
  if (options.allowUnknownRunning !== true) {
    for (const d of live.diagnostics) {
      // The scan's own file-too-large is the --xm-list's (a vm.cfg's is in its owner's diagnostics).
      if (d.code !== "xm-list-invalid" && d.code !== "xm-list-unreadable" && d.code !== "file-too-large")
        continue;
      for (const subject of subjects)
        blocked.push({
          guest: subject.owner.ref,
          ref: d.file ?? "--xm-list",
          reason: "xm-list-invalid",
          users: [],
        });
    }
  }
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
      // Its disk list cannot be trusted (plan calls it coverage none): restoring it would put a broken
      // vm.cfg over the live one, and restore only the disks that could be read.
      blocked.push({ guest, ref: owner.path, reason: "config-unreadable", users: [] });
    }
    for (const missing of set.missing) {
      blocked.push({ guest, ref: missing.path, reason: "missing-in-backup", users: [] });
    }
    for (const unusable of set.unusable) {
      const reason = unusable.state === "not-a-file" ? "not-a-regular-file" : "unreadable";
      blocked.push({ guest, ref: unusable.path, reason, users: [] });
    }
    for (const o of set.outside) outside.push({ ...o, guest });

    if (owner.running === true || counterpart?.running === true) {
      blocked.push({ guest, ref: guest, reason: "guest-running", users: [counterpart?.ref ?? guest] });
    } else if (owner.running === null && (counterpart === null || counterpart.running === null)) {
      for (const warning of runningWarnings(owner)) warnings.push(warning);
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

    // The files, then the links inside the repository that lead to them (a link is made once its target is there).
    for (const file of [...set.files, ...set.links]) {
      const verdict = checkEntry(subject, file, context);
      for (const why of verdict.blocked) blocked.push(why);
      for (const warning of verdict.warnings) warnings.push(warning);
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
        [...set.files, ...set.links].map(
          (f) => `${context.liveRepositories.get(f.repository)?.id}/${f.file}`,
        ),
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

  // Hashing is for a restore that will happen: a refused one is not read in full.
  if (options.sameContent !== undefined && blocked.length === 0)
    await compareContents(actions, options.sameContent);
  const scope = [...new Set([...unscannedRepositories(live), ...unscannedRepositories(backup)])].sort();
  if (scope.length > 0 && actions.length > 0) warnings.push(scopeWarning(scope));

  return {
    safe: blocked.length === 0,
    guests: subjects.map((s) => s.owner.ref),
    actions,
    blocked,
    outside,
    warnings,
    roots: { live: live.roots, backup: backup.roots },
    space: spaceOf(actions, live.repositories),
    names: namesOf(
      [...subjects.map((s) => s.owner.ref), ...blocked.flatMap((b) => [b.guest, ...b.users])],
      [backup, live],
    ),
    ...completenessOf(live, backup),
  };
}

/** The names of `refs` (simple name, else `name`): the backup's first, then the live tree's. */
function namesOf(refs: readonly string[], scans: readonly ScanResult[]): Record<string, string> {
  return ownerNames(
    scans.flatMap((scan) => [...scan.guests, ...scan.templates]),
    refs,
  );
}

/**
 * `--checksum`: each existing regular target of its source's size is unchanged exactly when the contents
 * are equal, whatever the mtimes say (a file rewritten with the same bytes is not copied; a file changed
 * within the same second and size is). One file at a time: disks are large and read sequentially.
 */
async function compareContents(
  actions: RestoreAction[],
  sameContent: NonNullable<RestoreOptions["sameContent"]>,
): Promise<void> {
  for (const action of actions) {
    if (action.action === "create" || action.linkTo !== undefined) continue;
    const sameSize = action.bytes !== null && action.bytes === action.targetBytes;
    action.action = sameSize && (await sameContent(action.source, action.target)) ? "unchanged" : "overwrite";
  }
}

/** A recorded number, or null when the scan did not record it (NaN: see recorded.ts). */
export function finite(value: number | undefined): number | null {
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
