// Each rule of `check` on hand-built estates: a case where it must fire and cases where it must not.
import { type CheckResult, checkEstate, type Finding, type ScanResult } from "ovm-deps";
import { describe, expect, it } from "vitest";
import { disk, estate, file, owner, repo } from "./helpers.js";

/** The findings of one rule, as subject and location only. */
function findingsOf(scan: ScanResult, ruleId: string): Partial<Finding>[] {
  const result: CheckResult = checkEstate(scan);
  return result.findings
    .filter((finding) => finding.ruleId === ruleId)
    .map(({ repository, file, line, source, severity }) => ({ repository, file, line, source, severity }));
}

const error = (line: number) => ({
  severity: "error" as const,
  code: "syntax",
  message: "bad",
  file: "/estate/G/VirtualMachines/a/vm.cfg",
  line,
  column: 1,
});

describe("parse-error", () => {
  it("fires on a vm.cfg with an error diagnostic, at its first error line", () => {
    const broken = owner("G", "a", [], { ok: false, diagnostics: [error(7), error(9)] });
    expect(findingsOf(estate([repo("G", [])], [broken]), "parse-error")).toEqual([
      { repository: "G", file: "VirtualMachines/a/vm.cfg", line: 7, source: null, severity: "error" },
    ]);
  });

  it("does not fire on a readable vm.cfg with only warnings", () => {
    const fine = owner("G", "a", [], { diagnostics: [{ ...error(2), severity: "warning" }] });
    expect(findingsOf(estate([repo("G", [])], [fine]), "parse-error")).toEqual([]);
  });
});

describe("missing-disk", () => {
  it("fires once per missing file, in the repository the path points into, sourced at the first user's line", () => {
    const gone = (line: number) => disk("T", "VirtualDisks/gone.img", { present: false, bytes: null, line });
    const scan = estate(
      [repo("G", []), repo("T", [])],
      [owner("G", "b", [gone(5)]), owner("G", "a", [gone(3)])],
    );
    expect(findingsOf(scan, "missing-disk")).toEqual([
      {
        repository: "T",
        file: "VirtualDisks/gone.img",
        line: null,
        source: { repository: "G", file: "VirtualMachines/a/vm.cfg", line: 3 },
        severity: "error",
      },
    ]);
  });

  it("does not fire when the file is there", () => {
    const scan = estate(
      [repo("G", [file("VirtualDisks/a.img")])],
      [owner("G", "a", [disk("G", "VirtualDisks/a.img")])],
    );
    expect(findingsOf(scan, "missing-disk")).toEqual([]);
  });
});

describe("orphan-disk", () => {
  const files = [
    file("VirtualDisks/used.img"),
    file("VirtualDisks/lost.img"),
    file("VirtualDisks/t.img.CLONE"),
  ];

  it("fires on each VirtualDisks file nobody references, clone leftovers included", () => {
    const scan = estate([repo("G", files)], [owner("G", "a", [disk("G", "VirtualDisks/used.img")])]);
    const result = checkEstate(scan).findings.filter((f) => f.ruleId === "orphan-disk");
    expect(result.map((f) => [f.repository, f.file, f.severity])).toEqual([
      ["G", "VirtualDisks/lost.img", "warning"],
      ["G", "VirtualDisks/t.img.CLONE", "warning"],
    ]);
    expect(result.some((f) => /uncertain/.test(f.message))).toBe(false);
    expect(result.some((f) => /delet|remov/i.test(f.message))).toBe(false);
  });

  it("says the finding is uncertain when a vm.cfg could not be read", () => {
    const unreadable = owner("G", "x", [], { ok: false, diagnostics: [error(1)] });
    const scan = estate(
      [repo("G", files)],
      [owner("G", "a", [disk("G", "VirtualDisks/used.img")]), unreadable],
    );
    const orphans = checkEstate(scan).findings.filter((f) => f.ruleId === "orphan-disk");
    expect(orphans).toHaveLength(2);
    expect(orphans.every((f) => /uncertain/.test(f.message))).toBe(true);
  });

  it("does not fire on disks used by a template, by a guest of another repository, or by an unreadable vm.cfg", () => {
    const scan = estate(
      [
        repo("G", []),
        repo("T", [file("VirtualDisks/t.img"), file("VirtualDisks/x.img"), file("VirtualDisks/p.img")]),
      ],
      [
        owner("T", "tpl", [disk("T", "VirtualDisks/t.img")], { type: "template" }),
        owner("G", "a", [disk("T", "VirtualDisks/x.img")]),
        owner("G", "b", [disk("T", "VirtualDisks/p.img")], { ok: false, diagnostics: [error(2)] }),
      ],
    );
    expect(findingsOf(scan, "orphan-disk")).toEqual([]);
  });

  it("does not fire outside VirtualDisks/, on a link that stays inside, nor on VirtualDisks itself as a link", () => {
    const scan = estate([
      repo("G", [
        file("ISOs/os.iso"),
        file("VirtualDisks/alias.img", { type: "symlink", linkTarget: null }),
        file("VirtualDisks", { type: "symlink", linkTarget: "/EXAVMIMAGES/GuestImages" }),
      ]),
    ]);
    expect(findingsOf(scan, "orphan-disk")).toEqual([]);
  });
});

