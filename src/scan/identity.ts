// Repository identity (docs/domain.md, Identity): id, the names a vm.cfg path may use for it, alias and role.
import path from "node:path";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import type { Role } from "../schema/scan.js";
import type { RoleRule } from "./options.js";
import { matchesPattern } from "./pattern.js";

/** A repository as identified, before its files are listed. */
export interface RepositoryIdentity {
  id: string;
  root: string;
  folder: string;
  uuid: string | null;
  alias: string | null;
  role: Role;
  /** Every name that resolves to it, filled in by `indexRepositories`. */
  names: string[];
  ovsrepo: Record<string, string>;
  givenNames: string[];
}

/** Identify a repository folder from its `.ovsrepo` values and the names given for it. */
export function identify(
  root: string,
  ovsrepo: Record<string, string>,
  givenNames: readonly string[],
): RepositoryIdentity {
  const uuid = ovsrepo.OVS_REPO_UUID || null;
  const folder = path.basename(root);
  return {
    id: uuid ?? folder,
    root,
    folder,
    uuid,
    alias: ovsrepo.OVS_REPO_ALIAS || null,
    role: null,
    names: [],
    ovsrepo,
    givenNames: [...givenNames],
  };
}

/** The naming convention: alias "Guests…" → guests, "Templates…" → resources (case-insensitive). */
function conventionalRole(alias: string | null): Role {
  const lower = alias?.toLowerCase() ?? "";
  if (lower.startsWith("guests")) return "guests";
  if (lower.startsWith("templates")) return "resources";
  return null;
}

/** The role of a repository: the first policy rule matching its id, folder name or alias, else the convention. */
function roleOf(repository: RepositoryIdentity, rules: readonly RoleRule[]): Role {
  const candidates = [repository.id, repository.folder, repository.alias].filter((n) => n !== null);
  const rule = rules.find((r) => candidates.some((name) => matchesPattern(r.match, name)));
  return rule ? rule.role : conventionalRole(repository.alias);
}

/** The names of the scanned repositories: what a `/OVS/Repositories/<X>/…` path may use for X. */
export class RepositoryIndex<R extends RepositoryIdentity> {
  private readonly byName = new Map<string, R>();
  private readonly byLowerName = new Map<string, string>();
  /** Roots, longest first, for paths that start with a scanned repository's own folder. */
  private readonly byRoot: R[];

  constructor(
    readonly repositories: readonly R[],
    diagnostics: Diagnostic[],
  ) {
    const at = (r: R) => ({ file: r.root, line: null, column: null });
    const byId = new Map<string, R>();
    for (const r of repositories) {
      const other = byId.get(r.id);
      if (other) {
        diagnostics.push(
          diagnostic(
            "error",
            "duplicate-repository",
            `repository ${r.id} is scanned twice: ${other.root} and ${r.root}`,
            at(r),
          ),
        );
      } else byId.set(r.id, r);
    }
    // Names that identify: id, folder name and --repository names. A name two repositories claim keeps
    // its first owner (ROOT order), and says so.
    for (const r of repositories) {
      for (const name of new Set([r.id, r.folder, ...r.givenNames])) {
        const owner = this.byName.get(name);
        if (owner === undefined) this.claim(name, r);
        else if (owner !== r && owner.id !== r.id) {
          diagnostics.push(
            diagnostic(
              "warning",
              "ambiguous-repository-name",
              `name ${name} of ${r.root} already names ${owner.root}: paths using it resolve there`,
              at(r),
            ),
          );
        }
      }
    }
    // An alias names its repository only when no other scanned repository claims that name.
    const aliasCount = new Map<string, number>();
    for (const r of repositories) {
      if (r.alias !== null) aliasCount.set(r.alias, (aliasCount.get(r.alias) ?? 0) + 1);
    }
    for (const r of repositories) {
      if (r.alias === null) continue;
      const owner = this.byName.get(r.alias);
      if (owner === undefined && aliasCount.get(r.alias) === 1) this.claim(r.alias, r);
      else if (owner !== r) {
        diagnostics.push(
          diagnostic(
            "info",
            "alias-not-used",
            `alias ${r.alias} is claimed by another scanned repository: it does not name ${r.id}`,
            at(r),
          ),
        );
      }
    }
    this.byRoot = [...repositories].sort((a, b) => b.root.length - a.root.length);
  }

  private claim(name: string, repository: R): void {
    this.byName.set(name, repository);
    repository.names.push(name);
    const lower = name.toLowerCase();
    if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, name);
  }

  /** The repository known exactly as `name`. */
  named(name: string): R | undefined {
    return this.byName.get(name);
  }

  /** A name of a scanned repository that differs from `name` only in case, to suggest. */
  similarName(name: string): string | null {
    return this.byLowerName.get(name.toLowerCase()) ?? null;
  }

  /** The repository whose scanned folder holds absolute path `file` (the innermost one), with the rest. */
  byFolder(file: string): { repository: R; rest: string } | null {
    for (const repository of this.byRoot) {
      if (file.startsWith(`${repository.root}/`)) {
        return { repository, rest: file.slice(repository.root.length + 1) };
      }
    }
    return null;
  }
}

/** Give each repository its role: policy rules first (first match wins), then the naming convention. */
export function assignRoles(repositories: readonly RepositoryIdentity[], rules: readonly RoleRule[]): void {
  for (const r of repositories) r.role = roleOf(r, rules);
}
