// Synthetic Oracle VM 3 estates: writes realistic repository trees and returns the manifest (the ground truth).
// The entry point of the generator; each step of generateEstate lives in the module of its concern
// (repositories, owners, disks, special-cases, vmcfg, outside), and every feature adds one thing of
// domain.md to the estate. See README.md beside this file.
import { mkdirSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import {
  addCrossRepositoryDisks,
  addEmptyCdroms,
  addExternalPaths,
  addIsoInGuestRepository,
  addIsos,
  addLuns,
  addSharedDisks,
  addSystemDisks,
  addXlDisks,
} from "./disks.js";
import { buildManifest } from "./manifest.js";
import type { Estate } from "./model.js";
import { addGuestBackups, addXmList } from "./outside.js";
import {
  addCopiedConfig,
  addGuestInResourceRepository,
  addGuests,
  addOdaLayout,
  addRenamedFolder,
  addTemplates,
  addUppercaseRaw,
} from "./owners.js";
import { Random } from "./random.js";
import {
  addAssemblies,
  addOvsmeta,
  addRepositoryFiles,
  addSnapshot,
  planRepositories,
} from "./repositories.js";
import {
  addInnerSymlink,
  addMissingDisks,
  addOrphanDisks,
  addStrayClones,
  addTemplateSharedDisk,
} from "./special-cases.js";
import type { EstateFeature, EstateManifest, EstateOptions } from "./types.js";
import { addConfigs, addDuplicateKeys, addLineEndings } from "./vmcfg.js";
import { writeEntries } from "./write.js";

export type {
  EstateDiskKind,
  EstateFeature,
  EstateManifest,
  EstateOptions,
  ManifestDisk,
  ManifestExpected,
  ManifestFile,
  ManifestNfsMount,
  ManifestOutside,
  ManifestOwner,
  ManifestRepository,
  ManifestSymlink,
  WriterStyle,
} from "./types.js";
export { ESTATE_FEATURES } from "./types.js";

/** Default number of guest repositories for a guest count. */
const defaultRepositories = (guests: number): number => Math.max(2, Math.ceil(guests / 200));

/**
 * Write a synthetic Oracle VM 3 estate into `dir` (absent or empty) and return its manifest.
 * Throws when `dir` holds anything: the generator never writes over existing files.
 */
export function generateEstate(dir: string, options: EstateOptions = {}): EstateManifest {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  if (readdirSync(root).length > 0) throw new Error(`generateEstate: ${root} is not empty`);
  const guestCount = options.guests ?? 12;
  const seed = options.seed ?? 1;
  const rng = new Random(seed);
  const on = (feature: EstateFeature): boolean => options.features?.[feature] ?? true;
  const repositories = planRepositories(
    rng,
    options.repositories ?? defaultRepositories(guestCount),
    on("exadata"),
  );
  const estate: Estate = {
    rng,
    root,
    seed,
    example: options.example ?? false,
    diskBytes: options.diskBytes ?? 8 * 1024 ** 3,
    guestCount,
    templateCount: options.templates ?? Math.max(2, Math.ceil(guestCount / 1000)),
    on,
    repositories,
    templatesRepository: repositories.at(-1)!,
    guests: [],
    templates: [],
    claimed: new Set(),
    entries: new Map(),
    symlinks: [],
    copiedConfigs: [],
    ignored: [],
    unmatchedGuestBackups: [],
    isoFiles: [],
    xmListNames: null,
    guestBackupsWritten: false,
  };
  addRepositoryFiles(estate);
  addGuests(estate);
  // Identity and layout first: the disk paths written later depend on folders and layouts.
  const steps: [EstateFeature | null, (estate: Estate) => void][] = [
    ["renamedFolder", addRenamedFolder],
    ["uppercaseRaw", addUppercaseRaw],
    ["odaLayout", addOdaLayout],
    ["segregationBreaches", addGuestInResourceRepository],
    [null, addSystemDisks],
    [null, addTemplates],
    ["isos", addIsos],
    ["emptyCdroms", addEmptyCdroms],
    ["crossRepositoryDisks", addCrossRepositoryDisks],
    ["sharedDisks", addSharedDisks],
    ["sharedLuns", addLuns],
    ["xlDisks", addXlDisks],
    ["externalPaths", addExternalPaths],
    ["segregationBreaches", addIsoInGuestRepository],
    ["missingDisks", addMissingDisks],
    ["orphanDisks", addOrphanDisks],
    ["strayClones", addStrayClones],
    ["templateSharedDisk", addTemplateSharedDisk],
    ["innerSymlink", addInnerSymlink],
    ["duplicateKeys", addDuplicateKeys],
    ["lineEndings", addLineEndings],
    ["copiedConfig", addCopiedConfig],
    ["assemblies", addAssemblies],
    ["ovsmeta", addOvsmeta],
    ["guestBackups", addGuestBackups],
    ["xmList", addXmList],
    [null, addConfigs],
    // Last: the snapshot copies files as they were rendered.
    ["snapshot", addSnapshot],
  ];
  for (const [feature, step] of steps) if (feature === null || estate.on(feature)) step(estate);
  writeEntries(estate);
  return buildManifest(estate);
}