describe("shared-disk", () => {
  it("fires once on a virtual disk used by two guests", () => {
    const shared = disk("G", "VirtualDisks/s.img", { access: "w!", shareable: true });
    const scan = estate(
      [repo("G", [file("VirtualDisks/s.img")])],
      [owner("G", "a", [shared]), owner("G", "b", [shared])],
    );
    expect(findingsOf(scan, "shared-disk")).toEqual([
      { repository: "G", file: "VirtualDisks/s.img", line: null, source: null, severity: "warning" },
    ]);
  });

  it("names each user as people know it, next to its owner reference", () => {
    const shared = disk("G", "VirtualDisks/s.img");
    const scan = estate(
      [repo("G", [file("VirtualDisks/s.img")])],
      [
        owner("G", "a", [shared], { simpleName: "web01" }),
        owner("G", "b", [shared], { simpleName: null, name: "db" }),
      ],
    );
    const [finding] = checkEstate(scan).findings.filter((f) => f.ruleId === "shared-disk");
    expect(finding?.message).toMatch(/: web01 \(G\/VirtualMachines\/a\), db \(G\/VirtualMachines\/b\)$/);
  });

  it("tells a disk every user declares shareable (w!) from an accidental one", () => {
    const declared = (access: "w" | "w!") => {
      const shared = disk("G", "VirtualDisks/s.img", { access, shareable: access === "w!" });
      const scan = estate(
        [repo("G", [file("VirtualDisks/s.img")])],
        [owner("G", "a", [shared]), owner("G", "b", [shared])],
      );
      const [finding] = checkEstate(scan).findings.filter((f) => f.ruleId === "shared-disk");
      return finding?.message.includes("declares it shareable");
    };
    expect(declared("w!")).toBe(true);
    expect(declared("w")).toBe(false);
  });

  it("does not fire on one guest using a disk twice, nor on an ISO used by several", () => {
    const scan = estate(
      [repo("G", [file("VirtualDisks/s.img"), file("ISOs/os.iso")])],
      [
        owner("G", "a", [disk("G", "VirtualDisks/s.img"), disk("G", "VirtualDisks/s.img", { vdev: "xvdb" })]),
        owner("G", "b", [disk("G", "ISOs/os.iso", { devtype: "cdrom" })]),
        owner("G", "c", [disk("G", "ISOs/os.iso", { devtype: "cdrom" })]),
      ],
    );
    expect(findingsOf(scan, "shared-disk")).toEqual([]);
  });
});

describe("cross-repository-disk", () => {
  it("fires on the vm.cfg of a guest with a virtual disk in another repository, at that disk's line", () => {
    const scan = estate(
      [repo("G", [file("VirtualDisks/a.img")]), repo("T", [file("VirtualDisks/x.img")])],
      [
        owner("G", "a", [
          disk("G", "VirtualDisks/a.img", { line: 3 }),
          disk("T", "VirtualDisks/x.img", { line: 6 }),
        ]),
      ],
    );
    expect(findingsOf(scan, "cross-repository-disk")).toEqual([
      { repository: "G", file: "VirtualMachines/a/vm.cfg", line: 6, source: null, severity: "warning" },
    ]);
  });

  it("does not fire on an ISO from a resources repository nor on disks of its own repository", () => {
    const scan = estate(
      [repo("G", [file("VirtualDisks/a.img")]), repo("T", [file("ISOs/os.iso")])],
      [owner("G", "a", [disk("G", "VirtualDisks/a.img"), disk("T", "ISOs/os.iso", { devtype: "cdrom" })])],
    );
    expect(findingsOf(scan, "cross-repository-disk")).toEqual([]);
  });
});

describe("duplicate-uuid", () => {
  it("fires on each vm.cfg sharing a uuid, whatever its dashes and case", () => {
    const scan = estate(
      [repo("G", []), repo("H", [])],
      [
        owner("G", "a", [], { uuid: "0004fb00-0006-0000-aaaa-000000000001" }),
        owner("H", "a", [], { uuid: "0004FB0000060000AAAA000000000001" }),
      ],
    );
    expect(findingsOf(scan, "duplicate-uuid").map((f) => [f.repository, f.file])).toEqual([
      ["G", "VirtualMachines/a/vm.cfg"],
      ["H", "VirtualMachines/a/vm.cfg"],
    ]);
  });

  it("does not fire on distinct uuids nor on vm.cfg files without one", () => {
    const scan = estate(
      [repo("G", [])],
      [
        owner("G", "a", []),
        owner("G", "b", []),
        owner("G", "c", [], { uuid: null }),
        owner("G", "d", [], { uuid: null }),
      ],
    );
    expect(findingsOf(scan, "duplicate-uuid")).toEqual([]);
  });
});

