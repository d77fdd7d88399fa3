// CST → AST: one function per grammar rule, each returning the expression and its extent (the
// text it covers, parentheses included). Spans of AST nodes are built from extents, so that in
// `(a + b) * c` the product covers `(a + b) * c` and the sum covers `a + b`.
//
// This runs only on a CST that parsed without syntax errors. It reports the mistakes the grammar
// deliberately lets through (see parser.ts): chained comparisons, clauses on a plain call,
// repeated clauses and a bad `at`. Literal-shaped mistakes (double-quoted strings and the like)
// are reported from the token stream by parse.ts; here they only become placeholder literals.

import type { CstNode, IToken } from 'chevrotain';
import { diagnosticAt, type Diagnostic, type Result, type TextOrigin } from '../diagnostics/diagnostic.js';
import type { AtClause, BinaryOp, CaseWhen, Expr, IntervalUnit, OnClause, OverClause, Span } from './ast.js';
import * as T from './tokens.js';

interface Parsed {
  expr: Expr;
  extent: Span;
}

type Child = CstNode | IToken;

/** The codes this file reports; parse.ts lists them with the others in ParseCodes. */
export const Codes = {
  repeatedClause: 'KPI0205',
  atNeedsEdge: 'KPI0206',
  chainedComparison: 'KPI0209',
  clauseOnPlainCall: 'KPI0210',
  badInterval: 'KPI0230',
  badOver: 'KPI0231',
  badPer: 'KPI0232',
} as const;

const INTERVAL_UNITS: Record<string, IntervalUnit> = {
  day: 'day', days: 'day', week: 'week', weeks: 'week', month: 'month', months: 'month',
  quarter: 'quarter', quarters: 'quarter', year: 'year', years: 'year',
};
const GRAIN_WORDS = ['day', 'week', 'month', 'quarter', 'year'];

export function cstToAst(cst: CstNode, origin: TextOrigin): Result<Expr> {
  const builder = new AstBuilder(origin);
  const { expr } = builder.expression(node(cst, 'expression'));
  return { value: expr, diagnostics: builder.diagnostics };
}

function isToken(c: Child): c is IToken {
  return (c as IToken).tokenType !== undefined;
}

function nodes(n: CstNode, label: string): CstNode[] {
  return (n.children[label] ?? []).filter((c): c is CstNode => !isToken(c));
}

function tokens(n: CstNode, label: string): IToken[] {
  return (n.children[label] ?? []).filter(isToken);
}

function node(n: CstNode, label: string): CstNode {
  const found = nodes(n, label)[0];
  if (!found) throw new Error(`CST node '${n.name}' has no '${label}'`);
  return found;
}

function token(n: CstNode, label: string): IToken {
  const found = tokens(n, label)[0];
  if (!found) throw new Error(`CST node '${n.name}' has no token '${label}'`);
  return found;
}

function spanOf(t: IToken): Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end };
}

/** Operands and operators of a left-associative chain, in source order, folded to the left. */
function foldLeft(operands: Parsed[], operators: IToken[], opOf: (t: IToken) => BinaryOp): Parsed {
  const sorted = [...operators].sort((a, b) => a.startOffset - b.startOffset);
  let acc = operands[0];
  for (let i = 0; i < sorted.length; i++) {
    const right = operands[i + 1];
    const extent = join(acc.extent, right.extent);
    acc = {
      expr: { kind: 'binary', op: opOf(sorted[i]), left: acc.expr, right: right.expr, opSpan: spanOf(sorted[i]), span: extent },
      extent,
    };
  }
  return acc;
}

const compareOps = new Map<string, BinaryOp>([
  [T.Equals.name, '='],
  [T.NotEquals.name, '!='],
  [T.Less.name, '<'],
  [T.LessEquals.name, '<='],
  [T.Greater.name, '>'],
  [T.GreaterEquals.name, '>='],
]);

function arithmeticOp(t: IToken): BinaryOp {
  switch (t.tokenType) {
    case T.Plus:
      return '+';
    case T.Minus:
      return '-';
    case T.Star:
      return '*';
    default:
      return '/';
  }
}

