// The `text` format of `verify`: one line per guest, its problems under it.
import type { VerifyResult } from "../schema/plan.js";
import { escapeText, incompleteLines } from "./text.js";

/** Render a `verify` document for people. */
export function renderVerifyText(result: VerifyResult): string {
  const lines = [...incompleteLines(result)];
  for (const guest of result.guests) {
    const name = guest.name === null ? "" : ` (${escapeText(guest.name)})`;
    const bySize = guest.files.filter((f) => f.compared === "size").length;
    const how = bySize === 0 ? "" : `, ${bySize} of ${guest.files.length} file(s) compared by size only`;
    lines.push(`${guest.status.toUpperCase().padEnd(10)} ${escapeText(guest.owner)}${name}${how}`);
    for (const file of guest.files) {
      if (file.status === "ok") continue;
      lines.push(`  ${file.status.padEnd(12)} ${escapeText(file.path ?? `${file.repository}/${file.file}`)}`);
    }
  }
  const bad = result.guests.filter((g) => g.status !== "ok").length;
  lines.push(
    "",
    result.ok
      ? `all ${result.guests.length} guest(s) ok`
      : `${bad} of ${result.guests.length} guest(s) not ok`,
  );
  return `${lines.join("\n")}\n`;
}
