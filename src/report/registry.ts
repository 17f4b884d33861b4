// The reporter registry: per document ovm-deps prints, its schema and one pure renderer per format.

import packageJson from "../../package.json" with { type: "json" };
import { hidesOwners } from "../diagnostics.js";
import { type CheckResult, CheckResultSchema, type Policy, PolicySchema } from "../schema/check.js";
import { type SerializedGraph, SerializedGraphSchema } from "../schema/graph.js";
import {
  type AsNewRestore,
  AsNewRestoreSchema,
  type PlanResult,
  PlanResultSchema,
  type ResourcePlan,
  ResourcePlanSchema,
  type RestoreResult,
  RestoreResultSchema,
  type VerifyResult,
  VerifyResultSchema,
} from "../schema/plan.js";
import { type RebuildSheet, RebuildSheetSchema } from "../schema/rebuild.js";
import { type ScanResult, ScanResultSchema } from "../schema/scan.js";
import { renderBaseline } from "./check-baseline.js";
import { type FailOn, failsAt } from "./check-location.js";
import { renderCheckText } from "./check-text.js";
import { dotChunks } from "./dot.js";
import { renderGithub } from "./github.js";
import { renderJunit } from "./junit.js";
import { mermaidChart } from "./mermaid.js";
import { type ListOutput, planListPaths, renderPathList } from "./plan-list.js";
import { renderPlanText, renderResourcesText } from "./plan-text.js";
import { renderRebuildExclude, renderRebuildMarkdown, renderRebuildText } from "./rebuild.js";
import { AS_NEW_HINTS, renderAsNewScript, renderAsNewText } from "./restore-as-new.js";
import { renderRestoreList } from "./restore-list.js";
import { renderRestoreRefusal } from "./restore-refusal.js";
import { renderRestoreScript } from "./restore-script.js";
import { renderRestoreText } from "./restore-text.js";
import { renderSarif, type SarifTool } from "./sarif.js";
import { renderScanText } from "./scan-text.js";
import { jsonChunks, stringifyJson } from "./text.js";
import { renderVerifyText } from "./verify-text.js";

/** The documents a saved `--format json` result can be, by the command (and flag) that prints it. */
export interface Documents {
  scan: ScanResult;
  graph: SerializedGraph;
  plan: PlanResult;
  /** `plan --resources`. */
  resources: ResourcePlan;
  restore: RestoreResult;
  /** `restore --as-new`. */
  "restore-as-new": AsNewRestore;
  check: CheckResult;
  verify: VerifyResult;
  rebuild: RebuildSheet;
}

/** A kind of document. */
export type DocumentKind = keyof Documents;

/** A document with its kind, as `recognizeDocument` returns it and `renderDocument` takes it. */
export type KnownDocument = { [K in DocumentKind]: { kind: K; document: Documents[K] } }[DocumentKind];

export type { FailOn } from "./check-location.js";

/** What some formats take besides the document; every field has a default. */
export interface RenderOptions {
  /** `list`: NUL-terminated paths (`-0`) instead of one per line. Default false. */
  nul?: boolean;
  /** `check`: the exit status threshold (`--fail-on`). Default `error`. */
  failOn?: FailOn;
  /** `github`: the workspace; annotated files inside it are relative to it. Default: absolute paths. */
  cwd?: string | null;
  /** `sarif`: the tool that made the log. Default: this ovm-deps. */
  tool?: SarifTool;
  /** `baseline`: the policy file the check ran with, printed again with the new baseline. Default: empty. */
  policy?: Policy;
}

/**
 * A rendered document and the exit status its command gives for it, or why it cannot be rendered (exit 2).
 * `stderr`: what must go to stderr before anything else (a refused restore's `NOT SAFE:` lines).
 */
export type Rendered =
  | { ok: true; output: string; exitCode: number; stderr?: string }
  | { ok: false; error: string };

/**
 * A rendered document in chunks, for output too large for one string (the graph of a large estate): the
 * chunks are made as they are read, once.
 */
export type RenderedChunks =
  | { ok: true; chunks: Iterable<string>; exitCode: number; stderr?: string }
  | { ok: false; error: string };

