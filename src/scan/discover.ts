// Finding the repository folders under the ROOTs, and reading each one's `.ovsrepo` and `.ovsmeta`.
import path from "node:path";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { type Dirent, type FsCache, listFolder, statFollowing } from "./io.js";

/** The sub-folders every Oracle VM repository has (any one of them marks a repository folder). */
export const STANDARD_FOLDERS: ReadonlySet<string> = new Set([
  "VirtualMachines",
  "Templates",
  "VirtualDisks",
  "ISOs",
  "Assemblies",
]);

/** Folders that snapshots and file systems add beside repositories: never repositories themselves. */
const NOT_REPOSITORIES: ReadonlySet<string> = new Set(["lost+found"]);

/** `.ovsrepo` and `.ovsmeta` are small; anything bigger is not what Oracle VM writes. */
const MAX_METADATA_BYTES = 4 * 1024 * 1024;

/** A repository folder found under a ROOT, before its identity is settled. */
export interface RepositoryFolder {
  /** Absolute path of the repository folder. */
  root: string;
  /** Names given with `--repository NAME=DIR`. */
  givenNames: string[];
}

/** What discovery gives: the repository folders in ROOT order, and its problems. */
export interface Discovery {
  folders: RepositoryFolder[];
  diagnostics: Diagnostic[];
  /** Repository folders beside a ROOT that is one repository, not scanned (absolute). */
  beside: string[];
}

const at = (file: string) => ({ file, line: null, column: null });

const looksLikeRepository = (entries: readonly Dirent[]): boolean =>
  entries.some(
    (e) =>
      (e.name === ".ovsrepo" && !e.isDirectory()) ||
      (STANDARD_FOLDERS.has(e.name) && (e.isDirectory() || e.isSymbolicLink())),
  );

/** List a folder; null (with a diagnostic) when it cannot be read. */
async function list(folder: string, diagnostics: Diagnostic[]): Promise<Dirent[] | null> {
  const listed = await listFolder(folder);
  if (listed.entries === null)
    diagnostics.push(diagnostic("error", "unreadable", `cannot list folder (${listed.error})`, at(folder)));
  return listed.entries;
}

/** The repository folders of one ROOT: the ROOT itself, or each repository folder directly inside it. */
async function discoverRoot(
  root: string,
  fs: FsCache,
  diagnostics: Diagnostic[],
  beside: Array<{ root: string; sibling: string }>,
): Promise<string[]> {
  // A ROOT is what the user named, so it may itself be a link (to a mounted snapshot, say): stat follows it.
  const rootStats = await statFollowing(root);
  if (rootStats !== "directory") {
    const why = rootStats === "other" ? "is not a folder" : `does not exist (${rootStats.error})`;
    diagnostics.push(diagnostic("error", "root-not-found", `ROOT ${root} ${why}`, at(root)));
    return [];
  }
  const entries = await list(root, diagnostics);
  if (entries === null) {
    diagnostics.push(diagnostic("error", "no-repositories", `ROOT ${root} cannot be listed`, at(root)));
    return [];
  }
  if (looksLikeRepository(entries)) {
    // A repository folder as ROOT: guests in the repositories beside it may use its files, unseen.
    for (const sibling of await repositoriesBeside(root)) beside.push({ root, sibling });
    return [root];
  }
  const found: string[] = [];
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".") || NOT_REPOSITORIES.has(entry.name)) continue;
    const folder = path.join(root, entry.name);
    if (await fs.isInvalidName(root, entry.name)) {
      diagnostics.push(
        diagnostic("warning", "non-utf8-name", "folder name is not valid UTF-8: skipped", at(folder)),
      );
      continue;
    }
    if (entry.isSymbolicLink()) {
      // Repositories are mounted, not linked: a link here may lead anywhere, so it is not followed.
      diagnostics.push(diagnostic("info", "not-a-repository", "a symbolic link, not followed", at(folder)));
      continue;
    }
    if (!entry.isDirectory()) continue;
    const inside = await list(folder, diagnostics);
    if (inside === null) continue;
    if (looksLikeRepository(inside)) found.push(folder);
    else
      diagnostics.push(
        diagnostic("info", "not-a-repository", "no .ovsrepo and no repository folders", at(folder)),
      );
  }
  if (found.length === 0) {
    const hint = await whereRepositoriesAre(root, entries, fs);
    const empty = entries.length === 0 ? " (it is empty: a file system that is not mounted?)" : "";
    diagnostics.push(
      diagnostic(
        "error",
        "no-repositories",
        `ROOT ${root} holds no repository folder${empty}${hint}`,
        at(root),
      ),
    );
  }
  return found;
}

/** The repository folders beside `root` in its parent folder (not `root` itself). */
async function repositoriesBeside(root: string): Promise<string[]> {
  const parent = path.dirname(root);
  if (parent === root) return [];
  const listed = await listFolder(parent);
  if (listed.entries === null) return [];
  const found: string[] = [];
  for (const entry of listed.entries) {
    const folder = path.join(parent, entry.name);
    if (!entry.isDirectory() || entry.name.startsWith(".") || folder === root) continue;
    const inside = await listFolder(folder);
    if (inside.entries !== null && looksLikeRepository(inside.entries)) found.push(folder);
  }
  return found.sort();
}

/**
 * Where the repositories near a ROOT that holds none are, as a hint: the repository the ROOT is inside
 * (a ROOT one level too low), or folders below it that hold repositories (a ROOT one level too high).
 */
