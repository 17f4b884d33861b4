// The grammar passes chevrotain's own checks: the production parser skips them to start faster.
import { describe, expect, it } from "vitest";
import { VmCfgGrammar, vmCfgParser } from "../../src/parse/grammar.js";
import { vmCfgLexer } from "../../src/parse/lexer.js";

describe("the vm.cfg grammar", () => {
  it("passes chevrotain's grammar validations", () => {
    // The constructor (performSelfAnalysis) throws on an ambiguous or otherwise invalid grammar.
    expect(() => new VmCfgGrammar({ skipValidations: false })).not.toThrow();
  });

  it("reads a statement the same with validations on and off", () => {
    const validated = new VmCfgGrammar({ skipValidations: false });
    const tokens = vmCfgLexer.tokenize("disk = ['file:/a,xvda,w', (1, -2.5), {'k': [True, None]}]").tokens;
    const value = validated.read(tokens, "f");
    expect(value).toMatchObject({ kind: "list", line: 1, column: 8 });
    expect(value).toEqual(vmCfgParser.read(tokens, "f"));
    expect(validated.errors).toEqual([]);
    expect(validated.problems).toEqual([]);
  });
});
