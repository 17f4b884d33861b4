// rewriteVmCfg: only the edited literals change; comments, layout and every other value stay byte for byte.
import fc from "fast-check";
import { parseVmCfg, rewriteVmCfg, type VmCfgEdit } from "ovm-deps";
import { describe, expect, it } from "vitest";

const ORIGINAL = `# Guest web01, written by hand
name = "0004fb00000600001111111111111111"   # the folder id
uuid = '0004fb00-0006-0000-1111-111111111111'
OVM_simple_name = u'web01'
disk = [
    'file:/OVS/Repositories/R/VirtualDisks/a.img,xvda,w',   # system
    "file:/OVS/Repositories/R/VirtualDisks/"
        "b.img,xvdb,w",
    ',hdc:cdrom,r',
]
vif = ['mac=00:21:f6:00:00:01,bridge=xenbr0', 'bridge=xenbr1']
memory = 2048
`;

/** The text a rewrite gives, failing the test when it cannot be made. */
function rewritten(source: string, edits: VmCfgEdit[]): string {
  const result = rewriteVmCfg(source, edits);
  if (!result.ok) throw new Error(result.error);
  return result.text;
}

describe("rewriteVmCfg", () => {
  it("changes the edited values and nothing else: comments, quotes, prefixes and layout stay", () => {
    const text = rewritten(ORIGINAL, [
      { key: "uuid", value: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" },
      { key: "name", value: "aaaaaaaabbbbccccddddeeeeeeeeeeee" },
      { key: "OVM_simple_name", value: "web01-restored" },
      { key: "disk", item: 1, value: "file:/OVS/Repositories/R/VirtualDisks/new.img,xvdb,w" },
      { key: "vif", item: 0, value: "mac=00:21:f6:12:34:56,bridge=xenbr0" },
    ]);
    expect(text).toBe(`# Guest web01, written by hand
name = "aaaaaaaabbbbccccddddeeeeeeeeeeee"   # the folder id
uuid = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
OVM_simple_name = u'web01-restored'
disk = [
    'file:/OVS/Repositories/R/VirtualDisks/a.img,xvda,w',   # system
    "file:/OVS/Repositories/R/VirtualDisks/new.img,xvdb,w",
    ',hdc:cdrom,r',
]
vif = ['mac=00:21:f6:12:34:56,bridge=xenbr0', 'bridge=xenbr1']
memory = 2048
`);
    const before = parseVmCfg(ORIGINAL).config.values;
    const after = parseVmCfg(text);
    expect(after.ok).toBe(true);
    expect(after.config.values).toEqual({
      ...before,
      uuid: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
      name: "aaaaaaaabbbbccccddddeeeeeeeeeeee",
      OVM_simple_name: "web01-restored",
      disk: [
        "file:/OVS/Repositories/R/VirtualDisks/a.img,xvda,w",
        "file:/OVS/Repositories/R/VirtualDisks/new.img,xvdb,w",
        ",hdc:cdrom,r",
      ],
      vif: ["mac=00:21:f6:12:34:56,bridge=xenbr0", "bridge=xenbr1"],
    });
  });

  it("adds a key the file does not assign at its end, in the file's line endings", () => {
    const crlf = "name = 'a'\r\nmemory = 1\r\n";
    expect(rewritten(crlf, [{ key: "OVM_simple_name", value: "x" }])).toBe(
      "name = 'a'\r\nmemory = 1\r\nOVM_simple_name = 'x'\r\n",
    );
    expect(rewritten("name = 'a'", [{ key: "uuid", value: "u" }])).toBe("name = 'a'\nuuid = 'u'\n");
  });

  it("changes the last assignment of a repeated key: the one Python keeps", () => {
    const text = rewritten("name = 'a'\nname = 'b'\n", [{ key: "name", value: "c" }]);
    expect(text).toBe("name = 'a'\nname = 'c'\n");
    expect(parseVmCfg(text).config.values.name).toBe("c");
  });

  it("refuses a value that is not a string there, and an item a list does not have", () => {
    expect(rewriteVmCfg("memory = 1\n", [{ key: "memory", value: "2" }]).ok).toBe(false);
    expect(rewriteVmCfg("disk = ['a']\n", [{ key: "disk", item: 3, value: "b" }]).ok).toBe(false);
    expect(rewriteVmCfg("disk = [1]\n", [{ key: "disk", item: 0, value: "b" }]).ok).toBe(false);
    expect(rewriteVmCfg("\0binary", [{ key: "name", value: "b" }]).ok).toBe(false);
  });

  it("writes any value so that the file reads it back exactly, in either quote style", () => {
    const quoted = fc.constantFrom(
      "name = 'old'\n",
      'name = "old"\n',
      "name = u'old'  # c\n",
      "name = r'old'\n",
    );
    fc.assert(
      fc.property(quoted, fc.string({ unit: "binary" }), (source, value) => {
        fc.pre(!value.includes("\0"));
        const text = rewritten(source, [{ key: "name", value }]);
        const read = parseVmCfg(text);
        expect(read.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(read.config.values.name).toBe(value);
        // One line still: a line break in the value is written as an escape.
        expect(text.split("\n").length).toBe(source.split("\n").length);
      }),
    );
  });
});
