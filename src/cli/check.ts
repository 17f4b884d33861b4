// `ovm-deps check ROOT…`: integrity and segregation rules for CI, in the formats CI systems read.

import { Option } from "commander";
import { checkEstate, type FailOn, formatsOf, PolicySchema } from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf } from "./args.js";
import { UsageError } from "./io.js";
import { failOnOption, writeDocument } from "./render.js";
import {
  ROOTS,
  readPolicyFile,
  type ScanOptionValues,
  scanFromCommandLine,
  scanOptions,
} from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

interface CheckValues extends ScanOptionValues {
  format?: string;
  failOn?: FailOn;
  writeBaseline?: boolean;
}

/** `check`: exit 1 when an unsuppressed finding reaches `--fail-on` (a baseline is printed with exit 0). */
export const checkCommand: CommandDefinition<CheckValues> = {
  name: "check",
  summary: SUMMARIES.check,
  description: `Runs the integrity and segregation rules (missing and orphan disks, shared disks, duplicate uuids,
guests in resource repositories, links leaving a repository, …) and prints the findings in the
formats CI systems read. --write-baseline (same as --format baseline) prints the policy file with a
baseline of today's findings, for adopting the check on an existing estate; it never writes a file.`,
  argument: ROOTS,
  options: () => [
    oneOf("--format <F>", "output format (default text)", formatsOf("check")),
    failOnOption(),
    new Option("--write-baseline", "print the policy file with a baseline of today's findings"),
    ...scanOptions(),
  ],
  examples: [
    { command: "ovm-deps check /OVS/Repositories", does: "the findings, for people" },
    {
      command: "ovm-deps check /OVS/Repositories --policy ovm-policy.json --format sarif > ovm-deps.sarif",
      does: "for GitHub code scanning",
    },
    {
      command: "ovm-deps check /OVS/Repositories --format junit --fail-on warning > junit.xml",
      does: "for GitLab or Jenkins, failing on warnings too",
    },
  ],
  exit: `0 no unsuppressed finding reaches --fail-on (and always with --write-baseline)
1 one does
2 usage error, an invalid --policy file among them`,
  run: async (roots, values, io) => {
    if (values.writeBaseline && values.format !== undefined && values.format !== "baseline") {
      throw new UsageError(
        `--write-baseline prints the baseline format; it cannot be combined with --format ${values.format}`,
      );
    }
    const format = values.writeBaseline ? "baseline" : chooseFormat(values.format, formatsOf("check"));
    const failOn = values.failOn ?? "error";
    const policy = (await readPolicyFile(values.policy, io.cwd)) ?? PolicySchema.parse({});
    const scan = await scanFromCommandLine(roots, values, io, policy);
    const document = checkEstate(scan, policy);
    return writeDocument({ kind: "check", document }, format, { failOn, policy }, io);
  },
};
