// The targeted restore's byte prefilter: what it must never rule out (a vm.cfg that could name a file otherwise
// than as written, or describe no guest), and what plain vm.cfg files it leaves alone.
import { describe, expect, it } from "vitest";
import { ConfigTexts, joinsLiterals } from "../../src/scan/mentions.js";

const PLAIN =
  "name = 'web01'\nuuid = '0004fb00-0006-0000-0000-00000000000a'\nOVM_description = ''\ndisk = ['file:/OVS/Repositories/R/VirtualDisks/a.img,xvda,w', 'file:/OVS/Repositories/R/VirtualDisks/b.img,xvdb,w']\n";

/** The files `always` says must be parsed, of one file per text. */
function always(texts: Record<string, string>, repositories = ["R"]): string[] {
  const configs = new Map(Object.entries(texts).map(([ref, text]) => [ref, Buffer.from(text, "latin1")]));
  return [...new ConfigTexts(configs).always(new Set(repositories))].sort();
}

describe("joinsLiterals", () => {
  it("finds string literals Python joins, however they are spaced, commented or prefixed", () => {
    for (const text of [
      "disk = ['file:/x/a' '.img,xvda,w']",
      "disk = ['file:/x/a'\n  '.img,xvda,w']",
      "disk = ['file:/x/a' # half\n  '.img,xvda,w']",
      "disk = ['file:/x/a' u'.img,xvda,w']",
      'disk = ["file:/x/a"".img,xvda,w"]',
      "name = 'web01",
    ])
      expect(joinsLiterals(text), text).toBe(true);
  });
  it("leaves apart literals separated by commas, and empty strings", () => {
    for (const text of [
      PLAIN,
      "disk = ['a', 'b']\nboot = 'dc'\n",
      "x = ''\nbuilder = 'hvm'\n",
      "# it's 'quoted'\n",
    ])
      expect(joinsLiterals(text), text).toBe(false);
  });
});

describe("ConfigTexts.always", () => {
  it("leaves a plain vm.cfg alone", () => {
    expect(always({ plain: PLAIN })).toEqual([]);
  });
  it("parses whatever a byte search cannot rule out", () => {
    const cases: Record<string, string> = {
      escape: PLAIN.replace("VirtualDisks/a", "VirtualDisks\\x2fa"),
      nonAscii: PLAIN.replace("web01", "wéb01"),
      triple: `${PLAIN}x = '''a'''\n`,
      joined: PLAIN.replace("a.img,", "a' '.img,"),
      qcow: PLAIN.replace("file:", "tap:qcow2:"),
      unscanned: PLAIN.replace("Repositories/R/VirtualDisks/b", "Repositories/Other/VirtualDisks/b"),
      dotDot: PLAIN.replace("VirtualDisks/a", "VirtualDisks/../VirtualDisks/a"),
      noIdentity: "memory = 512\n",
      nameTwice: `${PLAIN}name = None\nuuid = None\n`,
      uuidOnly: "uuid = 'x'\nuuid = 'y'\n",
    };
    expect(always({ plain: PLAIN, ...cases })).toEqual(Object.keys(cases).sort());
  });
  it("finds a name and a uuid in any file, dashes and case aside for the uuid", () => {
    const texts = new ConfigTexts(
      new Map([
        ["a", Buffer.from(PLAIN)],
        ["b", Buffer.from("uuid = '0004FB0000060000000000000000000A'\n")],
        ["c", null],
      ]),
    );
    const found = new Set<string>();
    texts.containingUuid("0004fb00-0006-0000-0000-00000000000a", found);
    expect([...found].sort()).toEqual(["a", "b"]);
    const named = new Set<string>();
    texts.containing("b.img", named);
    expect([...named]).toEqual(["a"]);
  });
});
