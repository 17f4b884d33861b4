// The grammar of one vm.cfg statement, `key = literal`: a chevrotain EmbeddedActionsParser, built
// once, whose actions build the Python values as it parses (no CST, no second walk over one).
import { EmbeddedActionsParser, type IToken } from "chevrotain";
import { type Diagnostic, diagnostic } from "../diagnostics.js";
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
  Operator,
  RBrace,
  RBracket,
  RParen,
  Sign,
  StringLiteral,
  UNTERMINATED,
} from "./lexer.js";
import { decodeNumber, decodeStringLiteral, LiteralProblem } from "./python-literal.js";
import { type PyNode, pyNode } from "./values.js";

const literalNames: Readonly<Record<string, boolean | null>> = { True: true, False: false, None: null };

/** True for `True`, `False` and `None`: the only names that are literals. */
export const isLiteralName = (name: string): boolean => Object.hasOwn(literalNames, name);

/** Items of an empty `[]` or `()`. */
const NO_ITEMS: ReadonlyArray<PyNode | null> = [];

/**
 * statement  := Name "=" expression ("," expression)* ","?      (a bare tuple when commas appear)
 * expression := Sign* atom                                      (Sign: "-" or "+")
 * atom       := StringLiteral+ | NumberLiteral | Name | list | parens | dict
 * list       := "[" (expression ("," expression)* ","?)? "]"
 * parens     := "(" (expression ("," expression)* ","?)? ")"     (a tuple unless one item, no comma)
 * dict       := "{" (entry ("," entry)* ","?)? "}"
 * entry      := expression ":" expression
 *
 * Every rule returns its value, or null when it has none; then `problems` says why (a name other
 * than True/False/None, a sign on a string, a bad escape…). Those problems matter only when the
 * statement parses: a syntax error (in `errors`) replaces them. Problems are found in the order of
 * the source: every item of a list or tuple is looked at, a dict only up to its first bad entry.
 */
export class VmCfgGrammar extends EmbeddedActionsParser {
  /** The problems of meaning of the statement just read. */
  problems: Diagnostic[] = [];
  private file: string | null = null;
  /** Above zero inside the rest of a dict after its first bad entry. */
  private muted = 0;
  /** Whether the last `expressionList` had a comma (it makes a tuple of one item). */
  private listHadComma = false;
  // An expression's signs all come before its atom, and any inner expression starts inside that
  // atom: the sign fields are copied to locals before the atom is read.
  private firstSign: IToken | undefined;
  private firstMinus: IToken | undefined;
  private firstPlus: IToken | undefined;
  private minusCount = 0;
  // Adjacent strings are read one token at a time; a string holds no other string.
  private stringValue = "";
  private stringFailed = false;

  /** `skipValidations`: skip chevrotain's grammar checks (the production parser; tests run them). */
  constructor(options: { skipValidations: boolean }) {
    super(allTokens, { maxLookahead: 3, skipValidations: options.skipValidations });
    this.performSelfAnalysis();
  }

  /** Read one statement's tokens (a logical line); the value, or null when it cannot be read. */
  read(tokens: IToken[], file: string | null): PyNode | null {
    this.input = tokens;
    this.file = file;
    // A new array only after problems (rare): the caller keeps the old one's diagnostics.
    if (this.problems.length > 0) this.problems = [];
    this.muted = 0;
    const value = this.statement();
    return this.errors.length > 0 ? null : value;
  }

  private problem(message: string, line: number, column: number): void {
    if (this.muted === 0)
      this.problems.push(diagnostic("error", "syntax-error", message, this.at(line, column)));
  }

  private at(line: number, column: number): { file: string | null; line: number; column: number } {
    return { file: this.file, line, column };
  }

  private statement = this.RULE("statement", (): PyNode | null => {
    this.CONSUME(Name);
    this.CONSUME(Equals);
    const first = this.LA(1);
    const items = this.SUBRULE(this.expressionList);
    if (this.RECORDING_PHASE) return null;
    // `key = a, b` is a tuple, placed where its first item starts.
    return this.listHadComma ? this.sequence("tuple", first, items) : items[0]!;
  });

