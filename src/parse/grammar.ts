// The grammar of one vm.cfg statement (a pure chevrotain CstParser, built once): `key = literal`.
import { CstParser } from "chevrotain";
import {
  allTokens,
  Colon,
  Comma,
  Equals,
  LBrace,
  LBracket,
  LParen,
  Minus,
  Name,
  NumberLiteral,
  Plus,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
} from "./lexer.js";

/**
 * statement  := Name "=" expression ("," expression)* ","?      (a bare tuple when commas appear)
 * expression := ("-" | "+")* atom
 * atom       := StringLiteral+ | NumberLiteral | Name | list | parens | dict
 * list       := "[" (expression ("," expression)* ","?)? "]"
 * parens     := "(" (expression ("," expression)* ","?)? ")"     (a tuple unless one item, no comma)
 * dict       := "{" (entry ("," entry)* ","?)? "}"
 * entry      := expression ":" expression
 * Names other than True/False/None are accepted here and rejected by the reader with a position.
 */
class VmCfgGrammar extends CstParser {
  constructor() {
    super(allTokens, { maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  statement = this.RULE("statement", () => {
    this.CONSUME(Name);
    this.CONSUME(Equals);
    this.SUBRULE(this.expressionList);
  });

  private expressionList = this.RULE("expressionList", () => {
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.expression);
    });
    this.OPTION(() => this.CONSUME2(Comma));
  });

  private expression = this.RULE("expression", () => {
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(Minus) }, { ALT: () => this.CONSUME(Plus) }]));
    this.SUBRULE(this.atom);
  });

  private atom = this.RULE("atom", () => {
    this.OR([
      { ALT: () => this.AT_LEAST_ONE(() => this.CONSUME(StringLiteral)) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(Name) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.parens) },
      { ALT: () => this.SUBRULE(this.dict) },
    ]);
  });

  private list = this.RULE("list", () => {
    this.CONSUME(LBracket);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(RBracket);
  });

  private parens = this.RULE("parens", () => {
    this.CONSUME(LParen);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(RParen);
  });

  private dict = this.RULE("dict", () => {
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.entry);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.entry);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBrace);
  });

  private entry = this.RULE("entry", () => {
    this.SUBRULE(this.expression);
    this.CONSUME(Colon);
    this.SUBRULE2(this.expression);
  });
}

/** The parser, built once and reused (`parser.input = tokens`). */
export const vmCfgParser = new VmCfgGrammar();
