// parseDiskSpec on any string: never throws, a valid Disk or null with an error; legacy entries read back; linear time.
import fc from "fast-check";
import { DiagnosticSchema, DiskSchema, parseDiskSpec } from "ovm-deps";
import { describe, expect, it } from "vitest";

const at = { file: "vm.cfg", line: 4, column: 9 };

/** Pieces that steer the parser into its branches, so random joins reach deep cases. */
const piece = fc.constantFrom(
  ",",
  ":",
  "=",
  "!",
  " ",
  "\t",
  "target=",
  "vdev=",
  "access=",
  "format=",
  "devtype=",
  "script=",
  "backendtype=",
  "phy:",
  "file:",
  "file:///",
  "tap:",
  "tap2:",
  "tapdisk:",
  "aio:",
  "qcow2:",
  "raw:",
  "iscsi:",
  "drbd:",
  "ioemu:",
  "cdrom",
  ":cdrom",
  ":disk",
  "hdc",
  "xvda",
  "sda6",
  "w",
  "r",
  "w!",
  "rw",
  "ro",
  "empty",
  "/OVS/x.img",
  "constructor",
  "__proto__",
  "é",
  "\u{1F4BE}",
);

/** Any string: full unicode, or a join of the pieces above. */
const anySpec = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.array(piece, { maxLength: 14 }).map((parts) => parts.join("")),
);

describe("parseDiskSpec on any string", () => {
  it("never throws; gives a Disk and no error, or null and at least one error", () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const { disk, diagnostics } = parseDiskSpec(spec, at);
        for (const d of diagnostics) {
          expect(DiagnosticSchema.parse(d)).toMatchObject(at);
        }
        const errors = diagnostics.filter((d) => d.severity === "error");
        if (disk === null) {
          expect(errors.length).toBeGreaterThan(0);
        } else {
          expect(errors).toEqual([]);
          expect(DiskSchema.parse(disk)).toEqual(disk);
          expect(disk.spec).toBe(spec);
          expect(disk.readonly).toBe(disk.access.startsWith("r"));
          expect(disk.shareable).toBe(disk.access.endsWith("!"));
          expect(disk.path === null ? disk.devtype : "cdrom").toBe("cdrom");
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("parseDiskSpec on legacy xm entries", () => {
  // `file:///x` is `/x` (a URL), so a written path that starts with `//` does not read back as written.
  const pathText = fc.stringMatching(/^\/[-A-Za-z0-9_./!+ ]{0,30}$/).filter((p) => !p.startsWith("//"));
  const vdev = fc.constantFrom("hda", "hdc", "sdb", "xvda", "xvdab", "xvda1", "51712");
  const mode = fc.constantFrom(["w", "w"], ["rw", "w"], ["r", "r"], ["ro", "r"], ["w!", "w!"], ["r!", "r!"]);
  const uname = fc.constantFrom(
    ["file:", "file", null],
    ["phy:", "phy", null],
    ["tap:aio:", "tap", "raw"],
    ["tap:qcow2:", "tap", "qcow2"],
    ["tap2:tapdisk:aio:", "tap2", "raw"],
    ["tap:vhd:", "tap", "vhd"],
  );

  it("read back the path, vdev, access and backend they were written with", () => {
    fc.assert(
      fc.property(
        pathText,
        vdev,
        mode,
        uname,
        (path, device, [written, access], [prefix, backend, format]) => {
          const { disk, diagnostics } = parseDiskSpec(`${prefix}${path},${device},${written}`);
          expect(diagnostics).toEqual([]);
          expect(disk).toMatchObject({
            path,
            vdev: device,
            access,
            backend,
            format,
            devtype: "disk",
            form: "xm",
          });
        },
      ),
    );
  });
});

describe("parseDiskSpec time", () => {
  // A parser that rescans items would take hours here (and hit the test timeout); a linear one takes
  // milliseconds. Speed itself is measured by `npm run bench`, not asserted here.
  it.each([
    ["commas", ",".repeat(1_000_000), null, "disk-spec-invalid"],
    ["colons", `phy:${":".repeat(1_000_000)},xvda,w`, 1_000_005, "disk-device-path-assumed"],
    ["prefixes", `${"tap:".repeat(250_000)}/x,xvda,w`, 999_994, "disk-tap-subtype-unknown"],
    ["key=value items", "vdev=xvda,".repeat(100_000), null, "disk-parameter-repeated"],
    ["a long target", `vdev=xvda,access=w,target=${"a,=:".repeat(250_000)}`, 1_000_000, undefined],
    ["blanks", `${" ".repeat(1_000_000)}x`, null, "disk-vdev-missing"],
  ])("stays linear on 1 MB of %s", (_name, spec, pathLength, firstCode) => {
    const { disk, diagnostics } = parseDiskSpec(spec);
    expect(disk === null ? null : disk.path?.length).toBe(pathLength);
    // One diagnostic per code, however often the fault repeats.
    expect(diagnostics[0]?.code).toBe(firstCode);
    expect(diagnostics.length).toBeLessThan(5);
  });
});
