// Each problem once, as data: the library folds and references, and never filters.
import { atLeast, type Diagnostic, eachProblemOnce, withReferences } from "ovm-deps";
import { describe, expect, it } from "vitest";

const LINK = "/r/VirtualDisks/a.img";
const about = (severity: Diagnostic["severity"], file: string, line: number): Diagnostic => ({
  severity,
  code: "dangling-symlink",
  message: "VirtualDisks/a.img is a symbolic link to /r/gone, which does not exist",
  file,
  line,
  column: 9,
  subject: LINK,
});

describe("eachProblemOnce", () => {
  it("folds vm.cfg diagnostics about a file into one about it, as severe as the most severe", () => {
    const once = eachProblemOnce(
      [],
      [about("warning", "/r/VirtualMachines/a/vm.cfg", 2), about("error", "/r/VirtualMachines/b/vm.cfg", 3)],
    );
    expect(once).toEqual([
      {
        severity: "error",
        code: "dangling-symlink",
        message: "VirtualDisks/a.img is a symbolic link to /r/gone, which does not exist",
        file: LINK,
        line: null,
        column: null,
        references: [
          { file: "/r/VirtualMachines/a/vm.cfg", line: 2, column: 9 },
          { file: "/r/VirtualMachines/b/vm.cfg", line: 3, column: 9 },
        ],
      },
    ]);
  });

  it("folds them into the scan's own diagnostic about the file, and keeps the others as they are", () => {
    const own: Diagnostic = { ...about("warning", LINK, 1), line: null, column: null };
    delete own.subject;
    const other: Diagnostic = {
      ...own,
      code: "duplicate-key",
      severity: "info",
      file: "/r/x/vm.cfg",
      line: 1,
    };
    const once = eachProblemOnce([own], [about("warning", "/r/VirtualMachines/a/vm.cfg", 2), other]);
    expect(once.map((d) => [d.file, d.references?.length])).toEqual([
      [LINK, 1],
      ["/r/x/vm.cfg", undefined],
    ]);
  });
});

describe("withReferences and atLeast", () => {
  it("references without dropping or merging anything", () => {
    const own: Diagnostic = { ...about("warning", LINK, 1), line: null, column: null };
    delete own.subject;
    const unrelated: Diagnostic = { ...own, file: "/r/VirtualDisks/b.img" };
    const referenced = withReferences([own, unrelated], [about("warning", "/r/VirtualMachines/a/vm.cfg", 2)]);
    expect(referenced).toHaveLength(2);
    expect(referenced[0]!.references).toEqual([{ file: "/r/VirtualMachines/a/vm.cfg", line: 2, column: 9 }]);
    expect(referenced[1]).toBe(unrelated);
  });

  it("compares severities", () => {
    expect(atLeast({ severity: "warning" }, "warning")).toBe(true);
    expect(atLeast({ severity: "info" }, "warning")).toBe(false);
    expect(atLeast({ severity: "error" }, "warning")).toBe(true);
  });
});