/** `'it''s'` → `it's`. */
export function stringValue(image: string): string {
  return image.slice(1, -1).replaceAll("''", "'");
}

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly origin: TextOrigin) {}

  private report(span: Span, code: string, message: string, hint?: string): void {
    this.diagnostics.push(diagnosticAt(this.origin, span, 'error', code, message, hint));
  }

  expression(n: CstNode): Parsed {
    return foldLeft(nodes(n, 'operands').map((c) => this.andExpr(c)), tokens(n, 'operators'), () => 'or');
  }

  private andExpr(n: CstNode): Parsed {
    return foldLeft(nodes(n, 'operands').map((c) => this.notExpr(c)), tokens(n, 'operators'), () => 'and');
  }

  private notExpr(n: CstNode): Parsed {
    const not = tokens(n, 'Not')[0];
    if (!not) return this.comparison(node(n, 'comparison'));
    const operand = this.notExpr(node(n, 'notExpr'));
    const extent = join(spanOf(not), operand.extent);
    return { expr: { kind: 'unary', op: 'not', operand: operand.expr, span: extent }, extent };
  }

  private comparison(n: CstNode): Parsed {
    let acc = this.additive(node(n, 'additive'));
    const tails = nodes(n, 'comparisonTail');
    tails.forEach((tail, i) => {
      if (i === 1) {
        this.report(
          this.tailOperatorSpan(tail),
          Codes.chainedComparison,
          'comparisons cannot be chained',
          "join two comparisons with 'and', as in 'a < b and b < c'",
        );
      }
      acc = this.comparisonTail(acc, tail);
    });
    return acc;
  }

  private tailOperatorSpan(tail: CstNode): Span {
    const first = [...tokens(tail, 'compareOp'), ...tokens(tail, 'Is'), ...tokens(tail, 'Not'), ...tokens(tail, 'In')].sort(
      (a, b) => a.startOffset - b.startOffset,
    )[0];
    return spanOf(first);
  }

  private comparisonTail(left: Parsed, tail: CstNode): Parsed {
    const compareOp = tokens(tail, 'compareOp')[0];
    if (compareOp) {
      const right = this.additive(node(tail, 'additive'));
      const extent = join(left.extent, right.extent);
      const op = compareOps.get(compareOp.tokenType.name) ?? '=';
      return {
        expr: { kind: 'binary', op, left: left.expr, right: right.expr, opSpan: spanOf(compareOp), span: extent },
        extent,
      };
    }
    const negated = tokens(tail, 'Not').length > 0;
    const isNull = tokens(tail, 'Null')[0];
    if (isNull) {
      const extent = join(left.extent, spanOf(isNull));
      return { expr: { kind: 'is_null', operand: left.expr, negated, span: extent }, extent };
    }
    const values = nodes(tail, 'values').map((v) => this.expression(v).expr);
    const extent = join(left.extent, spanOf(token(tail, 'RBracket')));
    return { expr: { kind: 'in', operand: left.expr, values, negated, span: extent }, extent };
  }

  private additive(n: CstNode): Parsed {
    return foldLeft(nodes(n, 'operands').map((c) => this.multiplicative(c)), tokens(n, 'operators'), arithmeticOp);
  }

  private multiplicative(n: CstNode): Parsed {
    return foldLeft(nodes(n, 'operands').map((c) => this.unary(c)), tokens(n, 'operators'), arithmeticOp);
  }

  private unary(n: CstNode): Parsed {
    const minus = tokens(n, 'Minus')[0];
    if (!minus) return this.primary(node(n, 'primary'));
    const operand = this.unary(node(n, 'unary'));
    const extent = join(spanOf(minus), operand.extent);
    return { expr: { kind: 'unary', op: '-', operand: operand.expr, span: extent }, extent };
  }

  private primary(n: CstNode): Parsed {
    const literal = tokens(n, 'literal')[0];
    const unit = tokens(n, 'unit')[0];
    if (literal && unit) return this.interval(literal, unit);
    if (literal) return this.literal(literal);
    const paren = nodes(n, 'parenthesized')[0];
    if (paren) {
      const inner = this.expression(node(paren, 'expression'));
      return { expr: inner.expr, extent: join(spanOf(token(paren, 'LParen')), spanOf(token(paren, 'RParen'))) };
    }
    const caseNode = nodes(n, 'caseExpr')[0];
    if (caseNode) return this.caseExpr(caseNode);
    return this.reference(node(n, 'reference'));
  }

  private literal(t: IToken): Parsed {
    const span = spanOf(t);
    switch (t.tokenType) {
      case T.NumberLiteral:
        return { expr: { kind: 'number', value: Number(t.image), text: t.image, span }, extent: span };
      case T.StringLiteral:
        return { expr: { kind: 'string', value: stringValue(t.image), span }, extent: span };
      case T.True:
        return { expr: { kind: 'boolean', value: true, span }, extent: span };
      case T.False:
        return { expr: { kind: 'boolean', value: false, span }, extent: span };
      case T.Null:
        return { expr: { kind: 'null', span }, extent: span };
      default:
        // A lexed mistake, already reported by parse.ts; the formula's value will be null.
        return { expr: { kind: 'null', span }, extent: span };
    }
  }

  /** `12 months`: a whole number of days, weeks, months, quarters or years. */
  private interval(count: IToken, unit: IToken): Parsed {
    const extent = join(spanOf(count), spanOf(unit));
    const value = this.intervalValue(count, unit, extent);
    if (!value) return { expr: { kind: 'null', span: extent }, extent };
    return { expr: { kind: 'interval', count: value.count, unit: value.unit, span: extent }, extent };
  }

  private intervalValue(count: IToken, unit: IToken, extent: Span): { count: number; unit: IntervalUnit } | null {
    const u = INTERVAL_UNITS[unit.image.toLowerCase()];
    if (!u) {
      this.report(
        spanOf(unit),
        Codes.badInterval,
        `'${count.image} ${unit.image}' is not an interval: '${unit.image}' is not a unit of time`,
        'an interval is a whole number and one of day(s), week(s), month(s), quarter(s), year(s), as in 12 months; a number cannot be followed by a name otherwise',
      );
      return null;
    }
    const n = Number(count.image);
    if (!/^\d+$/.test(count.image) || n < 1 || n > 10000) {
      this.report(spanOf(count), Codes.badInterval, `an interval needs a whole number of ${u}s from 1 to 10000, not ${count.image}`, `write it as in '12 months' or '28 days'`);
      return null;
    }
    void extent;
    return { count: n, unit: u };
  }

  private caseExpr(n: CstNode): Parsed {
    const whenExprs = nodes(n, 'whens').map((w) => this.expression(w).expr);
    const thenExprs = nodes(n, 'thens').map((w) => this.expression(w).expr);
    const whens: CaseWhen[] = whenExprs.map((when, i) => ({ when, then: thenExprs[i] }));
    const elseNode = nodes(n, 'else')[0];
    const extent = join(spanOf(token(n, 'Case')), spanOf(token(n, 'End')));
    return {
      expr: { kind: 'case', whens, else: elseNode ? this.expression(elseNode).expr : null, span: extent },
      extent,
    };
  }

  private reference(n: CstNode): Parsed {
    const name = token(n, 'name');
    const member = tokens(n, 'member')[0];
    const argsNode = nodes(n, 'argumentList')[0];
    if (!argsNode) {
      if (!member) return { expr: { kind: 'name', name: name.image, span: spanOf(name) }, extent: spanOf(name) };
      const extent = join(spanOf(name), spanOf(member));
      return {
        expr: {
          kind: 'qualified',
          table: name.image,
          column: member.image,
          tableSpan: spanOf(name),
          columnSpan: spanOf(member),
          span: extent,
        },
        extent,
      };
    }
    const extent = join(spanOf(name), spanOf(token(argsNode, 'RParen')));
    const args = nodes(argsNode, 'args').map((a) => this.expression(a).expr);
    const clauses = this.clauses(argsNode, member === undefined);
    if (!member) {
      return { expr: { kind: 'call', name: name.image, nameSpan: spanOf(name), args, span: extent }, extent };
    }
    return {
      expr: {
        kind: 'aggregate',
        table: name.image,
        tableSpan: spanOf(name),
        fn: member.image,
        fnSpan: spanOf(member),
        args,
        ...clauses,
        span: extent,
      },
      extent,
    };
  }

  private clauses(argsNode: CstNode, plainCall: boolean): { where: Expr | null; on: OnClause | null; at: AtClause | null; over: OverClause | null } {
    const result: { where: Expr | null; on: OnClause | null; at: AtClause | null; over: OverClause | null } = { where: null, on: null, at: null, over: null };
    const seen = new Set<string>();
    for (const clause of nodes(argsNode, 'clause')) {
      const keyword = [...tokens(clause, 'Where'), ...tokens(clause, 'On'), ...tokens(clause, 'At'), ...tokens(clause, 'During'), ...tokens(clause, 'Over')][0];
      const word = keyword.image.toLowerCase();
      // `at` and `during` both say which rows are alive in a period: one of them per aggregate.
      // `at`, `during` and `over` all say which rows a period reads: one of them per aggregate.
      const slot = word === 'during' || word === 'over' ? 'at' : word;
      const clauseSpan = this.clauseSpan(clause, keyword);
      if (plainCall) {
        this.report(
          spanOf(keyword),
          Codes.clauseOnPlainCall,
          `'${word}' only goes in an aggregate over a table`,
          `write the aggregate on its table, as in 'work_orders.count(${word} ...)'`,
        );
        continue;
      }
      if (seen.has(slot)) {
        this.report(
          clauseSpan,
          Codes.repeatedClause,
          slot === 'at' ? "this aggregate already says which rows each period reads ('at ...', 'during' or 'over ...')" : `this aggregate already has ${word === 'where' ? 'a' : 'an'} '${word}' clause`,
          word === 'where' ? "combine the conditions with 'and'" : slot === 'at' ? 'keep one of them' : `keep one '${word}' clause`,
        );
        continue;
      }
      seen.add(slot);
      switch (keyword.tokenType) {
        case T.Where:
          result.where = this.expression(node(clause, 'expression')).expr;
          break;
        case T.On: {
          const column = token(clause, 'column');
          result.on = { column: column.image, span: clauseSpan };
          break;
        }
        case T.During:
          result.at = { edge: 'during', per: null, span: clauseSpan };
          break;
        case T.Over:
          result.over = this.overClause(clause, clauseSpan);
          break;
        default: {
          const edge = tokens(clause, 'edge')[0];
          const word = edge?.image.toLowerCase();
          if (word === 'start' || word === 'end' || word === 'last' || word === 'first') {
            result.at = { edge: word, per: this.perClause(clause, word), span: clauseSpan };
          } else {
            this.report(
              clauseSpan,
              Codes.atNeedsEdge,
              edge ? `'at' must be followed by 'start', 'end', 'last' or 'first', not '${edge.image}'` : "'at' must be followed by 'start', 'end', 'last' or 'first'",
              "'at end' counts the rows alive at the end of each period, 'at start' those alive at its start; 'at last' reads the period's last snapshot",
            );
          }
        }
      }
    }
    return result;
  }

  /** `per account_id` after `at last` / `at first`. */
  private perClause(clause: CstNode, edge: string): AtClause['per'] {
    const per = tokens(clause, 'per')[0];
    if (!per) return null;
    const column = tokens(clause, 'perColumn')[0];
    const span = column ? join(spanOf(per), spanOf(column)) : spanOf(per);
    if (per.image.toLowerCase() !== 'per' || !column) {
      this.report(span, Codes.badPer, column ? `expected 'per' and a column after 'at ${edge}', found '${per.image} ${column.image}'` : `expected 'per' and a column after 'at ${edge}', found '${per.image}'`, "write 'at last per account_id' for each account's last snapshot in the period");
      return null;
    }
    if (edge !== 'last' && edge !== 'first') {
      this.report(span, Codes.badPer, `'per' goes with 'at last' or 'at first', not with 'at ${edge}'`, "'at start' and 'at end' read the rows alive at an instant, which needs no entity");
      return null;
    }
    return { column: column.image, span: spanOf(column) };
  }

  /** `over 12 months`, `over year to date`, `over all time`. */
  private overClause(clause: CstNode, span: Span): OverClause | null {
    const count = tokens(clause, 'count')[0];
    const words = tokens(clause, 'words');
    const text = words.map((w) => w.image.toLowerCase());
    const hint = "write 'over 12 months' (a rolling window), 'over year to date' (also month, quarter, week) or 'over all time'";
    if (count) {
      if (words.length === 1) {
        const v = this.intervalValue(count, words[0], span);
        return v ? { kind: 'interval', count: v.count, unit: v.unit, span } : null;
      }
    } else if (text.length === 3 && GRAIN_WORDS.includes(text[0]) && text[1] === 'to' && text[2] === 'date') {
      return { kind: 'to_date', grain: text[0] as IntervalUnit, span };
    } else if (text.length === 2 && text[0] === 'all' && text[1] === 'time') {
      return { kind: 'all', span };
    }
    this.report(span, Codes.badOver, `'over' must be followed by an interval, '<grain> to date' or 'all time'${words.length || count ? `, not '${[count?.image, ...words.map((w) => w.image)].filter(Boolean).join(' ')}'` : ''}`, hint);
    return null;
  }

  /** From the clause's keyword to its last token. */
  private clauseSpan(clause: CstNode, keyword: IToken): Span {
    const last = lastToken(clause);
    return last ? join(spanOf(keyword), spanOf(last)) : spanOf(keyword);
  }
}

/** The last token under a CST node (the nesting depth is bounded by parse.ts). */
function lastToken(n: CstNode): IToken | undefined {
  let last: IToken | undefined;
  for (const children of Object.values(n.children)) {
    for (const c of children) {
      const candidate = isToken(c) ? c : lastToken(c);
      if (candidate && (!last || candidate.startOffset > last.startOffset)) last = candidate;
    }
  }
  return last;
}
