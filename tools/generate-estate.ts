// CLI over generateEstate (test/support/estate/): `npx tsx tools/generate-estate.ts DIR [--guests N] [--seed S] [--repositories R] [--example]`.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  ESTATE_FEATURES,
  type EstateFeature,
  type EstateOptions,
  generateEstate,
} from "../test/support/estate/index.js";

const USAGE = `usage: generate-estate DIR [options]
  --guests N         number of guests (default 12)
  --templates N      number of templates (default max(2, guests/1000))
  --repositories R   number of guest repositories (default max(2, guests/200))
  --seed S           PRNG seed (default 1): same seed, same tree
  --disk-bytes B     apparent size of each sparse virtual disk (default 8 GiB)
  --example          tiny files only (the estate kept in git)
  --without FEATURE  switch a feature off (repeatable): ${ESTATE_FEATURES.join(", ")}
  --manifest FILE    also write the manifest (JSON) to FILE, which must be outside DIR
`;

/** A non-negative integer flag, or a usage error message. */
function count(name: string, value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : `--${name} must be a non-negative integer (got "${value}")`;
}

/** Parse the command line into options, or a usage error message. */
function readCommandLine(
  argv: string[],
): { dir: string; options: EstateOptions; manifest?: string } | string {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        guests: { type: "string" },
        templates: { type: "string" },
        repositories: { type: "string" },
        seed: { type: "string" },
        "disk-bytes": { type: "string" },
        example: { type: "boolean" },
        without: { type: "string", multiple: true },
        manifest: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return "exactly one DIR is required";
  const numbers = {
    guests: count("guests", values.guests as string | undefined),
    templates: count("templates", values.templates as string | undefined),
    repositories: count("repositories", values.repositories as string | undefined),
    seed: count("seed", values.seed as string | undefined),
    diskBytes: count("disk-bytes", values["disk-bytes"] as string | undefined),
  };
  const bad = Object.values(numbers).find((n) => typeof n === "string");
  if (typeof bad === "string") return bad;
  const features: Partial<Record<EstateFeature, boolean>> = {};
  for (const name of (values.without as string[] | undefined) ?? []) {
    if (!(ESTATE_FEATURES as readonly string[]).includes(name)) return `unknown feature "${name}"`;
    features[name as EstateFeature] = false;
  }
  const options: EstateOptions = { example: values.example === true, features };
  for (const [key, value] of Object.entries(numbers)) {
    if (typeof value === "number")
      options[key as "guests" | "templates" | "repositories" | "seed" | "diskBytes"] = value;
  }
  const manifest = values.manifest as string | undefined;
  // The manifest is the answer key: it must never sit inside the tree a scanner will read.
  if (manifest !== undefined && !relative(resolve(positionals[0]!), resolve(manifest)).startsWith("..")) {
    return "--manifest FILE must be outside DIR";
  }
  return manifest === undefined
    ? { dir: positionals[0]!, options }
    : { dir: positionals[0]!, options, manifest };
}

/** Run the generator CLI; returns the exit code (0 done, 2 usage error). */
function run(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = readCommandLine(argv);
  if (typeof command === "string") {
    process.stderr.write(`generate-estate: ${command}\n${USAGE}`);
    return 2;
  }
  if (existsSync(command.dir) && readdirSync(command.dir).length > 0) {
    process.stderr.write(
      `generate-estate: ${command.dir} is not empty; the generator never writes over files\n`,
    );
    return 2;
  }
  const started = performance.now();
  const manifest = generateEstate(command.dir, command.options);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (command.manifest) writeFileSync(command.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  const guests = manifest.owners.filter((o) => o.type === "guest").length;
  process.stdout.write(
    `${manifest.root}: ${manifest.repositories.length} repositories, ${guests} guests, ` +
      `${manifest.owners.length - guests} templates, ${manifest.counts.files} files, ` +
      `${manifest.counts.symlinks} symlinks, ${manifest.counts.apparentBytes} apparent bytes in ${seconds} s\n`,
  );
  return 0;
}

process.exitCode = run(process.argv.slice(2));