/** A pure renderer: the document and the options, nothing else; a large document's, in chunks. */
type Renderer<D> = (document: D, options: RenderOptions) => Rendered | RenderedChunks;

/** A kind of document: its schema and its formats, in the order `--help` lists them. */
interface Entry<D> {
  /** A zod object schema (its `shape` names the fields that tell documents apart). */
  schema: {
    shape: object;
    safeParse(value: unknown): { success: boolean; error?: { issues: ZodIssue[] } };
  };
  formats: Record<string, Renderer<D>>;
  /** A document that refuses (an unsafe restore): the same in every format, present and future. */
  refusal?: Refusal<D>;
}

/**
 * How a document refuses, independently of its format: `message` (null when it does not refuse) goes to
 * stderr first and the exit status is 1; formats in `documentFormats` still print the whole document,
 * every other format (a list, a script: something a pipe would act on) prints nothing on stdout.
 */
interface Refusal<D> {
  message(document: D, options: RenderOptions): string | null;
  documentFormats: readonly string[];
}

/** The part of a zod issue a one-line reason needs. */
interface ZodIssue {
  path: PropertyKey[];
  message: string;
}

/** The `--format json` output of every command: the document, two-space indented, one final newline. */
export function renderJson(document: unknown): string {
  return `${stringifyJson(document)}\n`;
}

/** `renderJson`, in chunks. */
function* jsonDocumentChunks(document: unknown): Generator<string> {
  yield* jsonChunks(document);
  yield "\n";
}

const rendered = (output: string, exitCode: number): Rendered => ({ ok: true, output, exitCode });

const listed = (list: ListOutput, exitCode: number): Rendered =>
  list.ok ? rendered(list.output, exitCode) : { ok: false, error: list.error };

/** `check`: 1 when an unsuppressed finding reaches `--fail-on` (the findings JUnit fails, too). */
function checkStatus({ findings }: CheckResult, { failOn = "error" }: RenderOptions): number {
  return findings.some((finding) => failsAt(finding, failOn)) ? 1 : 0;
}

const DEFAULT_TOOL: SarifTool = {
  version: packageJson.version,
  informationUri: "https://www.npmjs.com/package/ovm-deps",
};

const scan: Entry<ScanResult> = {
  schema: ScanResultSchema,
  formats: {
    text: (doc) => rendered(renderScanText(doc), 0),
    json: (doc) => rendered(renderJson(doc), 0),
  },
};

/** A graph in chunks: an estate of 100,000 guests is more than one string can hold (its JSON). */
const chunked = (chunks: Iterable<string>): RenderedChunks => ({ ok: true, chunks, exitCode: 0 });

/** A graph in Mermaid: cut within Mermaid's limits, with a warning on stderr when it was. */
function mermaidRendering(doc: SerializedGraph): RenderedChunks {
  const { chunks, warning } = mermaidChart(doc);
  return { ok: true, chunks, exitCode: 0, ...(warning === null ? {} : { stderr: warning }) };
}

const graph: Entry<SerializedGraph> = {
  schema: SerializedGraphSchema,
  formats: {
    dot: (doc) => chunked(dotChunks(doc)),
    json: (doc) => chunked(jsonDocumentChunks(doc)),
    mermaid: mermaidRendering,
    // Every command's default is `text`; the text people read of a graph is DOT.
    text: (doc) => chunked(dotChunks(doc)),
  },
};

/**
 * `plan` and `plan --resources`: text, json and the path list; exit 1 when a planned owner has coverage
 * `none` or a guest area could not be listed.
 */
function planEntry<D extends PlanResult | ResourcePlan>(
  schema: Entry<D>["schema"],
  plans: (document: D) => PlanResult["guests"],
  text: (document: D) => string,
): Entry<D> {
  // A planned owner with coverage none, or guests the scan may not have seen (an unlisted guest area).
  const status = (doc: D): number =>
    plans(doc).some((p) => p.coverage === "none") || (doc.incomplete ?? []).some(hidesOwners) ? 1 : 0;
  return {
    schema,
    formats: {
      text: (doc) => rendered(text(doc), status(doc)),
      json: (doc) => rendered(renderJson(doc), status(doc)),
      list: (doc, o) => listed(renderPathList(planListPaths(doc), o.nul === true), status(doc)),
    },
  };
}

