#!/usr/bin/env node
// Complete package-lock.json with the other platforms' optional packages (biome, rollup) that
// `npm install` leaves out when the registry it uses does not serve them. `npm ci` wants an entry
// for every optional dependency; on a platform that does not match, it skips the entry without
// fetching it. Run after `npm install` changes the lock file: node tools/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages;

/** os, cpu and libc of a platform package, from its name (`cli-linux-arm64-musl`, `rollup-win32-ia32-msvc`). */
function platformOf(name) {
  const parts = name
    .split("/")
    .pop()
    .replace(/^(cli|rollup)-/, "")
    .split("-");
  const [os, cpu, abi] = parts;
  const entry = { cpu: [cpu], os: [os] };
  if (os === "linux") entry.libc = [abi === "musl" || abi === "musleabihf" ? "musl" : "glibc"];
  return entry;
}

let added = 0;
for (const entry of Object.values(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (!/^@(biomejs\/cli|rollup\/rollup)-/.test(name)) continue;
    if (packages[`node_modules/${name}`]) continue;
    packages[`node_modules/${name}`] = {
      version,
      dev: entry.dev ?? undefined,
      license: "MIT",
      optional: true,
      ...platformOf(name),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} entries added`);
