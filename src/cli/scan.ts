// `ovm-deps scan ROOT… --format json|text`: the inventory of repositories, guests, templates and their disks.
import { formatsOf } from "../index.js";
import { chooseFormat, parseCommandLine } from "./args.js";
import type { CliIo } from "./io.js";
import { writeDocument } from "./render.js";
import { scanFromCommandLine, scanOptionDefinitions } from "./scan-options.js";

/** What `ovm-deps scan --help` prints. */
export const scanUsage = `usage: ovm-deps scan ROOT… [--format text|json]
                     [--repository NAME=DIR]… [--guest-backups DIR] [--xm-list FILE] [--io MODE] [--threads N] [--policy FILE]

ROOT is a repository folder or a folder of repository folders (a live /OVS/Repositories or a copy
of it mounted anywhere). Prints the repositories, guests and templates with every disk classified
(virtual-disk, iso, empty-cdrom, physical-disk, external-file). Reads only: nothing under a ROOT is
ever written. Exit 0 once the scan completed (problems are diagnostics on stderr and in the
output); 2 on a usage error (unknown flag, a ROOT that does not exist, a repository scanned twice).

--io MODE is how the file system is called: direct (one call at a time: fastest on a local disk),
concurrent (64 calls in flight: for NFS, SMB and OCFS2) or auto (the default: direct when every
repository is on a local file system, concurrent otherwise).
--threads N is how many worker threads parse vm.cfg files while the walk goes on: 0 parses them all
in the main thread; auto (the default) uses one per core beyond the first, at most 4, once a scan
has met 2,000 vm.cfg files.
`;

/** Run `scan`: scan the ROOTs and print the inventory. */
export async function scanCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...scanOptionDefinitions,
  });
  const format = chooseFormat(values.format, formatsOf("scan"));
  const document = await scanFromCommandLine(positionals, values, io);
  return writeDocument({ kind: "scan", document }, format, {}, io);
}
