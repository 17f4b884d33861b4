// `ovm-deps format FILE --format F`: re-render a saved JSON document as its own command prints format F.
import path from "node:path";
import { Option } from "commander";
import {
  documentKinds,
  escapeText,
  type FailOn,
  formatsOf,
  readInputFile,
  recognizeDocument,
} from "../index.js";
import type { CommandDefinition } from "./args.js";
import { type CliIo, readError, tooLarge, UsageError } from "./io.js";
import { failOnOption, nulOption, writeDocument } from "./render.js";
import { readPolicyFile } from "./scan-options.js";
import { SUMMARIES } from "./summaries.js";

/** The largest saved document read: about what a JavaScript string can hold. */
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/** The text of FILE, or of stdin for `-`. */
async function readInput(file: string, io: CliIo): Promise<string> {
  if (file === "-") {
    if (io.stdin === undefined) throw new UsageError("no standard input to read");
    // Bounded like a FILE: `format - < /dev/zero` ends in a usage error, not in all the memory there is.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of io.stdin) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > MAX_DOCUMENT_BYTES)
        throw new UsageError(`cannot read stdin: ${tooLarge(MAX_DOCUMENT_BYTES)}`);
      chunks.push(bytes);
    }
    return Buffer.concat(chunks).toString("utf8");
  }
  const read = await readInputFile(path.resolve(io.cwd, file), MAX_DOCUMENT_BYTES);
  if (read.bytes === null) throw new UsageError(`cannot read ${escapeText(file)}: ${readError(read.error)}`);
  return read.bytes.toString("utf8");
}

interface FormatValues {
  format?: string;
  nul?: boolean;
  failOn?: FailOn;
  policy?: string;
}

/** `format`: recognise the document, render it in `--format`, exit as its command would. */
export const formatCommand: CommandDefinition<FormatValues> = {
  name: "format",
  summary: SUMMARIES.format,
  description: `Re-renders a JSON document saved with --format json, byte for byte as the command that made it
prints format F (default text). The document is recognised by its schema:
${documentKinds.map((kind) => `  ${kind.padEnd(10)}${formatsOf(kind).join("|")}`).join("\n")}

(resources is plan --resources). baseline prints the --policy file given (as check does) with the
check's findings as its baseline.`,
  argument: { name: "<FILE>", description: "a saved --format json document, or - for stdin" },
  options: () => [
    new Option("--format <F>", "output format (default text): one the document's command offers"),
    nulOption(),
    failOnOption(),
    new Option("--policy <FILE>", "check --format baseline: the policy file to print again"),
  ],
  examples: [
    { command: "ovm-deps format check.json --format sarif > check.sarif", does: "a saved check as SARIF" },
    {
      command: "ovm-deps plan /OVS/Repositories --format json | ovm-deps format - --format list",
      does: "from stdin",
    },
  ],
  exit: `as the command gives it for that document, so that CI fails on the re-rendered result too:
plan 1 when a guest has coverage none, restore 1 when not safe, check 1 when an unsuppressed finding
reaches --fail-on; 0 otherwise. 2 when FILE cannot be read, is not JSON, is none of these documents,
or has no format F`,
  run: formatDocument,
};

async function formatDocument([file]: string[], values: FormatValues, io: CliIo): Promise<number> {
  if (file === undefined)
    throw new UsageError("expects FILE (a saved --format json document, or - for stdin)");
  const failOn = values.failOn ?? "error";
  const name = file === "-" ? "stdin" : escapeText(file);
  let json: unknown;
  try {
    json = JSON.parse(await readInput(file, io));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `${name} is not JSON (${escapeText(error instanceof Error ? error.message : String(error))})`,
    );
  }
  const recognition = recognizeDocument(json);
  if (!recognition.ok) throw new UsageError(`${name} is ${recognition.error}`);
  const { known } = recognition;
  const format = values.format ?? "text";
  if (!formatsOf(known.kind).includes(format)) {
    throw new UsageError(
      `${name} is a ${known.kind} document: --format must be one of ${formatsOf(known.kind).join(", ")} (got "${escapeText(format)}")`,
    );
  }
  const policy = (await readPolicyFile(values.policy, io.cwd)) ?? undefined;
  return writeDocument(known, format, { nul: values.nul === true, failOn, policy }, io);
}
