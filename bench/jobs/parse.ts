// Job `parse`: read every vm.cfg of an estate into memory, then time parsing them all.
import { readFileSync } from "node:fs";
import fg from "fast-glob";
import { parseVmCfg } from "../../dist/index.js";

/** Parse every vm.cfg under `dir`; reports files, bytes and the parse time alone (I/O excluded). */
export async function parseJob(args: { dir: string }): Promise<Record<string, number>> {
  const files = await fg("**/{VirtualMachines,Templates}/*/vm.cfg", {
    cwd: args.dir,
    absolute: true,
    followSymbolicLinks: false,
    ignore: ["**/.snapshot/**"],
  });
  // One at a time: 100,000 reads started at once would run out of file descriptors (EMFILE).
  const sources = files.map((f) => readFileSync(f));
  const bytes = sources.reduce((n, s) => n + s.byteLength, 0);
  const started = performance.now();
  let errors = 0;
  for (let i = 0; i < sources.length; i++) {
    if (!parseVmCfg(sources[i]!, { file: files[i]! }).ok) errors++;
  }
  const parseMs = performance.now() - started;
  return {
    files: files.length,
    bytes,
    parseMs,
    filesPerSecond: (files.length / parseMs) * 1000,
    mbPerSecond: bytes / 1048576 / (parseMs / 1000),
    errors,
  };
}