  private expressionList = this.RULE("expressionList", (): Array<PyNode | null> => {
    const items = [this.SUBRULE(this.expression)];
    let comma = false;
    this.MANY(() => {
      this.CONSUME(Comma);
      items.push(this.SUBRULE2(this.expression));
      comma = true;
    });
    this.OPTION(() => {
      this.CONSUME2(Comma);
      comma = true;
    });
    this.listHadComma = comma;
    return items;
  });

  private expression = this.RULE("expression", (): PyNode | null => {
    this.firstSign = undefined;
    this.firstMinus = undefined;
    this.firstPlus = undefined;
    this.minusCount = 0;
    this.MANY(this.sign);
    // (Set by `sign`, which TypeScript does not see run.)
    const sign = this.firstSign as IToken | undefined;
    const minus = this.firstMinus as IToken | undefined;
    const plus = this.firstPlus as IToken | undefined;
    const negative = this.minusCount % 2 === 1;
    const atom = this.SUBRULE(this.atom);
    if (sign === undefined || atom === null || this.RECORDING_PHASE) return atom;
    if (atom.kind !== "int" && atom.kind !== "float" && atom.kind !== "bool") {
      const at = (minus ?? plus)!;
      this.problem("a sign applies to numbers only", at.startLine!, at.startColumn!);
      return null;
    }
    // A signed number stands where its first sign does.
    if (atom.kind === "float") {
      const value = atom.value as number;
      return pyNode("float", sign.startLine!, sign.startColumn!, negative ? -value : value);
    }
    const int = atom.kind === "bool" ? (atom.value ? 1n : 0n) : (atom.value as bigint);
    return pyNode("int", sign.startLine!, sign.startColumn!, negative ? -int : int);
  });

  /** One sign of an expression (a field, not a closure made for every expression). */
  private readonly sign = (): void => {
    const token = this.CONSUME(Sign);
    this.firstSign ??= token;
    if (token.tokenType === Minus) {
      this.firstMinus ??= token;
      this.minusCount++;
    } else {
      this.firstPlus ??= token;
    }
  };

  private atom = this.RULE("atom", (): PyNode | null => this.OR(this.atoms));

  /** The alternatives of `atom`, made once (an OR's array is otherwise made at every call). */
  private readonly atoms = [
    { ALT: (): PyNode | null => this.strings() },
    { ALT: (): PyNode | null => this.number() },
    { ALT: (): PyNode | null => this.name() },
    { ALT: (): PyNode | null => this.SUBRULE(this.list) },
    { ALT: (): PyNode | null => this.SUBRULE(this.parens) },
    { ALT: (): PyNode | null => this.SUBRULE(this.dict) },
  ];

  /** Adjacent string literals concatenate, as in Python. */
  private strings(): PyNode | null {
    const first = this.LA(1);
    this.stringValue = "";
    this.stringFailed = false;
    this.AT_LEAST_ONE(this.string);
    if (this.stringFailed) return null;
    return pyNode("str", first.startLine!, first.startColumn!, this.stringValue);
  }

  /** One string literal of `strings`: after the first bad one, the rest are only consumed. */
  private readonly string = (): void => {
    const token = this.CONSUME(StringLiteral);
    if (this.stringFailed || this.RECORDING_PHASE) return;
    this.stringFailed = true;
    if (token.payload === UNTERMINATED) {
      if (this.muted === 0) {
        this.problems.push(
          diagnostic(
            "error",
            "unterminated-string",
            "the string is never closed",
            this.at(token.startLine!, token.startColumn!),
          ),
        );
      }
      return;
    }
    const value = decodeStringLiteral(token.image);
    if (value instanceof LiteralProblem) {
      this.problem(value.problem, token.startLine!, token.startColumn!);
      return;
    }
    this.stringValue += value;
    this.stringFailed = false;
  };

  private number(): PyNode | null {
    const token = this.CONSUME(NumberLiteral);
    if (this.RECORDING_PHASE) return null;
    const value = decodeNumber(token.image);
    if (value instanceof LiteralProblem) {
      this.problem(value.problem, token.startLine!, token.startColumn!);
      return null;
    }
    return pyNode(typeof value === "bigint" ? "int" : "float", token.startLine!, token.startColumn!, value);
  }

