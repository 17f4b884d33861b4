// Setup of every test file: a temp folder for the parse caches of its CLI runs, removed after the file.
// XDG_CACHE_HOME points into it, so that runs started by other means than runCli (spawnSync, runuser) never
// write the cache into the real ~/.cache; runCli gives each run a folder of its own in it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const home = mkdtempSync(path.join(tmpdir(), "ovm-deps-test-cache-"));
process.env.OVM_DEPS_TEST_CACHE = home;
process.env.XDG_CACHE_HOME = path.join(home, "spawned");
afterAll(() => rmSync(home, { recursive: true, force: true }));
