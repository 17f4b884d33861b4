// parseDiskSpec: the hard cases of domain.md §4, one per line, and where diagnostics point.
import { type Disk, DiskSchema, parseDiskSpec } from "ovm-deps";
import { describe, expect, it } from "vitest";

/** Specs that read into a disk: the fields they must give and every diagnostic code they raise. */
const valid: [spec: string, fields: Partial<Disk>, codes: string[]][] = [
  // legacy xm: uname types
  [
    "file:///OVS/Repositories/R/VirtualDisks/a.img,xvda,w",
    { path: "/OVS/Repositories/R/VirtualDisks/a.img", backend: "file", format: null, form: "xm" },
    [],
  ],
  [
    "file:/x.img,xvda,w",
    { path: "/x.img", vdev: "xvda", access: "w", readonly: false, shareable: false },
    [],
  ],
  ["phy:sda6,hda,w", { path: "/dev/sda6", backend: "phy", format: null }, ["disk-device-path-assumed"]],
  ["phy:/dev/mapper/3600a0b8,xvdb,w", { path: "/dev/mapper/3600a0b8", backend: "phy", script: null }, []],
  ["tap:aio:/OVS/x.img,xvda,w", { path: "/OVS/x.img", backend: "tap", format: "raw" }, []],
  ["tap:sync:/x.img,xvda,w", { path: "/x.img", backend: "tap", format: "raw" }, []],
  ["tap:qcow:/x.qcow,xvda,w", { path: "/x.qcow", format: "qcow" }, []],
  ["tap:qcow2:/x.qcow2,xvda,w", { path: "/x.qcow2", format: "qcow2" }, []],
  ["tap:vhd:/x.vhd,xvda,w", { path: "/x.vhd", format: "vhd" }, []],
  ["tap2:aio:/x.img,xvda,w", { path: "/x.img", backend: "tap2", format: "raw" }, []],
  ["tap2:tapdisk:aio:/x.img,xvda,w", { path: "/x.img", backend: "tap2", format: "raw" }, []],
  ["tap:ioemu:qcow2:/x.qcow2,xvda,w", { path: "/x.qcow2", backend: "tap", format: "qcow2" }, []],
  ["tap:ram:/x.img,xvda,w", { path: "/x.img", backend: "tap", format: null }, ["disk-tap-subtype-unknown"]],
  ["raw:/dev/vg/x,hda,w", { path: "/dev/vg/x", format: "raw", backend: null, form: "xm" }, []],
  ["qcow2:/x.qcow2,xvda,w", { path: "/x.qcow2", format: "qcow2" }, []],
  ["vhd:/x.vhd,xvda,w", { path: "/x.vhd", format: "vhd" }, []],
  [
    "iscsi:iqn.1986-03.com.sun:02:abc,xvdc,w",
    { path: "iqn.1986-03.com.sun:02:abc", script: "iscsi", backend: null, format: null },
    [],
  ],
  ["drbd:app01,hda,w", { path: "app01", script: "drbd" }, []],
  ["nbd:host:1234,xvda,w", { path: "host:1234", script: "nbd" }, []],
  ["enbd:host:1234,xvda,w", { path: "host:1234", script: "enbd" }, []],
  ["foo:/x,xvda,w", { path: "/x", script: "foo", backend: null }, ["disk-type-unknown"]],
  // legacy xm: vdev
  ["phy:/dev/x,ioemu:hda,w", { vdev: "hda", devtype: "disk" }, []],
  ["file:/x.iso,hdc:cdrom,r", { path: "/x.iso", vdev: "hdc", devtype: "cdrom", readonly: true }, []],
  ["file:/x.iso,ioemu:hdc:cdrom,r", { vdev: "hdc", devtype: "cdrom" }, []],
  ["file:/x.iso,xvdb:cdrom,r", { vdev: "xvdb", devtype: "cdrom" }, []],
  ["file:/x.img,hda:disk,w", { vdev: "hda", devtype: "disk" }, []],
  ["phy:/dev/x,xvda:floppy,w", { vdev: "xvda", devtype: "disk" }, ["disk-devtype-invalid"]],
  [
    ",hdc:cdrom,r",
    { path: null, vdev: "hdc", devtype: "cdrom", readonly: true, format: null, form: "xm" },
    [],
  ],
  [" ,hdc:cdrom,r", { path: null, vdev: "hdc", devtype: "cdrom", form: "xm" }, []],
  // legacy xm: access
  ["phy:/dev/x,xvda,w!", { access: "w!", readonly: false, shareable: true }, []],
  ["phy:/dev/x,xvda,r!", { access: "r!", readonly: true, shareable: true }, []],
  ["phy:/dev/x,xvda,rw", { access: "w", readonly: false, shareable: false }, []],
  ["phy:/dev/x,xvda,ro", { access: "r", readonly: true, shareable: false }, []],
  ["phy:/dev/x,xvda", { access: "w", readonly: false, form: "xm" }, ["disk-access-defaulted"]],
  ["phy:/dev/x,xvda,", { access: "w" }, ["disk-access-defaulted"]],
  [",hdc:cdrom", { access: "r", readonly: true, path: null }, ["disk-access-defaulted"]],
  ["file:/x.iso,hdc:cdrom,w", { access: "r", readonly: true, devtype: "cdrom" }, ["disk-cdrom-readonly"]],
  ["file:/x.iso,hdc:cdrom,w!", { access: "r!", readonly: true, shareable: true }, ["disk-cdrom-readonly"]],
  // legacy xm: backend domain and protocol are accepted and do not change the disk
  ["phy:/dev/x,xvda,w,0", { path: "/dev/x", vdev: "xvda", access: "w", form: "xm" }, []],
  ["phy:/dev/x,xvda,w,Domain-0,x86_32-abi", { path: "/dev/x", vdev: "xvda", access: "w", form: "xm" }, []],
  // xl positional
  ["/dev/vg/x,,hda", { path: "/dev/vg/x", vdev: "hda", format: null, form: "xl" }, ["disk-access-defaulted"]],
  ["/dev/vg/x,qcow2,xvda,r", { path: "/dev/vg/x", format: "qcow2", readonly: true, form: "xl" }, []],
  ["/root/image.iso,,hdc,cdrom", { devtype: "cdrom", readonly: true }, ["disk-access-defaulted"]],
  [",empty,hdc:cdrom,r", { path: null, format: "empty", devtype: "cdrom", form: "xl" }, []],
  [",,hdc:cdrom,r", { path: null, format: null, devtype: "cdrom", form: "xl" }, []],
  // xl, like xend, takes an empty target followed by `vdev:cdrom` as an empty CD-ROM drive
  ["access=r,,xvdc:cdrom", { path: null, vdev: "xvdc", format: null, devtype: "cdrom", form: "xl" }, []],
  // xl key=value
  [
    "format=raw, vdev=hda, access=rw, target=/dev/vg/x",
    { path: "/dev/vg/x", vdev: "hda", access: "w", format: "raw", form: "xl" },
    [],
  ],
  ["vdev=xvda,access=w,target=/data/a,b,c.img", { path: "/data/a,b,c.img", vdev: "xvda" }, []],
  ["vdev=xvda,access=w,target=/data/a=b, c.img", { path: "/data/a=b, c.img" }, []],
  ["vdev=xvda,access=w,target=/x.img,", { path: "/x.img" }, []],
  ["backendtype=phy,vdev=xvdb,target=/dev/vg/x", { backend: "phy" }, ["disk-access-defaulted"]],
  ["backendtype=qdisk,vdev=xvdb,access=r,target=/x.img", { backend: "qdisk", readonly: true }, []],
  ["vdev=xvdb,devtype=cdrom,access=r,target=/x.iso", { devtype: "cdrom" }, []],
  ["vdev=xvdb,devtype=disk,access=r,target=/x.img", { devtype: "disk" }, []],
  [
    "vdev=xvda,access=w,script=block-iscsi,target=iqn.2001-05.com.example:x",
    { path: "iqn.2001-05.com.example:x", script: "block-iscsi", backend: null },
    [],
  ],
  [
    "direct-io-safe,colo,discard,no-discard,trusted,untrusted,vdev=xvda,access=w,target=/x",
    { path: "/x" },
    [],
  ],
  ["cdrom,vdev=hdc,target=/x.iso", { devtype: "cdrom", readonly: true }, ["disk-access-defaulted"]],
  ["vdev=hdc,access=r,devtype=cdrom,target=", { path: null, devtype: "cdrom" }, []],
  ["vdev=hdc,access=r,devtype=cdrom", { path: null, devtype: "cdrom" }, []],
  ["vdev=xvda,access=w,backend=driverdom,target=/x", { path: "/x" }, []],
  ["vdev=xvda,access=w,colour=blue,target=/x", { path: "/x" }, ["disk-parameter-unknown"]],
  // `scheme://` is no prefix to xl: the whole URL is the target and the format slot stays open
  [
    "http://host/x.iso,raw,hdc,r,devtype=cdrom",
    { path: "http://host/x.iso", format: "raw", vdev: "hdc", devtype: "cdrom", script: null },
    [],
  ],
  ["vdev=xvda,tap:aio:/x.img,w", { path: "/x.img", backend: "tap", format: "raw", access: "w" }, []],
];

