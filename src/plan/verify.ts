// `verify`: a manifest (a saved `plan --format json`, with `--checksum` its SHA-256s) against trees — a backup
// copy, a snapshot, or the live tree after a restore. Facts come from the scan; contents from `hash`.
import path from "node:path";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { uuidKey } from "../parse/index.js";
import { completenessOf } from "../scan/completeness.js";
import { RecordedTrees } from "../scan/recorded.js";
import { walkNow } from "../scan/walk.js";
import type { Plan, PlanFile, PlanResult, VerifiedFile, VerifyResult } from "../schema/plan.js";
import type { Repository, ScanResult } from "../schema/scan.js";
import type { SelectionError } from "./select.js";

/** Options of `verifyManifest`. */
export interface VerifyOptions {
  /** The guests to verify, by owner reference, folder id, uuid or simple name (all when none). */
  guests?: string[];
  /** The SHA-256 of a file (the library's `fileSha256`), null when it cannot be read. */
  hash: (file: string) => Promise<string | null>;
}

/**
 * The scanned repository a manifest's repository is: the same id, or a shared name (its id, or the folder
 * name its files had when the manifest was made), as `restore` pairs a backup with the live tree.
 */
function repositoryOf(id: string, folder: string, repositories: readonly Repository[]): Repository | null {
  return (
    repositories.find((r) => r.id === id) ??
    repositories.find((r) => r.names.includes(id) || r.folder === folder || r.names.includes(folder)) ??
    null
  );
}

/** The folder name a manifest's repository had: its files' paths end in `/<file>` under it. */
function folderOf(file: PlanFile): string {
  const root = file.path.endsWith(`/${file.file}`) ? file.path.slice(0, -file.file.length - 1) : file.path;
  return path.posix.basename(root);
}

/** The plans of `manifest` that `selectors` name (all when none); unknown selectors are a SelectionError. */
function selected(manifest: PlanResult, selectors: readonly string[]): Plan[] | SelectionError {
  if (selectors.length === 0) return manifest.guests;
  const plans: Plan[] = [];
  const problems: SelectionError["problems"] = [];
  for (const selector of selectors) {
    const matches = manifest.guests.filter(
      (p) =>
        p.owner === selector ||
        p.id === selector ||
        p.simpleName === selector ||
        (p.uuid !== null && uuidKey(p.uuid) === uuidKey(selector)),
    );
    if (matches.length === 0) {
      problems.push({ selector, kind: "unknown", candidates: [], names: {} });
    } else if (matches.length > 1) {
      const candidates = matches.map((p) => p.owner).sort();
      problems.push({ selector, kind: "ambiguous", candidates, names: {} });
    } else if (!plans.includes(matches[0]!)) plans.push(matches[0]!);
  }
  return problems.length > 0 ? { problems } : plans;
}

/**
 * Verify each selected guest of a manifest against the scanned trees: per file `ok`, `missing`,
 * `size-differs` or `changed` (contents compared by SHA-256 where the manifest has one; otherwise by size,
 * and `compared` says so); per guest `ok`, `incomplete` (a file missing) or `changed`. A link in the set
 * must still be a link with the same text. Only reads: the files it hashes are read, never written.
 */
export async function verifyManifest(
  manifest: PlanResult,
  scan: ScanResult,
  options: VerifyOptions,
): Promise<VerifyResult | SelectionError> {
  const plans = selected(manifest, options.guests ?? []);
  if (!Array.isArray(plans)) return plans;
  const trees = new RecordedTrees(scan.repositories);
  const diagnostics: Diagnostic[] = [];
  const unmatched = new Set<string>();
  // Files two guests share are hashed once.
  const hashes = new Map<string, Promise<string | null>>();
  const hashOf = (file: string): Promise<string | null> => {
    let sum = hashes.get(file);
    if (sum === undefined) {
      sum = options.hash(file);
      hashes.set(file, sum);
    }
    return sum;
  };

  const verifyFile = async (file: PlanFile): Promise<VerifiedFile> => {
    const compared = file.sha256 === undefined || file.role === "link" ? "size" : "sha256";
    const repository = repositoryOf(file.repository, folderOf(file), scan.repositories);
    if (repository === null) {
      if (!unmatched.has(file.repository)) {
        unmatched.add(file.repository);
        diagnostics.push(
          diagnostic(
            "warning",
            "repository-not-scanned",
            `the manifest's repository ${file.repository} is under none of the ROOTs: its files are missing`,
            { file: null, line: null, column: null },
          ),
        );
      }
      return { repository: file.repository, file: file.file, status: "missing", compared, path: null };
    }
    const at = `${repository.root}/${file.file}`;
    const result = (status: VerifiedFile["status"]): VerifiedFile => ({
      repository: file.repository,
      file: file.file,
      status,
      compared,
      path: at,
    });
    if (file.role === "link") {
      const text = trees.readlinkSync(at).target;
      return result(text === null ? "missing" : text === file.linkTo ? "ok" : "changed");
    }
    const walk = walkNow(repository, file.file, trees, trees);
    if (walk.state !== "found" || walk.facts.type !== "file") return result("missing");
    if (file.bytes !== null && walk.facts.size !== file.bytes) return result("size-differs");
    if (file.sha256 === undefined) return result("ok");
    const sum = await hashOf(`${repository.root}/${walk.file}`);
    return result(sum === file.sha256 ? "ok" : "changed");
  };

  const guests: VerifyResult["guests"] = [];
  for (const plan of plans) {
    const files: VerifiedFile[] = [];
    for (const file of plan.files) files.push(await verifyFile(file));
    const status = files.some((f) => f.status === "missing")
      ? "incomplete"
      : files.some((f) => f.status !== "ok")
        ? "changed"
        : "ok";
    guests.push({ owner: plan.owner, name: plan.simpleName, status, files });
  }
  return {
    ok: guests.every((g) => g.status === "ok"),
    guests,
    diagnostics,
    ...completenessOf(scan),
  };
}