describe("guest-in-resource-repository", () => {
  it("fires on a guest's vm.cfg in a resources repository", () => {
    const scan = estate([repo("T", [], { role: "resources" })], [owner("T", "a", [])]);
    expect(findingsOf(scan, "guest-in-resource-repository")).toEqual([
      { repository: "T", file: "VirtualMachines/a/vm.cfg", line: null, source: null, severity: "error" },
    ]);
  });

  it("does not fire on a template there, nor on a guest in a repository without a role", () => {
    const scan = estate(
      [repo("T", [], { role: "resources" }), repo("X", [])],
      [owner("T", "tpl", [], { type: "template" }), owner("X", "a", [])],
    );
    expect(findingsOf(scan, "guest-in-resource-repository")).toEqual([]);
  });
});

describe("resource-in-guest-repository", () => {
  const resources = [
    file("ISOs/os.iso"),
    file("Assemblies/asm/package.ova"),
    file("Assemblies/asm/disk.img"),
  ];

  it("fires on a template's vm.cfg, each assembly file and each ISO in a guests repository", () => {
    const scan = estate(
      [repo("G", resources, { role: "guests" })],
      [owner("G", "tpl", [], { type: "template" })],
    );
    expect(findingsOf(scan, "resource-in-guest-repository").map((f) => f.file)).toEqual([
      "Assemblies/asm/disk.img",
      "Assemblies/asm/package.ova",
      "ISOs/os.iso",
      "Templates/tpl/vm.cfg",
    ]);
  });

  it("does not fire in a resources repository nor in one without a role", () => {
    const scan = estate(
      [repo("T", resources, { role: "resources" }), repo("X", resources)],
      [owner("T", "tpl", [], { type: "template" }), owner("X", "tpl", [], { type: "template" })],
    );
    expect(findingsOf(scan, "resource-in-guest-repository")).toEqual([]);
  });
});

describe("unsafe-symlink", () => {
  it("fires on a link that leaves its repository", () => {
    const link = file("VirtualDisks/exa.img", {
      type: "symlink",
      linkTarget: "/EXAVMIMAGES/GuestImages/a/System.img",
    });
    expect(findingsOf(estate([repo("G", [link])]), "unsafe-symlink")).toEqual([
      { repository: "G", file: "VirtualDisks/exa.img", line: null, source: null, severity: "error" },
    ]);
  });

  it("fires on a vm.cfg that is such a link", () => {
    const linked = owner("G", "a", [], { ok: false, configLinkTarget: "/etc/hostname" });
    expect(findingsOf(estate([repo("G", [])], [linked]), "unsafe-symlink")).toEqual([
      { repository: "G", file: "VirtualMachines/a/vm.cfg", line: null, source: null, severity: "error" },
    ]);
  });

  it("does not fire on a link that stays inside, nor on a plain file", () => {
    const inside = file("VirtualDisks/alias.img", { type: "symlink", linkTarget: null });
    expect(findingsOf(estate([repo("G", [inside, file("VirtualDisks/a.img")])]), "unsafe-symlink")).toEqual(
      [],
    );
  });
});

describe("hard-linked-disk", () => {
  const linked = (path: string, links: number) => file(path, { device: 7, inode: 4242, links });

  it("fires on a used file with other names, naming those in the scan and counting those outside", () => {
    const scan = estate(
      [repo("G", [linked("VirtualDisks/a.img", 3), linked("VirtualDisks/b.img", 3)])],
      [owner("G", "vm1", [disk("G", "VirtualDisks/a.img")])],
    );
    const found = checkEstate(scan).findings.filter((f) => f.ruleId === "hard-linked-disk");
    expect(found.map((f) => [f.repository, f.file, f.severity, f.message])).toEqual([
      [
        "G",
        "VirtualDisks/a.img",
        "warning",
        "VirtualDisks/a.img has 3 names (hard links): also G/VirtualDisks/b.img, 1 name(s) outside the scanned repositories",
      ],
    ]);
  });

  it("does not fire on a file with one name, nor on an unused one", () => {
    const scan = estate(
      [repo("G", [file("VirtualDisks/a.img"), file("VirtualDisks/c.img", { links: 2 })])],
      [owner("G", "vm1", [disk("G", "VirtualDisks/a.img")])],
    );
    expect(findingsOf(scan, "hard-linked-disk")).toEqual([]);
  });
});
