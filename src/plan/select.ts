// Resolving `--guest SEL` selectors to guests and templates; unknown or ambiguous selectors are values, not throws.
import { uuidKey } from "../parse/index.js";
import type { GraphScope } from "../schema/graph.js";
import type { Owner, Repository, ScanResult } from "../schema/scan.js";

/** A selector that matches no owner, or several. */
export interface SelectionProblem {
  selector: string;
  /**
   * `unknown`, `ambiguous`, or (restore) `different-in-live`: it selects one owner in the backup and
   * another, at another place, in the live tree (a renamed guest).
   */
  kind: "unknown" | "ambiguous" | "different-in-live";
  /** Owner references: the owners it matched (ambiguous), near matches (unknown), backup's then live's. */
  candidates: string[];
  /** The name people know each candidate by (simple name, else `name`), where it has one. */
  names: Record<string, string>;
  /** `repository` for a `--repository` selector: its candidates are repository ids, named by folder or alias. */
  selects?: "owner" | "repository";
}

/** The names of owners (simple name, else `name`) among `owners` whose reference is in `refs`. */
export function ownerNames(owners: Iterable<Owner>, refs: readonly string[]): Record<string, string> {
  const wanted = new Set(refs);
  const names: Record<string, string> = {};
  for (const owner of owners) {
    const name = owner.simpleName ?? owner.name;
    if (wanted.has(owner.ref) && name !== null && name !== "" && !(owner.ref in names))
      names[owner.ref] = name;
  }
  return names;
}

/** What a list of selectors picked: each owner once, in selector order, plus the selectors that failed. */
export interface Selection {
  owners: Owner[];
  problems: SelectionProblem[];
}

/** A plan could not be made because selectors failed: the caller shows the candidates (the CLI exits 2). */
export interface SelectionError {
  problems: SelectionProblem[];
}

/** True when a planner returned a SelectionError instead of its result. */
export function isSelectionError<T extends object>(value: T | SelectionError): value is SelectionError {
  return "problems" in value;
}

/** Every exact spelling that selects `owner`: its reference, `REPOSITORY/FOLDER` under any name of its repository, folder, name, simple name. */
function spellings(owner: Owner, repositoryNames: readonly string[]): string[] {
  const area = owner.type === "guest" ? "VirtualMachines" : "Templates";
  const names = [owner.ref, owner.id];
  for (const repository of repositoryNames)
    names.push(`${repository}/${owner.id}`, `${repository}/${area}/${owner.id}`);
  if (owner.name !== null) names.push(owner.name);
  if (owner.simpleName !== null) names.push(owner.simpleName);
  return names;
}

/** A folder name that is a uuid without dashes (32 hex digits). */
const UUID_FOLDER = /^[0-9a-f]{32}$/i;

/**
 * Resolve selectors against every guest and template of a scan (docs/domain.md, Identity).
 * Names are compared exactly (Linux paths are case-sensitive); only a uuid ignores case and dashes. A
 * selector matching more than one owner, by any spelling, is ambiguous.
 */
