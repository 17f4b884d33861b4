// parseDiskSpec against the peers: libvirt's xm suite and Xen's own disk-parser test (corpus/peer/disk-vectors.json).
import { readFileSync } from "node:fs";
import { parseDiskSpec } from "ovm-deps";
import { expect, it } from "vitest";
import { describeShared, haveShared, sharedDir } from "../support/shared.js";

/** What a peer produced for one spec (`device` is our `devtype`). */
interface PeerDisk {
  device: "disk" | "cdrom";
  path: string | null;
  vdev: string;
  readonly: boolean;
  shareable: boolean;
  format: string | null;
}

/** One vector of disk-vectors.json. */
interface Vector {
  source: string;
  suite: string;
  spec: string;
  expect: PeerDisk | null;
  expected_rc?: number;
}

const vectors: Vector[] = haveShared
  ? JSON.parse(readFileSync(`${sharedDir}/corpus/peer/disk-vectors.json`, "utf8"))
  : [];

/**
 * Whether the spec itself states an image format (a blktap sub-type, `format=`, a legacy format
 * prefix, a positional format). Only then is `format` compared: libvirt fills in `raw` as its default.
 */
const STATES_FORMAT =
  /(?:^|,)\s*(?:format=[^,]|(?:raw|qcow2?|vhd|empty)[:,])|tap2?:(?:tapdisk:|ioemu:)?(?:aio|sync|qcow2?|vhd):/;

/** The vectors, numbered as in the file. */
const numbered = vectors.map((vector, index) => ({
  ...vector,
  name: `#${index} ${JSON.stringify(vector.spec)}`,
}));

describeShared("parseDiskSpec: peer vectors", () => {
  it("reads all 98 vectors, some of which state a format", () => {
    expect(vectors).toHaveLength(98);
    expect(vectors.filter((v) => STATES_FORMAT.test(v.spec)).length).toBeGreaterThanOrEqual(10);
  });

  it.each(numbered.filter((v) => v.expected_rc === 1))("refuses what the peer refuses: $name", (vector) => {
    const { disk, diagnostics } = parseDiskSpec(vector.spec);
    expect(disk).toBeNull();
    expect(diagnostics.some((d) => d.severity === "error")).toBe(true);
  });

  it.each(numbered.filter((v) => v.expected_rc !== 1))("agrees with the peer: $name", (vector) => {
    const { disk } = parseDiskSpec(vector.spec);
    const peer = vector.expect;
    expect(peer).not.toBeNull();
    expect(disk).not.toBeNull();
    if (disk === null || peer === null) return;
    expect({
      device: disk.devtype,
      path: disk.path,
      vdev: disk.vdev,
      readonly: disk.readonly,
      shareable: disk.shareable,
    }).toEqual({
      device: peer.device,
      path: peer.path,
      vdev: peer.vdev,
      readonly: peer.readonly,
      shareable: peer.shareable,
    });
    // A format is what the spec states, else null (interfaces.md `Disk`).
    expect(disk.format).toBe(STATES_FORMAT.test(vector.spec) ? peer.format : null);
  });

  // Deliberate difference: for an empty CD-ROM the peers fill in a format the spec does not state
  // (libvirt `raw`, Xen's parser `empty`). Ours is null: `format` is only what the spec states, and the
  // drive being empty is already said by `path: null` (interfaces.md `Disk`).
  it.each(numbered.filter((v) => v.expect?.path === null && !STATES_FORMAT.test(v.spec)))(
    "empty CD-ROM without a stated format: format null where the peer fills one in: $name",
    (vector) => {
      const { disk } = parseDiskSpec(vector.spec);
      expect(vector.expect?.format).not.toBeNull();
      expect(disk).toMatchObject({ path: null, devtype: "cdrom", format: null });
    },
  );
});