  private name(): PyNode | null {
    const token = this.CONSUME(Name);
    if (this.RECORDING_PHASE) return null;
    if (!isLiteralName(token.image)) {
      if (this.muted === 0) this.problems.push(nonDeclarative(token, this.file));
      return null;
    }
    const value = literalNames[token.image]!;
    return pyNode(value === null ? "none" : "bool", token.startLine!, token.startColumn!, value);
  }

  private list = this.RULE("list", (): PyNode | null => {
    const opener = this.CONSUME(LBracket);
    const items = this.OPTION(this.items);
    this.CONSUME(RBracket);
    if (this.RECORDING_PHASE) return null;
    return this.sequence("list", opener, items ?? NO_ITEMS);
  });

  private parens = this.RULE("parens", (): PyNode | null => {
    const opener = this.CONSUME(LParen);
    const items = this.OPTION(this.items);
    const comma = this.listHadComma;
    this.CONSUME(RParen);
    if (this.RECORDING_PHASE) return null;
    // `(x)` is x; `(x,)` is a tuple.
    if (items !== undefined && items.length === 1 && !comma) return items[0]!;
    return this.sequence("tuple", opener, items ?? NO_ITEMS);
  });

  /** The items between brackets (a field, not a closure made for every list). */
  private readonly items = (): Array<PyNode | null> => this.SUBRULE(this.expressionList);

  /** A list or tuple at `opener`; null when an item has no value. */
  private sequence(
    kind: "list" | "tuple",
    opener: IToken,
    items: ReadonlyArray<PyNode | null>,
  ): PyNode | null {
    for (const item of items) if (item === null) return null;
    return pyNode(kind, opener.startLine!, opener.startColumn!, undefined, items as PyNode[]);
  }

  private dict = this.RULE("dict", (): PyNode | null => {
    const opener = this.CONSUME(LBrace);
    const entries: Array<[PyNode, PyNode]> = [];
    let failed = false;
    const add = (entry: [PyNode | null, PyNode | null]): void => {
      if (failed || this.RECORDING_PHASE) return;
      const [key, value] = entry;
      if (key !== null && value !== null) {
        if (key.kind !== "list" && key.kind !== "dict") {
          entries.push([key, value]);
          return;
        }
        this.problem(`a ${key.kind} cannot be a dict key`, key.line, key.column);
      }
      // The rest of this dict is parsed but not looked at: only its first problem is reported.
      failed = true;
      this.muted++;
    };
    this.OPTION(() => {
      add(this.SUBRULE(this.entry));
      this.MANY(() => {
        this.CONSUME(Comma);
        add(this.SUBRULE2(this.entry));
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBrace);
    if (failed) this.muted--;
    if (failed || this.RECORDING_PHASE) return null;
    return pyNode("dict", opener.startLine!, opener.startColumn!, undefined, undefined, entries);
  });

  private entry = this.RULE("entry", (): [PyNode | null, PyNode | null] => {
    const key = this.SUBRULE(this.expression);
    this.CONSUME(Colon);
    const value = this.SUBRULE2(this.expression);
    return [key, value];
  });
}

/** The diagnostic of Python code where a literal should be: a name, an operator, a dot. */
export function nonDeclarative(token: IToken, file: string | null): Diagnostic {
  const what =
    token.tokenType === Name
      ? `"${token.image}" is a Python name, not a literal`
      : token.tokenType === Operator
        ? `"${token.image}" is a Python operator${token.image === "%" ? " (string formatting)" : ""}`
        : `"${token.image}" is Python code`;
  return diagnostic("error", "non-declarative", `${what}: non-declarative Python is never executed`, {
    file,
    line: token.startLine ?? null,
    column: token.startColumn ?? null,
  });
}

/** The parser, built once and reused, without chevrotain's grammar checks (a test runs them). */
export const vmCfgParser = new VmCfgGrammar({ skipValidations: true });
