// `ovm-deps rebuild ROOT… --guest SEL`: the rebuild sheet of one guest.
import path from "node:path";
import { Option } from "commander";
import { formatsOf, readRebuildSources, rebuildSheet, selectOwners } from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf } from "./args.js";
import { UsageError } from "./io.js";
import { selectionUsageError } from "./plan.js";
import { writeDocument } from "./render.js";
import {
  guestBackupsDir,
  ROOTS,
  type ScanOptionValues,
  scanFromCommandLine,
  scanOptions,
} from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

interface RebuildValues extends ScanOptionValues {
  format?: string;
  guest?: string;
}

/** `rebuild`: exit 0 with the sheet, 2 for a usage error (no --guest, an unknown or ambiguous one). */
export const rebuildCommand: CommandDefinition<RebuildValues> = {
  name: "rebuild",
  summary: SUMMARIES.rebuild,
  description: `What it takes to recreate a guest elsewhere or from an in-guest backup: name, uuid, domain
type, memory, vCPUs; every disk; every network interface (MAC, bridge); with --guest-backups, the NFS
mounts of the guest's backed-up /etc/fstab and the addresses of its /etc/hosts and network scripts.
--format markdown prints a checklist in the order the rebuild happens; --format rsync-exclude, the
exclusion list for an in-guest rsync backup of / (volatile file systems and every NFS mount point).
Reads only.`,
  argument: ROOTS,
  options: () => [
    new Option("--guest <SEL>", "the guest: reference, folder, uuid or simple name (required)"),
    oneOf("--format <F>", "output format (default text)", formatsOf("rebuild")),
    ...scanOptions(),
  ],
  examples: [
    {
      command:
        "ovm-deps rebuild /OVS/Repositories --guest web01 --guest-backups /backup/guests --format markdown",
      does: "a printable checklist to rebuild web01",
    },
    {
      command:
        "ovm-deps rebuild /OVS/Repositories --guest web01 --guest-backups /backup/guests --format rsync-exclude > web01.exclude",
      does: "then, in the guest: rsync -aHAX --exclude-from=web01.exclude / backup:/guests/web01/",
    },
  ],
  exit: `0 the sheet was printed
2 usage error: no --guest, an unknown or ambiguous one, a ROOT that holds no repository`,
  run: async (roots, values, io) => {
    if (values.guest === undefined) throw new UsageError("expects --guest SEL (the guest to rebuild)");
    const format = chooseFormat(values.format, formatsOf("rebuild"));
    const scan = await scanFromCommandLine(roots, values, io);
    const { owners, problems } = selectOwners(scan, [values.guest]);
    if (problems.length > 0) throw selectionUsageError(problems);
    const owner = owners[0]!;
    const sources = await readRebuildSources(scan, owner, {
      guestBackups: guestBackupsDir(values, io.cwd),
    });
    return writeDocument({ kind: "rebuild", document: rebuildSheet(owner, sources) }, format, {}, io);
  },
};
