// Setup of every test file: its own XDG_CACHE_HOME in a temp folder, so that the CLI runs a test starts by
// other means than runCli (spawnSync, runuser) never write the parse cache into the real ~/.cache.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const home = mkdtempSync(path.join(tmpdir(), "ovm-deps-test-cache-"));
process.env.XDG_CACHE_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));
