// What the raw bytes of vm.cfg files could name, without parsing them: the conservative prefilter of a
// targeted restore. Every answer errs towards "may": a vm.cfg that may matter is parsed.
import { uuidKey } from "../parse/index.js";

/**
 * Bytes that let a vm.cfg spell a name otherwise than as it is written: anything but printable ASCII, tab
 * and line breaks (an encoding), a backslash (an escape, a line continuation), a triple quote. Operators
 * (`+`, `%`) need no rule: the reader never evaluates them (the file is then not read fully, and what it
 * may use is found by name in its text, as here). Joined literals are `joinsLiterals`.
 */
const MAY_HIDE = /[^\t\n\r\x20-\x5b\x5d-\x7e]|'''|"""/g;

const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const HASH = 0x23;
/** Blanks and line breaks between two literals (inside brackets a line break joins them too). */
const isBlank = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
/** A string prefix letter: u, r, b in either case. */
const isPrefix = (c: number): boolean => {
  const lower = c | 0x20;
  return lower === 0x75 || lower === 0x72 || lower === 0x62;
};

/**
 * True when a string literal is followed, with only blanks, line breaks and comments between, by another
 * (perhaps prefixed): Python joins them, and a name may be split across the two. Also true for a string
 * not closed on its line. For text with no backslash and no triple quote (`MAY_HIDE` catches those),
 * where a string literal is one quote to the next of the same kind on its line.
 */
export function joinsLiterals(text: string): boolean {
  const end = text.length;
  let i = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      const eol = text.indexOf("\n", i);
      i = eol === -1 ? end : eol + 1;
      continue;
    }
    if (c !== QUOTE && c !== DOUBLE_QUOTE) {
      i++;
      continue;
    }
    const close = text.indexOf(c === QUOTE ? "'" : '"', i + 1);
    const eol = text.indexOf("\n", i + 1);
    if (close === -1 || (eol !== -1 && eol < close)) return true;
    // After the literal: blanks and comments, then is another literal there?
    let j = close + 1;
    for (;;) {
      while (j < end && isBlank(text.charCodeAt(j))) j++;
      if (j < end && text.charCodeAt(j) === HASH) {
        const next = text.indexOf("\n", j);
        if (next === -1) return false;
        j = next + 1;
        continue;
      }
      break;
    }
    let k = j;
    while (k < j + 2 && k < end && isPrefix(text.charCodeAt(k))) k++;
    const after = text.charCodeAt(k);
    if (after === QUOTE || after === DOUBLE_QUOTE) return true;
    i = close + 1;
  }
  return false;
}

/** An assignment of `name` or `uuid`, anywhere (`;` may put one in the middle of a line). */
const IDENTITY_ASSIGNMENT = /(?<![\w.])(name|uuid)\s*=/g;
/** A whole line that assigns `name` or `uuid` one plain string literal. */
const PLAIN_IDENTITY_LINE = /^(name|uuid)[ \t]*=[ \t]*(['"])[^'"\n]*\2[ \t]*(?:#[^\n]*)?$/gm;
/** A disk format whose images may name a backing file (qcow, qcow2, vhd), in any case. */
const CHAINED_FORMAT = /qcow|vhd/gi;
/** Where a disk path names a repository by its live path, and a `..` that may lead into another one. */
const REPOSITORIES = "Repositories"; // as in /OVS/Repositories/ (walk.ts LIVE_REPOSITORIES)
const REPOSITORY_NAMED = /^\/([^/'",\s[\](){}]+)\/[^/'",\s[\](){}]/;

/** Texts joined into one string, and where each begins. */
interface Joined {
  text: string;
  starts: number[];
}

/** Join texts with two line breaks between them: no name holds one, and no rule below matches across one but towards "may". */
function join(texts: readonly string[]): Joined {
  const starts: number[] = [];
  let at = 0;
  for (const text of texts) {
    starts.push(at);
    at += text.length + 2;
  }
  return { text: texts.join("\n\n"), starts };
}

/** The index of the text that holds `offset`. */
function indexAt({ starts }: Joined, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The vm.cfg files of one side, their text (bytes as latin1: for ASCII the same as UTF-8) in one string,
 * so that a name is searched once for all of them.
 */
export class ConfigTexts {
  /** Owner references, in order. */
  readonly refs: string[] = [];
  private readonly joined: Joined;
  private dashless: Joined | null = null;
  private readonly texts: string[] = [];

  constructor(configs: ReadonlyMap<string, Uint8Array | null>) {
    for (const [ref, bytes] of configs) {
      if (bytes === null) continue;
      this.refs.push(ref);
      this.texts.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"));
    }
    this.joined = join(this.texts);
  }

  private refAt(offset: number): string {
    return this.refs[indexAt(this.joined, offset)]!;
  }

  /** Add to `found` every file of `joined` that holds `needle`. */
  private search(joined: Joined, needle: string, found: Set<string>): void {
    if (needle === "") return;
    const { text, starts } = joined;
    for (let at = text.indexOf(needle); at !== -1; ) {
      const i = indexAt(joined, at);
      found.add(this.refs[i]!);
      at = i + 1 < starts.length ? text.indexOf(needle, starts[i + 1]!) : -1;
    }
  }

  /** Add to `found` every file whose text holds `needle`. */
  containing(needle: string, found: Set<string>): void {
    this.search(this.joined, needle, found);
  }

  /** Add to `found` every file whose text may hold uuid `uuid` (dashes and case aside: `uuidKey`). */
  containingUuid(uuid: string, found: Set<string>): void {
    this.dashless ??= join(this.texts.map(uuidKey));
    this.search(this.dashless, uuidKey(uuid), found);
  }

  /**
   * The files that must be parsed whatever is restored: those that may spell a name otherwise than it is
   * written (`MAY_HIDE`, `joinsLiterals`), may describe no guest (then, read fully or not, it may use anything: no plain
   * `name` or `uuid` line proves otherwise), may name a backing chain, or may name a repository by a live
   * path that is not one of `repositoryNames` (an unscanned repository) or through `..`.
   */
  always(repositoryNames: ReadonlySet<string>): Set<string> {
    const found = new Set<string>();
    const text = this.joined.text;
    for (const match of text.matchAll(MAY_HIDE)) found.add(this.refAt(match.index));
    this.texts.forEach((one, i) => {
      if (joinsLiterals(one)) found.add(this.refs[i]!);
    });
    for (const match of text.matchAll(CHAINED_FORMAT)) found.add(this.refAt(match.index));
    this.containing("/..", found);
    for (let at = text.indexOf(REPOSITORIES); at !== -1; at = text.indexOf(REPOSITORIES, at + 1)) {
      const named = REPOSITORY_NAMED.exec(text.slice(at + REPOSITORIES.length, at + 400));
      if (named === null || !repositoryNames.has(named[1]!)) found.add(this.refAt(at));
    }
    // A file names a guest for sure when `name` or `uuid` is assigned once, on a line of its own, a plain string.
    const assignments = new Map<string, number>();
    for (const match of text.matchAll(IDENTITY_ASSIGNMENT)) {
      const key = `${this.refAt(match.index)}\n${match[1]}`;
      assignments.set(key, (assignments.get(key) ?? 0) + 1);
    }
    const named = new Set<string>();
    for (const match of text.matchAll(PLAIN_IDENTITY_LINE)) {
      const ref = this.refAt(match.index);
      if (assignments.get(`${ref}\n${match[1]}`) === 1) named.add(ref);
    }
    for (const ref of this.refs) if (!named.has(ref)) found.add(ref);
    return found;
  }
}
