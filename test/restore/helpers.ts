// End-to-end helpers: external tools (rsync, tar) that CI must have, and a generated estate picked apart.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import { tempDir } from "../plan/helpers.js";
import { type EstateManifest, generateEstate, type ManifestOwner } from "../support/estate/index.js";

/** True when `tool` runs. CI sets OVM_DEPS_REQUIRE_TOOLS=1: a missing tool then fails instead of skipping. */
export function haveTool(tool: string): boolean {
  const found = spawnSync(tool, ["--version"], { encoding: "utf8" }).status === 0;
  if (!found && process.env.OVM_DEPS_REQUIRE_TOOLS === "1") {
    throw new Error(`OVM_DEPS_REQUIRE_TOOLS=1 but ${tool} is not installed`);
  }
  if (!found) console.warn(`skipping: ${tool} is not installed (CI installs it)`);
  return found;
}

/** Whether another vm.cfg copies this one, or it is a copy (the same uuid twice). */
function copied(manifest: EstateManifest, owner: ManifestOwner): boolean {
  return owner.copyOf !== null || manifest.owners.some((o) => o.copyOf === owner.ref);
}

/**
 * Guests a restore may take back safely by the manifest's ground truth: only virtual disks of their
 * own (present, not shared, not links leaving), ISOs or empty CD-ROMs, and a uuid no other vm.cfg has.
 */
export function safeGuests(manifest: EstateManifest): ManifestOwner[] {
  return manifest.owners.filter(
    (o) =>
      o.type === "guest" &&
      !copied(manifest, o) &&
      o.disks.some((d) => d.kind === "virtual-disk") &&
      o.disks.every(
        (d) =>
          d.kind === "iso" ||
          d.kind === "empty-cdrom" ||
          (d.kind === "virtual-disk" && d.present === true && !d.shared && d.linkTarget === null),
      ),
  );
}

/** Guests with a virtual disk another guest or template also uses. */
export function sharingGuests(manifest: EstateManifest): ManifestOwner[] {
  return manifest.owners.filter(
    (o) =>
      o.type === "guest" && o.disks.some((d) => d.kind === "virtual-disk" && d.shared && d.present === true),
  );
}

/** A generated 16-guest estate (its repositories are the live tree) and a `cp -a` copy of them as the backup. */
export function estateAndBackup(prefix: string): {
  temp: ReturnType<typeof tempDir>;
  manifest: EstateManifest;
  live: string;
  backup: string;
} {
  const temp = tempDir(prefix);
  const manifest = generateEstate(path.join(temp.dir, "estate"), {
    guests: 16,
    seed: 11,
    diskBytes: 1 << 20,
  });
  const live = path.join(manifest.root, manifest.repositoriesDir);
  const backup = path.join(temp.dir, "backup");
  // cp -a keeps links as links (Exadata's VirtualDisks/* point outside), sparse files and times.
  expect(spawnSync("cp", ["-a", live, backup]).status).toBe(0);
  return { temp, manifest, live, backup };
}