export function selectOwners(scan: ScanResult, selectors: string[]): Selection {
  const owners = [...scan.guests, ...scan.templates];
  const namesOf = new Map(
    scan.repositories.map((r) => [r.id, r.names.includes(r.id) ? r.names : [r.id, ...r.names]]),
  );
  const bySpelling = new Map<string, Owner[]>();
  const add = (key: string, owner: Owner): void => {
    const list = bySpelling.get(key);
    if (list === undefined) bySpelling.set(key, [owner]);
    else if (!list.includes(owner)) list.push(owner);
  };
  for (const owner of owners) {
    for (const spelling of spellings(owner, namesOf.get(owner.repository) ?? [owner.repository]))
      add(spelling, owner);
    if (owner.uuid !== null) add(`uuid:${uuidKey(owner.uuid)}`, owner);
    // Oracle VM names a guest's folder by its uuid without dashes: such a folder is a uuid spelling too,
    // so the uuid with dashes and without them always select the same owners.
    if (UUID_FOLDER.test(owner.id)) add(`uuid:${uuidKey(owner.id)}`, owner);
  }

  const selected: Owner[] = [];
  const problems: SelectionProblem[] = [];
  for (const selector of selectors) {
    // Every owner any spelling matches, with no precedence: a uuid written with dashes and the same uuid
    // without them select the same owners, and a selector that is one guest's folder and another's uuid
    // is ambiguous rather than silently the first.
    const bySelector = bySpelling.get(selector) ?? [];
    const byUuid = bySpelling.get(`uuid:${uuidKey(selector)}`) ?? [];
    const matches = [...new Set([...bySelector, ...byUuid])];
    if (matches.length === 1) {
      if (!selected.includes(matches[0]!)) selected.push(matches[0]!);
    } else if (matches.length > 1) {
      const candidates = matches.map((o) => o.ref).sort();
      problems.push({ selector, kind: "ambiguous", candidates, names: ownerNames(matches, candidates) });
    } else {
      // Near matches help with a typo or a case slip: spellings that contain the selector, ignoring case.
      const needle = selector.toLowerCase();
      const near = new Set<string>();
      for (const [spelling, list] of bySpelling) {
        if (spelling.toLowerCase().includes(needle)) for (const o of list) near.add(o.ref);
      }
      const candidates = [...near].sort();
      problems.push({ selector, kind: "unknown", candidates, names: ownerNames(owners, candidates) });
    }
  }
  return { owners: selected, problems };
}

/**
 * Resolve `--repository` selectors against the scanned repositories: a selector is any name a repository is
 * known by (id, folder name, `--repository NAME`) or its alias, compared exactly. One that matches none, or
 * several (two repositories with one alias), is a problem listing the candidates by id.
 */
export function selectRepositories(
  scan: ScanResult,
  selectors: readonly string[],
): { repositories: Repository[]; problems: SelectionProblem[] } {
  // The alias too when another repository claims it (then it is not in `names`): such a selector is ambiguous.
  const namesOf = (r: Repository): string[] => [
    r.id,
    r.folder,
    ...r.names,
    ...(r.alias === null ? [] : [r.alias]),
  ];
  const label = (ids: readonly string[]): Record<string, string> => {
    const names: Record<string, string> = {};
    for (const r of scan.repositories) {
      const name = r.alias ?? r.folder;
      if (ids.includes(r.id) && name !== r.id) names[r.id] = name;
    }
    return names;
  };
  const repositories: Repository[] = [];
  const problems: SelectionProblem[] = [];
  for (const selector of selectors) {
    const matches = scan.repositories.filter((r) => namesOf(r).includes(selector));
    if (matches.length === 1) {
      if (!repositories.includes(matches[0]!)) repositories.push(matches[0]!);
      continue;
    }
    const needle = selector.toLowerCase();
    const found =
      matches.length > 1
        ? matches
        : scan.repositories.filter((r) => namesOf(r).some((n) => n.toLowerCase().includes(needle)));
    const candidates = found.map((r) => r.id).sort();
    const kind = matches.length > 1 ? "ambiguous" : "unknown";
    problems.push({ selector, kind, candidates, names: label(candidates), selects: "repository" });
  }
  return { repositories, problems };
}

/**
 * The scope of `graph --guest SEL --repository SEL` (scopeGraph draws it): the owners and repositories the
 * selectors pick, or every selector that picks none or several.
 */
export function selectGraphScope(
  scan: ScanResult,
  guests: readonly string[],
  repositories: readonly string[],
): GraphScope | SelectionError {
  const owners = selectOwners(scan, [...guests]);
  const picked = selectRepositories(scan, repositories);
  const problems = owners.problems.concat(picked.problems);
  if (problems.length > 0) return { problems };
  return {
    guests: [...guests],
    repositories: [...repositories],
    owners: owners.owners.map((o) => o.ref),
    repositoryIds: picked.repositories.map((r) => r.id),
  };
}
