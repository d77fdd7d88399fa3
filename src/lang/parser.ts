// The formula grammar as one Chevrotain CstParser. The rules read like the grammar in
// docs/language.md, from the loosest operator (`or`) to the tightest (a primary).
//
// The grammar is a little more permissive than the language in three places, so that the
// AST builder can say precisely what is wrong instead of a generic syntax error:
// comparisons may be chained (`a < b < c`, reported as KPI0209), any call may carry aggregate
// clauses (reported as KPI0210 unless it is `table.fn(...)`), and `at` may be followed by any
// name or literal (anything but `start` or `end` is KPI0206).

import type { CstNode, IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { CstParser } from './chevrotain.js';
import * as T from './tokens.js';

/**
 * The parser's error messages are not shown as they are: each is a small JSON record of what
 * was expected and found, which parse.ts turns into a sentence in plain words.
 */
export type SyntaxErrorRecord =
  | { kind: 'mismatch'; expected: string; rule: string }
  | { kind: 'no_viable_alt'; expected: string[]; rule: string }
  | { kind: 'early_exit'; expected: string[]; rule: string }
  | { kind: 'not_all_input'; rule: string };

function firstTokens(paths: TokenType[][]): string[] {
  return paths.filter((p) => p.length > 0).map((p) => p[0].name);
}

const errorRecorder: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: 'mismatch', expected: expected.name, rule: ruleName } satisfies SyntaxErrorRecord),
  buildNotAllInputParsedMessage: ({ ruleName }) =>
    JSON.stringify({ kind: 'not_all_input', rule: ruleName } satisfies SyntaxErrorRecord),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({
      kind: 'no_viable_alt',
      expected: expectedPathsPerAlt.flatMap(firstTokens),
      rule: ruleName,
    } satisfies SyntaxErrorRecord),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({
      kind: 'early_exit',
      expected: firstTokens(expectedIterationPaths),
      rule: ruleName,
    } satisfies SyntaxErrorRecord),
};