/** Specs that are refused: disk null, and these codes (the error among them). */
const invalid: [spec: string, codes: string[]][] = [
  ["", ["disk-spec-empty"]],
  [" \t", ["disk-spec-empty"]],
  ["foo", ["disk-vdev-missing", "disk-access-defaulted"]],
  ["phy:/dev/x,xvda,rx", ["disk-access-invalid"]],
  ["phy:/dev/x,xvda,W", ["disk-access-invalid"]],
  ["phy:/dev/x,,w", ["disk-vdev-missing"]],
  ["phy:/dev/x,ioemu:,w", ["disk-vdev-missing"]],
  [",hda,w", ["disk-target-missing"]],
  ["file:,hda,w", ["disk-target-missing"]],
  ["tap:/x.img,xvda,w", ["disk-tap-subtype-missing", "disk-target-missing"]],
  ["/x.img,bogus,xvda", ["disk-format-invalid", "disk-access-defaulted"]],
  // without a type prefix this is xl's positional form, where "hda" is no format: both peers refuse it
  ["/x.img,hda,w", ["disk-format-invalid", "disk-access-defaulted"]],
  ["vdev=xvda,format=vmdk2,target=/x", ["disk-format-invalid", "disk-access-defaulted"]],
  ["vdev=xvda,access=w,devtype=floppy,target=/x", ["disk-devtype-invalid"]],
  ["/x.img,,xvda:floppy,w", ["disk-devtype-invalid"]],
  ["vdev=xvda,access=w,backendtype=nfs,target=/x", ["disk-backendtype-invalid"]],
  ["vdev=xvda,vdev=xvdb,access=w,target=/x", ["disk-parameter-repeated"]],
  ["script=block-iscsi,iscsi:iqn.x,xvda,w", ["disk-parameter-repeated"]],
  ["/x,raw,xvda,w,target=/y", ["disk-parameter-repeated"]],
  ["vdev=xvda,access=w,foo:/x", ["disk-prefix-unknown", "disk-target-missing"]],
  ["phy:/dev/x,xvda,w,0,x86_32-abi,extra", ["disk-spec-invalid"]],
  // a trailing comma is a sixth field: xend refused it too ("Invalid disk specifier")
  ["phy:/dev/x,xvda,w,0,x86_32-abi,", ["disk-spec-invalid"]],
  ["/x.img,raw,xvda,w,extra", ["disk-spec-invalid"]],
];