async function whereRepositoriesAre(root: string, entries: readonly Dirent[], fs: FsCache): Promise<string> {
  const parent = await listFolder(path.dirname(root));
  if (parent.entries !== null && looksLikeRepository(parent.entries) && path.dirname(root) !== root) {
    const folder = path.dirname(root);
    return `; it is inside the repository ${folder}: did you mean ${folder}?`;
  }
  for (let folder = path.dirname(root); ; folder = path.dirname(folder)) {
    const metadata = await fs.lstat(path.join(folder, ".ovsrepo"));
    if (metadata.facts?.type === "file")
      return `; it is inside the repository ${folder}: did you mean ${folder}?`;
    if (folder === path.dirname(folder)) break;
  }
  const below: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const folder = path.join(root, entry.name);
    const inside = await listFolder(folder);
    if (inside.entries === null) continue;
    for (const child of inside.entries) {
      if (!child.isDirectory() || child.name.startsWith(".")) continue;
      const grandchild = await listFolder(path.join(folder, child.name));
      if (grandchild.entries !== null && looksLikeRepository(grandchild.entries)) {
        below.push(folder);
        break;
      }
    }
    if (below.length >= 3) break;
  }
  return below.length === 0 ? "" : `; repositories are in ${below.join(", ")}: did you mean ${below[0]}?`;
}

/**
 * Find the repository folders of the ROOTs (in order) and of `--repository NAME=DIR` (DIR is always one
 * repository folder). A folder reached twice is one repository with all the names given for it.
 */
export async function discoverRepositories(
  roots: readonly string[],
  named: ReadonlyArray<{ name: string; dir: string }>,
  fs: FsCache,
): Promise<Discovery> {
  const diagnostics: Diagnostic[] = [];
  const byRoot = new Map<string, RepositoryFolder>();
  const add = (root: string, names: string[]): void => {
    const known = byRoot.get(root);
    if (known === undefined) byRoot.set(root, { root, givenNames: names });
    else for (const n of names) if (!known.givenNames.includes(n)) known.givenNames.push(n);
  };
  const beside: Array<{ root: string; sibling: string }> = [];
  for (const root of roots) {
    for (const folder of await discoverRoot(root, fs, diagnostics, beside)) add(folder, []);
  }
  for (const { name, dir } of named) {
    const dirStats = await statFollowing(dir);
    if (dirStats !== "directory") {
      const why = dirStats === "other" ? "is not a folder" : `does not exist (${dirStats.error})`;
      diagnostics.push(diagnostic("error", "root-not-found", `--repository ${name}=${dir}: ${why}`, at(dir)));
      continue;
    }
    add(dir, [name]);
  }
  // A folder beside one ROOT may be another ROOT: only those scanned by no ROOT are "not scanned".
  const unscanned = beside.filter(({ sibling }) => !byRoot.has(sibling));
  for (const root of new Set(unscanned.map((u) => u.root))) {
    const names = unscanned.filter((u) => u.root === root).map((u) => path.basename(u.sibling));
    diagnostics.push(
      diagnostic(
        "warning",
        "repository-not-scanned",
        `ROOT ${root} is one repository; beside it are repositories that were not scanned (${names.join(", ")}): their guests may use its files`,
        at(root),
      ),
    );
  }
  return {
    folders: [...byRoot.values()],
    diagnostics,
    beside: [...new Set(unscanned.map((u) => u.sibling))].sort(),
  };
}

/** Read a small metadata file at the top of a repository; null when absent. Links are not followed. */
async function readMetadata(file: string, fs: FsCache, diagnostics: Diagnostic[]): Promise<string | null> {
  const read = await fs.readRegularFile(file, MAX_METADATA_BYTES);
  if (read.bytes === null) {
    if (read.error !== "ENOENT") {
      diagnostics.push(diagnostic("warning", "metadata-not-read", `cannot read (${read.error})`, at(file)));
    }
    return null;
  }
  return read.bytes.toString("utf8");
}

/** The `KEY=VALUE` lines of `.ovsrepo` (any keys; blank lines and `#` comments skipped, quotes removed). */
export async function readOvsRepo(
  root: string,
  fs: FsCache,
  diagnostics: Diagnostic[],
): Promise<Record<string, string>> {
  const text = await readMetadata(path.join(root, ".ovsrepo"), fs, diagnostics);
  const values: Record<string, string> = {};
  for (const line of text?.split(/\r\n|\r|\n/) ?? []) {
    const trimmed = line.trim();
    const equals = trimmed.indexOf("=");
    if (trimmed.startsWith("#") || equals <= 0) continue;
    values[trimmed.slice(0, equals).trim()] = trimmed
      .slice(equals + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, "$2");
  }
  return values;
}

/** `SIMPLE_NAME`s from `.ovsmeta`, by the key it uses (a file name or a path relative to the repository). */
export async function readOvsMeta(
  root: string,
  fs: FsCache,
  diagnostics: Diagnostic[],
): Promise<Map<string, string>> {
  const file = path.join(root, ".ovsmeta");
  const text = await readMetadata(file, fs, diagnostics);
  const names = new Map<string, string>();
  if (text === null) return names;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    diagnostics.push(
      diagnostic("warning", "ovsmeta-invalid", `not valid JSON: ${(error as Error).message}`, at(file)),
    );
    return names;
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    diagnostics.push(diagnostic("warning", "ovsmeta-invalid", "expected a JSON object", at(file)));
    return names;
  }
  for (const [key, entry] of Object.entries(json)) {
    const simpleName = (entry as { SIMPLE_NAME?: unknown } | null)?.SIMPLE_NAME;
    if (typeof simpleName === "string") names.set(key, simpleName);
  }
  return names;
}