export class FormulaParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: errorRecorder });
    this.performSelfAnalysis();
  }

  /** formula := expression EOF */
  public formula = this.RULE('formula', () => {
    this.SUBRULE(this.expression);
  });

  /** expression := andExpr ( 'or' andExpr )* */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpr, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.Or, { LABEL: 'operators' });
      this.SUBRULE2(this.andExpr, { LABEL: 'operands' });
    });
  });

  /** andExpr := notExpr ( 'and' notExpr )* */
  private andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.And, { LABEL: 'operators' });
      this.SUBRULE2(this.notExpr, { LABEL: 'operands' });
    });
  });

  /** notExpr := 'not' notExpr | comparison */
  private notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  /** comparison := additive comparisonTail?   (a second tail is parsed, then reported) */
  private comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive);
    this.MANY(() => this.SUBRULE(this.comparisonTail));
  });

  /**
   * comparisonTail := compareOp additive
   *                 | 'is' 'not'? 'null'
   *                 | 'not'? 'in' '[' expression ( ',' expression )* ']'
   */
  private comparisonTail = this.RULE('comparisonTail', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Equals, { LABEL: 'compareOp' }) },
            { ALT: () => this.CONSUME(T.NotEquals, { LABEL: 'compareOp' }) },
            { ALT: () => this.CONSUME(T.LessEquals, { LABEL: 'compareOp' }) },
            { ALT: () => this.CONSUME(T.GreaterEquals, { LABEL: 'compareOp' }) },
            { ALT: () => this.CONSUME(T.Less, { LABEL: 'compareOp' }) },
            { ALT: () => this.CONSUME(T.Greater, { LABEL: 'compareOp' }) },
          ]);
          this.SUBRULE(this.additive);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.OPTION(() => this.CONSUME(T.Not));
          this.CONSUME(T.Null);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(T.Not));
          this.CONSUME(T.In);
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.expression, { LABEL: 'values' });
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.expression, { LABEL: 'values' });
          });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });

  /** additive := multiplicative ( ( '+' | '-' ) multiplicative )* */
  private additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.multiplicative, { LABEL: 'operands' });
    });
  });

  /** multiplicative := unary ( ( '*' | '/' ) unary )* */
  private multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  /** unary := '-' unary | primary */
  private unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  /** primary := literal | '(' expression ')' | caseExpr | reference */
  private primary = this.RULE('primary', () => {
    this.OR([
      {
        // `12 months`: a number followed by a name is an interval (the unit is checked later).
        ALT: () => {
          this.CONSUME(T.NumberLiteral, { LABEL: 'literal' });
          this.OPTION(() => this.CONSUME(T.Identifier, { LABEL: 'unit' }));
        },
      },
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.True, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.False, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Null, { LABEL: 'literal' }) },
      // Mistakes lexed as literals, each reported by the AST builder with its own code.
      { ALT: () => this.CONSUME(T.BadNumber, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.UnterminatedString, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.DoubleQuotedString, { LABEL: 'literal' }) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.reference) },
    ]);
  });

  /** parenthesized := '(' expression ')' */
  private parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** caseExpr := 'case' ( 'when' expression 'then' expression )+ ( 'else' expression )? 'end' */
  private caseExpr = this.RULE('caseExpr', () => {
    this.CONSUME(T.Case);
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression, { LABEL: 'whens' });
      this.CONSUME(T.Then);
      this.SUBRULE2(this.expression, { LABEL: 'thens' });
    });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE3(this.expression, { LABEL: 'else' });
    });
    this.CONSUME(T.End);
  });

  /**
   * reference := name                          a measure, KPI or column
   *            | name '(' arguments ')'        a function call
   *            | name '.' name                 table.column
   *            | name '.' name '(' arguments ')'  table.aggregate(...)
   */
  private reference = this.RULE('reference', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.argumentList) },
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME2(T.Identifier, { LABEL: 'member' });
            this.OPTION2(() => this.SUBRULE2(this.argumentList));
          },
        },
      ]);
    });
  });

  /** arguments := '(' ( expression ( ',' expression )* )? clause* ')' */
  private argumentList = this.RULE('argumentList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'args' });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression, { LABEL: 'args' });
      });
    });
    this.MANY2(() => this.SUBRULE(this.clause));
    this.CONSUME(T.RParen);
  });

  /**
   * clause := 'where' expression | 'on' name | 'during'
   *         | 'at' ( 'start' | 'end' | 'last' | 'first' ) [ 'per' name ]
   *         | 'over' ( interval | grain 'to' 'date' | 'all' 'time' )
   */
  private clause = this.RULE('clause', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Where);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.On);
          this.CONSUME(T.Identifier, { LABEL: 'column' });
        },
      },
      { ALT: () => this.CONSUME(T.During) },
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.OPTION(() => {
            this.OR2([
              { ALT: () => this.CONSUME(T.End, { LABEL: 'edge' }) },
              { ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'edge' }) },
              { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'edge' }) },
              { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'edge' }) },
            ]);
          });
          // `at last per account_id` (the words are checked by the AST builder).
          this.OPTION2(() => {
            this.CONSUME3(T.Identifier, { LABEL: 'per' });
            this.OPTION3(() => this.CONSUME4(T.Identifier, { LABEL: 'perColumn' }));
          });
        },
      },
      {
        // `over 12 months`, `over year to date`, `over all time` (the words are checked later).
        ALT: () => {
          this.CONSUME(T.Over);
          this.OPTION4(() => this.CONSUME2(T.NumberLiteral, { LABEL: 'count' }));
          this.MANY(() => this.CONSUME5(T.Identifier, { LABEL: 'words' }));
        },
      },
    ]);
  });
}

/** One parser, built once: Chevrotain parsers are reused by resetting `input`. */
export const formulaParser = new FormulaParser();

export function parseTokens(tokens: IToken[]): { cst: CstNode; errors: FormulaParser['errors'] } {
  formulaParser.input = tokens;
  const cst = formulaParser.formula();
  return { cst, errors: formulaParser.errors };
}
