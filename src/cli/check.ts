// `ovm-deps check ROOT…`: integrity and segregation rules for CI, in the formats CI systems read.
import packageJson from "../../package.json" with { type: "json" };
import {
  type CheckResult,
  checkEstate,
  PolicySchema,
  renderBaseline,
  renderCheckText,
  renderGithub,
  renderJunit,
  renderSarif,
} from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { readPolicyFile, scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

const FORMATS = ["text", "json", "sarif", "junit", "github", "baseline"] as const;
const FAIL_ON = ["error", "warning", "never"] as const;

/** What `ovm-deps check --help` prints. */
export const checkUsage = `usage: ovm-deps check ROOT… [--policy FILE] [--format text|json|sarif|junit|github|baseline]
                      [--fail-on error|warning|never] [--write-baseline]
                      [--repository NAME=DIR]… [--guest-backups DIR] [--xm-list FILE] [--io MODE] [--threads N]

Runs the integrity and segregation rules. Exit 1 when an unsuppressed finding reaches --fail-on
(default error), 0 otherwise, 2 on a usage error (an invalid --policy file among them).
--write-baseline (same as --format baseline) prints the policy file with a baseline of today's
findings, for adopting the check on an existing estate; it never writes a file itself.
`;

/** Where SARIF readers are sent to read about the tool. */
const INFORMATION_URI = "https://www.npmjs.com/package/ovm-deps";

/** True when an unsuppressed finding reaches the `--fail-on` threshold. */
function fails(result: CheckResult, failOn: (typeof FAIL_ON)[number]): boolean {
  if (failOn === "never") return false;
  return failOn === "error" ? result.summary.errors > 0 : result.summary.errors + result.summary.warnings > 0;
}

/** Run `check`: exit 1 when an unsuppressed finding reaches `--fail-on` (a baseline is printed with exit 0). */
export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...scanOptionDefinitions,
    "fail-on": { type: "string" },
    "write-baseline": { type: "boolean" },
  });
  if (values["write-baseline"] && values.format !== undefined && values.format !== "baseline") {
    throw new UsageError(
      `--write-baseline prints the baseline format; it cannot be combined with --format ${values.format}`,
    );
  }
  const format = values["write-baseline"] ? "baseline" : chooseFormat(values.format, FORMATS);
  const failOn = values["fail-on"] ?? "error";
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")} (got "${failOn}")`);
  }
  const policy = readPolicyFile(values.policy, io.cwd) ?? PolicySchema.parse({});
  const scan = await scanFromCommandLine(positionals, values, io, policy);
  const result = checkEstate(scan, policy);
  switch (format) {
    case "baseline":
      io.stdout.write(renderBaseline(result, policy));
      return 0;
    case "json":
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      break;
    case "sarif":
      io.stdout.write(renderSarif(result, { version: packageJson.version, informationUri: INFORMATION_URI }));
      break;
    case "junit":
      io.stdout.write(renderJunit(result));
      break;
    case "github":
      io.stdout.write(renderGithub(result, io.cwd));
      break;
    case "text":
      io.stdout.write(renderCheckText(result));
      break;
  }
  return fails(result, failOn as (typeof FAIL_ON)[number]) ? 1 : 0;
}
