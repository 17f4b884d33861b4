// Backing chains: the base image a qcow/qcow2 overlay or a differencing VHD reads from is a dependency too.
import { readFileAt } from "./io.js";

/** Formats whose images may name a parent (a backing file). */
export const CHAINED_FORMATS: ReadonlySet<string> = new Set(["qcow", "qcow2", "vhd"]);

/** A backing file name longer than this is not one (qcow2 limits it to 1023 bytes). */
const MAX_NAME_BYTES = 4096;

/** The parent an image names: a path as written in its header, none, or why the header could not be read. */
export type Backing = { parent: string | null; error: null } | { parent: null; error: string };

/** The backing file of a qcow (v1) or qcow2 image: its header gives the name's offset and length. */
async function qcowBacking(file: string): Promise<Backing> {
  const head = await readFileAt(file, 0, 20);
  if (head.bytes === null) return { parent: null, error: head.error };
  if (head.bytes.length < 20 || head.bytes.readUInt32BE(0) !== 0x514649fb)
    return { parent: null, error: "not a qcow image (no QFI\\xfb magic)" };
  const offset = head.bytes.readBigUInt64BE(8);
  const length = head.bytes.readUInt32BE(16);
  if (offset === 0n || length === 0) return { parent: null, error: null };
  if (length > MAX_NAME_BYTES || offset > BigInt(head.size))
    return { parent: null, error: "backing file name out of range" };
  const name = await readFileAt(file, Number(offset), length);
  if (name.bytes === null) return { parent: null, error: name.error };
  if (name.bytes.length !== length) return { parent: null, error: "backing file name truncated" };
  return { parent: name.bytes.toString("utf8"), error: null };
}

/**
 * The parent of a differencing VHD: the footer (the file's last 512 bytes) says its type (4: differencing)
 * and where the dynamic header is, whose "parent unicode name" (UTF-16BE) names the parent.
 */
async function vhdBacking(file: string): Promise<Backing> {
  const footer = await readFileAt(file, -512, 512);
  if (footer.bytes === null) return { parent: null, error: footer.error };
  if (footer.bytes.length < 512 || footer.bytes.toString("latin1", 0, 8) !== "conectix")
    return { parent: null, error: "not a VHD image (no conectix footer)" };
  if (footer.bytes.readUInt32BE(60) !== 4) return { parent: null, error: null };
  const at = footer.bytes.readBigUInt64BE(16);
  if (at > BigInt(footer.size)) return { parent: null, error: "dynamic header out of range" };
  const header = await readFileAt(file, Number(at), 1024);
  if (header.bytes === null) return { parent: null, error: header.error };
  if (header.bytes.length < 576 || header.bytes.toString("latin1", 0, 8) !== "cxsparse")
    return { parent: null, error: "no dynamic disk header" };
  const raw = header.bytes.subarray(64, 576);
  let end = 0;
  while (end + 1 < raw.length && (raw[end] !== 0 || raw[end + 1] !== 0)) end += 2;
  const name = Buffer.from(raw.subarray(0, end)).swap16().toString("utf16le");
  return name === ""
    ? { parent: null, error: "differencing VHD without a parent name" }
    : { parent: name, error: null };
}

/** The parent an image of `format` names in its header, none, or why it could not be read. */
export function backingOf(format: string, file: string): Promise<Backing> {
  return format === "vhd" ? vhdBacking(file) : qcowBacking(file);
}
