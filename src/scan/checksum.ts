// Manifests: the SHA-256 of every file of a plan (`plan --checksum`), each inode read once.
import type { PlanResult } from "../schema/plan.js";
import { fileIdentity, sha256OfFile } from "./io.js";

/**
 * The plan with `sha256` on every file and disk of every backup set (links excepted: their text is the
 * manifest), read one file at a time with bounded memory; names of one inode are read once. A file that
 * cannot be read keeps no `sha256` (`verify` then compares it by size).
 */
export async function checksumPlan(
  plan: PlanResult,
  onProgress?: (done: number, total: number) => void,
): Promise<PlanResult> {
  const byIdentity = new Map<string, string | null>();
  const files = plan.guests.flatMap((g) => g.files).filter((f) => f.role !== "link");
  let done = 0;
  const sums = new Map<string, string | null>();
  for (const file of files) {
    if (!sums.has(file.path)) {
      const identity = await fileIdentity(file.path);
      let sum = identity === null ? undefined : byIdentity.get(identity);
      if (sum === undefined) {
        sum = (await sha256OfFile(file.path)).sha256;
        if (identity !== null) byIdentity.set(identity, sum);
      }
      sums.set(file.path, sum);
    }
    onProgress?.(++done, files.length);
  }
  return {
    ...plan,
    guests: plan.guests.map((g) => ({
      ...g,
      files: g.files.map((f) => {
        const sum = f.role === "link" ? null : (sums.get(f.path) ?? null);
        return sum === null ? f : { ...f, sha256: sum };
      }),
    })),
  };
}

/** The SHA-256 of a regular file (hex), null when it cannot be read: what `verify` hashes with. */
export async function fileSha256(file: string): Promise<string | null> {
  return (await sha256OfFile(file)).sha256;
}
