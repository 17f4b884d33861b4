// Access to ../shared (docs, corpus, schemas). CI sets OVM_DEPS_REQUIRE_SHARED=1 so a missing corpus fails.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

/** Absolute path of the shared folder beside the checkout. */
export const sharedDir = fileURLToPath(new URL("../../../shared", import.meta.url));

/** True when ../shared is there. */
export const haveShared = existsSync(`${sharedDir}/corpus`);

if (!haveShared && process.env.OVM_DEPS_REQUIRE_SHARED === "1") {
  throw new Error(`OVM_DEPS_REQUIRE_SHARED=1 but ${sharedDir}/corpus is missing`);
}

if (!haveShared) console.warn(`ovm-deps tests: ${sharedDir} is missing: the tests that need it are skipped`);

/** A describe block that needs ../shared: when it is missing, one skipped test says why. */
export const describeShared: typeof describe = haveShared
  ? describe
  : (((name: string) =>
      describe(name, () => {
        it.skip(`skipped: ${sharedDir} (the shared corpus) is missing`, () => {});
      })) as unknown as typeof describe);
