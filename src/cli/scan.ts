// `ovm-deps scan ROOT… --format json|text`: the inventory of repositories, guests, templates and their disks.

import { formatsOf } from "../index.js";
import { type CommandDefinition, chooseFormat, oneOf } from "./args.js";
import { writeDocument } from "./render.js";
import { ROOTS, type ScanOptionValues, scanFromCommandLine, scanOptions } from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

interface ScanValues extends ScanOptionValues {
  format?: string;
}

/** `scan`: scan the ROOTs and print the inventory. */
export const scanCommand: CommandDefinition<ScanValues> = {
  name: "scan",
  summary: SUMMARIES.scan,
  description: `Prints the repositories, guests and templates with every disk classified (virtual-disk, iso,
empty-cdrom, physical-disk, external-file), sizes, links and NFS mounts. Reads only: nothing under a
ROOT is ever written.`,
  argument: ROOTS,
  options: () => [oneOf("--format <F>", "output format (default text)", formatsOf("scan")), ...scanOptions()],
  examples: [
    { command: "ovm-deps scan /OVS/Repositories", does: "the inventory of a live estate" },
    {
      command: "ovm-deps scan /mnt/snap/Repositories --format json > scan.json",
      does: "of a snapshot, as JSON",
    },
    {
      command: "ovm-deps scan /mnt/copy --repository 0004fb0000030000aaaa=/mnt/copy",
      does: "a copy under another folder name",
    },
  ],
  exit: `0 once the scan completed (problems are diagnostics, on stderr and in the output)
2 usage error: unknown flag, a ROOT that does not exist, a repository scanned twice`,
  run: async (roots, values, io) => {
    const format = chooseFormat(values.format, formatsOf("scan"));
    const document = await scanFromCommandLine(roots, values, io);
    return writeDocument({ kind: "scan", document }, format, {}, io);
  },
};
