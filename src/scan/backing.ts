// Backing chains: the base image a qcow/qcow2 overlay or a differencing VHD reads from is a dependency too.
import { readFileAt } from "./io.js";

/** Formats whose images may name a parent (a backing file). */
export const CHAINED_FORMATS: ReadonlySet<string> = new Set(["qcow", "qcow2", "vhd"]);

/** A backing file name longer than this is not one (qcow2 limits it to 1023 bytes). */
const MAX_NAME_BYTES = 4096;

/**
 * The parent an image names: a path as written in its header, none, or why the header could not be read.
 * `notAnImage`: the file is not an image of that format at all (a raw base under a qcow2 overlay).
 */
export type Backing =
  | { parent: string | null; error: null; notAnImage?: undefined }
  | { parent: null; error: string; notAnImage: boolean };

const failed = (error: string, notAnImage = false): Backing => ({ parent: null, error, notAnImage });

/** The backing file of a qcow (v1) or qcow2 image: its header gives the name's offset and length. */
async function qcowBacking(file: string): Promise<Backing> {
  const head = await readFileAt(file, 0, 20);
  if (head.bytes === null) return failed(head.error);
  if (head.bytes.length < 20 || head.bytes.readUInt32BE(0) !== 0x514649fb)
    return failed("not a qcow image (no QFI\\xfb magic)", true);
  const offset = head.bytes.readBigUInt64BE(8);
  const length = head.bytes.readUInt32BE(16);
  if (offset === 0n || length === 0) return { parent: null, error: null };
  if (length > MAX_NAME_BYTES || offset > BigInt(head.size)) return failed("backing file name out of range");
  const name = await readFileAt(file, Number(offset), length);
  if (name.bytes === null) return failed(name.error);
  if (name.bytes.length !== length) return failed("backing file name truncated");
  return { parent: name.bytes.toString("utf8"), error: null };
}

/** A file URL's path, percent-decoded when it can be (a stray `%` is taken as written). */
function decodedUrlPath(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

/** Parent locator platform codes (VHD specification): a file URL, and Windows relative and absolute paths. */
const MACX = 0x4d616358;
const W2RU = 0x57327275;
const W2KU = 0x57326b75;

/**
 * The parent of a differencing VHD. The footer (the file's last 512 bytes) gives its type (4: differencing)
 * and where the dynamic header is; the header's parent locators give the parent's path — `MacX` (a
 * `file://` URL, relative to the child's folder as blktap writes it), `W2ru` or `W2ku` (UTF-16LE, `\`
 * separators). Its "parent unicode name" holds only the base name: used when no locator can be read.
 */
async function vhdBacking(file: string): Promise<Backing> {
  const footer = await readFileAt(file, -512, 512);
  if (footer.bytes === null) return failed(footer.error);
  if (footer.bytes.length < 512 || footer.bytes.toString("latin1", 0, 8) !== "conectix")
    return failed("not a VHD image (no conectix footer)", true);
  if (footer.bytes.readUInt32BE(60) !== 4) return { parent: null, error: null };
  const at = footer.bytes.readBigUInt64BE(16);
  if (at > BigInt(footer.size)) return failed("dynamic header out of range");
  const header = await readFileAt(file, Number(at), 1024);
  if (header.bytes === null) return failed(header.error);
  if (header.bytes.length < 768 || header.bytes.toString("latin1", 0, 8) !== "cxsparse")
    return failed("no dynamic disk header");
  const locators = new Map<number, { length: number; offset: bigint }>();
  for (let i = 0; i < 8; i++) {
    const entry = 576 + i * 24;
    const code = header.bytes.readUInt32BE(entry);
    const length = header.bytes.readUInt32BE(entry + 8);
    if (code !== 0 && length > 0 && length <= MAX_NAME_BYTES && !locators.has(code))
      locators.set(code, { length, offset: header.bytes.readBigUInt64BE(entry + 16) });
  }
  for (const code of [MACX, W2RU, W2KU]) {
    const locator = locators.get(code);
    if (locator === undefined || locator.offset > BigInt(footer.size)) continue;
    const data = await readFileAt(file, Number(locator.offset), locator.length);
    if (data.bytes === null) return failed(data.error);
    if (data.bytes.length !== locator.length) continue;
    if (code === MACX) {
      const url = data.bytes.toString("utf8").replace(/\0+$/, "");
      if (url.startsWith("file://"))
        return { parent: decodedUrlPath(url.slice("file://".length)), error: null };
      continue;
    }
    const windows = data.bytes.toString("utf16le").replace(/\0+$/, "").replaceAll("\\", "/");
    return { parent: windows.replace(/^[A-Za-z]:/, ""), error: null };
  }
  const raw = header.bytes.subarray(64, 576);
  let end = 0;
  while (end + 1 < raw.length && (raw[end] !== 0 || raw[end + 1] !== 0)) end += 2;
  const name = Buffer.from(raw.subarray(0, end)).swap16().toString("utf16le");
  return name === ""
    ? failed("differencing VHD without a parent locator or name")
    : { parent: name, error: null };
}

/** The parent an image of `format` names in its header, none, or why it could not be read. */
export function backingOf(format: string, file: string): Promise<Backing> {
  return format === "vhd" ? vhdBacking(file) : qcowBacking(file);
}