const plan = planEntry<PlanResult>(PlanResultSchema, (doc) => doc.guests, renderPlanText);
const resources = planEntry<ResourcePlan>(ResourcePlanSchema, (doc) => doc.templates, renderResourcesText);

const restore: Entry<RestoreResult> = {
  schema: RestoreResultSchema,
  formats: {
    text: (doc) => rendered(renderRestoreText(doc), doc.safe ? 0 : 1),
    json: (doc) => rendered(renderJson(doc), doc.safe ? 0 : 1),
    list: (doc, o) => listed(renderRestoreList(doc, o.nul === true), doc.safe ? 0 : 1),
    // Unsafe: no script, exit 1 (the CLI says why on stderr).
    script: (doc) => listed(renderRestoreScript(doc), doc.safe ? 0 : 1),
  },
  refusal: {
    message: (doc) => renderRestoreRefusal(doc),
    documentFormats: ["text", "json"],
  },
};

/** `restore --as-new`: no `list` (one rsync run cannot rename files); exit 1 when refused. */
const restoreAsNew: Entry<AsNewRestore> = {
  schema: AsNewRestoreSchema,
  formats: {
    text: (doc) => rendered(renderAsNewText(doc), doc.safe ? 0 : 1),
    json: (doc) => rendered(renderJson(doc), doc.safe ? 0 : 1),
    script: (doc) => listed(renderAsNewScript(doc), doc.safe ? 0 : 1),
  },
  refusal: {
    message: (doc) => renderRestoreRefusal(doc, AS_NEW_HINTS),
    documentFormats: ["text", "json"],
  },
};

const check: Entry<CheckResult> = {
  schema: CheckResultSchema,
  formats: {
    text: (doc, o) => rendered(renderCheckText(doc), checkStatus(doc, o)),
    json: (doc, o) => rendered(renderJson(doc), checkStatus(doc, o)),
    sarif: (doc, o) => rendered(renderSarif(doc, o.tool ?? DEFAULT_TOOL), checkStatus(doc, o)),
    junit: (doc, o) => rendered(renderJunit(doc, o.failOn), checkStatus(doc, o)),
    github: (doc, o) => rendered(renderGithub(doc, o.cwd ?? null), checkStatus(doc, o)),
    // A baseline is a policy file to adopt, not a verdict: exit 0.
    baseline: (doc, o) => rendered(renderBaseline(doc, o.policy ?? PolicySchema.parse({})), 0),
  },
};

const verify: Entry<VerifyResult> = {
  schema: VerifyResultSchema,
  formats: {
    text: (doc) => rendered(renderVerifyText(doc), doc.ok ? 0 : 1),
    json: (doc) => rendered(renderJson(doc), doc.ok ? 0 : 1),
  },
};

const rebuild: Entry<RebuildSheet> = {
  schema: RebuildSheetSchema,
  formats: {
    text: (doc) => rendered(renderRebuildText(doc), 0),
    markdown: (doc) => rendered(renderRebuildMarkdown(doc), 0),
    json: (doc) => rendered(renderJson(doc), 0),
    // A list without the NFS mount points would let the guest's backup descend into its shares: say so.
    "rsync-exclude": (doc) => ({
      ok: true,
      output: renderRebuildExclude(doc),
      exitCode: 0,
      ...(doc.nfsMountsKnown
        ? {}
        : { stderr: "warning: the guest's NFS mounts are unknown: the list holds no NFS mount point\n" }),
    }),
  },
};

/** The registry, in the order documents are recognised (and named in messages). */
const registry: { [K in DocumentKind]: Entry<Documents[K]> } = {
  scan,
  graph,
  plan,
  resources,
  restore,
  "restore-as-new": restoreAsNew,
  check,
  verify,
  rebuild,
};

/** Every kind of document, in the order `recognizeDocument` tries them. */
export const documentKinds: readonly DocumentKind[] = Object.keys(registry) as DocumentKind[];

/** The formats a kind of document renders in (the first listed is not the default: `text` is). */
export function formatsOf(kind: DocumentKind): readonly string[] {
  return Object.keys(registry[kind].formats);
}

/**
 * Render a document in `format` with the renderer its command uses, in chunks (what the CLI writes); an
 * unknown format is an error.
 */