describe("parseDiskSpec: entries that read into a disk", () => {
  it.each(valid)("%j", (spec, fields, codes) => {
    const { disk, diagnostics } = parseDiskSpec(spec);
    expect(disk).toMatchObject({ ...fields, spec });
    expect(DiskSchema.parse(disk)).toEqual(disk);
    expect(diagnostics.map((d) => d.code)).toEqual(codes);
  });
});

describe("parseDiskSpec: entries that are refused", () => {
  it.each(invalid)("%j", (spec, codes) => {
    const { disk, diagnostics } = parseDiskSpec(spec);
    expect(disk).toBeNull();
    expect(diagnostics.map((d) => d.code).sort()).toEqual([...codes].sort());
    expect(diagnostics.some((d) => d.severity === "error")).toBe(true);
  });
});

describe("parseDiskSpec: diagnostics", () => {
  it("point at where the entry's string stands", () => {
    const at = { file: "VirtualMachines/vm1/vm.cfg", line: 7, column: 12 };
    const { diagnostics } = parseDiskSpec("phy:sda6,hda,w,", at);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "info", code: "disk-device-path-assumed", ...at });
  });

  it("point nowhere when no position is given", () => {
    expect(parseDiskSpec("foo").diagnostics[0]).toMatchObject({ file: null, line: null, column: null });
  });

  it("are errors exactly when the disk is refused, info for what was assumed", () => {
    expect(parseDiskSpec("phy:/dev/x,xvda").diagnostics[0]?.severity).toBe("info");
    expect(parseDiskSpec("file:/x.iso,hdc:cdrom,w").diagnostics[0]?.severity).toBe("info");
    expect(parseDiskSpec("foo:/x,xvda,w").diagnostics[0]?.severity).toBe("warning");
    expect(parseDiskSpec("phy:/dev/x,xvda,rx").diagnostics[0]?.severity).toBe("error");
  });
});
