#!/usr/bin/env node
// What a backup tool would write: scan a ROOT, plan every guest, say what to copy and what needs other means.
// Usage (after `npm run build`): node examples/backup-tool.mjs ROOT [--xm-list FILE] [--guest-backups DIR]
import { parseArgs } from "node:util";
import { isSelectionError, planBackup, scanRepositories } from "../dist/index.js";

let args;
try {
  args = parseArgs({
    options: { "xm-list": { type: "string" }, "guest-backups": { type: "string" } },
    allowPositionals: true,
  });
} catch {
  args = { positionals: [] };
}
const [root] = args.positionals;
if (root === undefined || args.positionals.length > 1) {
  process.stderr.write("usage: node examples/backup-tool.mjs ROOT [--xm-list FILE] [--guest-backups DIR]\n");
  process.exit(2);
}

const scan = await scanRepositories([root], {
  xmList: args.values["xm-list"] ?? null,
  guestBackups: args.values["guest-backups"] ?? null,
});
const plan = planBackup(scan);
// Without selectors planBackup plans every guest, so there are no selection problems to handle here.
if (isSelectionError(plan)) throw new Error("unexpected selection problem");

let incomplete = 0;
for (const guest of plan.guests) {
  process.stdout.write(
    `guest ${guest.owner} (${guest.simpleName ?? guest.id}): coverage ${guest.coverage}\n`,
  );
  for (const file of guest.files) process.stdout.write(`  copy ${file.path}\n`);
  for (const item of guest.outside)
    process.stdout.write(`  other means: ${item.kind} ${item.ref} (${item.needs})\n`);
  for (const shared of guest.shared)
    process.stdout.write(`  shared: ${shared.ref} with ${shared.users.join(", ")}\n`);
  for (const warning of guest.warnings)
    process.stdout.write(`  warning ${warning.code}: ${warning.message}\n`);
  if (guest.coverage !== "complete") incomplete += 1;
}
process.stdout.write(
  `${plan.guests.length} guests, ${incomplete} not fully covered by a repository copy; ` +
    `${plan.totals.allocatedBytes} bytes allocated to copy\n`,
);
