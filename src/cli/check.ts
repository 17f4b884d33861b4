// `ovm-deps check ROOT…`: integrity and segregation rules for CI, in the formats CI systems read.
import { checkEstate, formatsOf, PolicySchema } from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { chooseFailOn, writeDocument } from "./render.js";
import { readPolicyFile, scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

/** What `ovm-deps check --help` prints. */
export const checkUsage = `usage: ovm-deps check ROOT… [--policy FILE] [--format text|json|sarif|junit|github|baseline]
                      [--fail-on error|warning|never] [--write-baseline]
                      [--repository NAME=DIR]… [--guest-backups DIR] [--xm-list FILE] [--io MODE] [--threads N]

Runs the integrity and segregation rules. Exit 1 when an unsuppressed finding reaches --fail-on
(default error), 0 otherwise, 2 on a usage error (an invalid --policy file among them).
--write-baseline (same as --format baseline) prints the policy file with a baseline of today's
findings, for adopting the check on an existing estate; it never writes a file itself.
`;

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
  const format = values["write-baseline"] ? "baseline" : chooseFormat(values.format, formatsOf("check"));
  const failOn = chooseFailOn(values["fail-on"]);
  const policy = (await readPolicyFile(values.policy, io.cwd)) ?? PolicySchema.parse({});
  const scan = await scanFromCommandLine(positionals, values, io, policy);
  const document = checkEstate(scan, policy);
  return writeDocument({ kind: "check", document }, format, { failOn, policy }, io);
}