export function renderDocumentChunks(
  known: KnownDocument,
  format: string,
  options: RenderOptions = {},
): RenderedChunks {
  const entry = registry[known.kind] as Entry<KnownDocument["document"]>;
  const renderer = Object.hasOwn(entry.formats, format) ? entry.formats[format] : undefined;
  if (renderer === undefined) {
    return {
      ok: false,
      error: `a ${known.kind} document renders as ${formatsOf(known.kind).join(", ")} (got "${format}")`,
    };
  }
  const refused = entry.refusal?.message(known.document, options) ?? null;
  if (refused === null || entry.refusal === undefined) return asChunks(renderer(known.document, options));
  if (!entry.refusal.documentFormats.includes(format))
    return { ok: true, chunks: [], exitCode: 1, stderr: refused };
  const result = asChunks(renderer(known.document, options));
  return result.ok ? { ...result, exitCode: 1, stderr: refused } : result;
}

/** A rendering in chunks (one, for a renderer that gives a string). */
function asChunks(result: Rendered | RenderedChunks): RenderedChunks {
  if (!result.ok || !("output" in result)) return result;
  const { output, ...rest } = result;
  return { ...rest, chunks: [output] };
}

/** Render a document in `format` with the renderer its command uses, as one string; an unknown format is an error. */
export function renderDocument(known: KnownDocument, format: string, options: RenderOptions = {}): Rendered {
  const result = renderDocumentChunks(known, format, options);
  if (!result.ok) return result;
  const { chunks, ...rest } = result;
  return { ...rest, output: Array.from(chunks).join("") };
}

/** Which document a parsed JSON value is, or why it is none (a phrase that follows "FILE is"). */
export type Recognition = { ok: true; known: KnownDocument } | { ok: false; error: string };

/** A zod issue as `path: message` on one line. */
function issueText(issue: ZodIssue): string {
  const path = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
  return `${path === "" ? "" : `${path.replace(/^\./, "")}: `}${issue.message}`.replace(/\s+/g, " ");
}

/** A schema the value failed: how many of its fields the value has, and its issues. */
interface Failure {
  kind: DocumentKind;
  fields: number;
  issues: ZodIssue[];
}

/** Why a value that is no document is not one: the first issue of the nearest schema (most fields, fewest issues). */
function firstReason(value: unknown, failures: Failure[]): string {
  if (Array.isArray(value))
    return "got an array; parse documents are not re-rendered: their text shows lines of the vm.cfg files";
  if (value === null || typeof value !== "object")
    return `expected a JSON object, got ${JSON.stringify(value)}`;
  const nearer = (f: Failure, best: Failure): boolean =>
    f.fields > best.fields || (f.fields === best.fields && f.issues.length < best.issues.length);
  const nearest = failures.reduce((best, f) => (nearer(f, best) ? f : best));
  const issue = nearest.issues[0];
  return `as a ${nearest.kind} document, ${issue ? issueText(issue) : "invalid"}`;
}

/**
 * Recognise a parsed JSON value by the schemas of the documents, tried in `documentKinds` order: the one
 * schema it satisfies. The document is the value itself (key order kept), so its JSON renders byte for byte.
 */
export function recognizeDocument(value: unknown): Recognition {
  const matches: DocumentKind[] = [];
  const failures: Failure[] = [];
  for (const kind of documentKinds) {
    const { schema } = registry[kind];
    const result = schema.safeParse(value);
    if (result.success) matches.push(kind);
    else {
      const fields = Object.keys(schema.shape).filter((key) => Object.hasOwn(Object(value), key)).length;
      failures.push({ kind, fields, issues: result.error?.issues ?? [] });
    }
  }
  const [kind, ...others] = matches;
  if (kind === undefined) {
    const names = documentKinds.slice(0, -1).join(", ");
    return {
      ok: false,
      error: `not a ${names} or ${documentKinds.at(-1)} document (${firstReason(value, failures)})`,
    };
  }
  if (others.length > 0) {
    return { ok: false, error: `ambiguous: it is a valid ${matches.join(" and a valid ")} document` };
  }
  return { ok: true, known: { kind, document: value } as KnownDocument };
}
