// `ovm-deps restore LIVE_ROOT… --from BACKUP_ROOT… --guest SEL… [--allow-shared]`: the pre-restore check.
import { formatsOf, isSelectionError, planRestore } from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import { type CliIo, UsageError } from "./io.js";
import { selectionUsageError } from "./plan.js";
import { writeDocument } from "./render.js";
import { readPolicyFile, scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

/** What `ovm-deps restore --help` prints. */
export const restoreUsage = `usage: ovm-deps restore LIVE_ROOT… --from BACKUP_ROOT… --guest SEL… [--allow-shared]
                        [--format text|json|list|script] [-0]
                        [--repository NAME=DIR]… [--guest-backups DIR] [--xm-list FILE] [--io MODE] [--threads N] [--policy FILE]
`;

/** Run `restore`: exit 0 when safe, 1 when not, 2 on usage errors (and when `list` cannot be one rsync run). */
export async function restoreCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...scanOptionDefinitions,
    from: { type: "string", multiple: true },
    guest: { type: "string", multiple: true },
    "allow-shared": { type: "boolean" },
    nul: { type: "boolean", short: "0" },
  });
  const format = chooseFormat(values.format, formatsOf("restore"));
  const from = values.from ?? [];
  const guests = values.guest ?? [];
  if (from.length === 0) throw new UsageError("expects --from BACKUP_ROOT (the backup copy)");
  if (guests.length === 0) throw new UsageError("expects --guest SEL (the guests to restore)");

  const policy = await readPolicyFile(values.policy, io.cwd);
  const live = await scanFromCommandLine(positionals, values, io, policy);
  // `--repository NAME=DIR` names live repositories; the backup side is the --from ROOTs alone.
  const backup = await scanFromCommandLine(from, { ...values, repository: [] }, io, policy);
  const result = await planRestore(live, backup, { guests, allowShared: values["allow-shared"] === true });
  if (isSelectionError(result)) throw selectionUsageError(result.problems);

  return writeDocument({ kind: "restore", document: result }, format, { nul: values.nul === true }, io);
}
