import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AtClause, BinaryOp, Expr, IntervalUnit, OverClause } from '../../src/lang/ast.js';
import { printExpr } from '../../src/lang/print.js';
import { parseOk, withoutSpans } from './helpers.js';

describe('printExpr', () => {
  const canonical: Array<[string, string]> = [
    ['a+b*c', 'a + b * c'],
    ['(a + b) * c', '(a + b) * c'],
    ['((a)) + ((b))', 'a + b'],
    ['(a * b) + c', 'a * b + c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['a / (b * c)', 'a / (b * c)'],
    ['-(x * y)', '-(x * y)'],
    ['(-x) * y', '-x * y'],
    ['-(-x)', '- -x'],
    ['a - (-b)', 'a - -b'],
    ['NOT (a AND b)', 'not (a and b)'],
    ['(not a) and b', 'not a and b'],
    ['a or (b and c)', 'a or b and c'],
    ['(a or b) and c', '(a or b) and c'],
    ['(a = b) = c', '(a = b) = c'],
    ['a <> b', 'a != b'],
    ['(a = b) is null', '(a = b) is null'],
    ['(a + b) IN [1,2]', 'a + b in [1, 2]'],
    ['x not in [(1), 2 + 3]', 'x not in [1, 2 + 3]'],
    ['-(not a)', '-(not a)'],
    ['a = (not b)', 'a = (not b)'],
    ["'it''s'", "'it''s'"],
    ['1E3 + 0.50', '1E3 + 0.50'],
    ['IF(a,b,c)', 'IF(a, b, c)'],
    ['CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END', 'case when a then 1 when b then 2 else 3 end'],
    ['t.count(AT END WHERE x ON c)', 't.count(where x on c at end)'],
    ['work_orders.percentile(x, 0.9 where y)', 'work_orders.percentile(x, 0.9 where y)'],
    ['t.count()', 't.count()'],
    ['t.column', 't.column'],
  ];
  it.each(canonical)('%s → %s', (text, printed) => {
    const ast = parseOk(text);
    expect(printExpr(ast)).toBe(printed);
    expect(withoutSpans(parseOk(printed))).toEqual(withoutSpans(ast));
  });
});

// ---- generated ASTs --------------------------------------------------------------------------

const span = { start: 0, end: 0 };
const names = ['a', 'b', 'status', 'start', 'if', 'closed_at', '_x'];
const name = fc.constantFrom(...names);

const numberLit = fc
  .oneof(
    fc.nat({ max: 10_000 }).map(String),
    fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`),
    fc.tuple(fc.nat({ max: 9 }), fc.integer({ min: -5, max: 5 })).map(([a, b]) => `${a}e${b}`),
  )
  .map((text): Expr => ({ kind: 'number', value: Number(text), text, span }));
const stringLit = fc
  .string({ maxLength: 8 })
  .filter((s) => !/[\n\r]/.test(s))
  .map((value): Expr => ({ kind: 'string', value, span }));
const leaf: fc.Arbitrary<Expr> = fc.oneof(
  numberLit,
  stringLit,
  fc.boolean().map((value): Expr => ({ kind: 'boolean', value, span })),
  fc.constant<Expr>({ kind: 'null', span }),
  name.map((n): Expr => ({ kind: 'name', name: n, span })),
  fc.tuple(name, name).map(([table, column]): Expr => ({ kind: 'qualified', table, column, tableSpan: span, columnSpan: span, span })),
);

const ops: BinaryOp[] = ['+', '-', '*', '/', '=', '!=', '<', '<=', '>', '>=', 'and', 'or'];

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom<'-' | 'not'>('-', 'not'), sub).map(([op, operand]): Expr => ({ kind: 'unary', op, operand, span })),
      fc.tuple(fc.constantFrom(...ops), sub, sub).map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, opSpan: span, span })),
      fc.tuple(sub, fc.array(sub, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([operand, values, negated]): Expr => ({ kind: 'in', operand, values, negated, span })),
      fc.tuple(sub, fc.boolean()).map(([operand, negated]): Expr => ({ kind: 'is_null', operand, negated, span })),
      fc.tuple(name, fc.array(sub, { maxLength: 3 })).map(([n, args]): Expr => ({ kind: 'call', name: n, nameSpan: span, args, span })),
      fc
        .tuple(sub, fc.integer({ min: 1, max: 40 }), fc.constantFrom<IntervalUnit>('day', 'week', 'month', 'quarter', 'year'))
        .map(([x, count, unit]): Expr => ({ kind: 'call', name: 'previous', nameSpan: span, args: [x, { kind: 'interval', count, unit, span }], span })),
      fc.tuple(fc.array(fc.tuple(sub, sub), { minLength: 1, maxLength: 2 }), fc.option(sub, { nil: null })).map(
        ([whens, otherwise]): Expr => ({ kind: 'case', whens: whens.map(([when, then]) => ({ when, then })), else: otherwise, span }),
      ),
      fc
        .tuple(
          name,
          fc.constantFrom('count', 'sum', 'percentile'),
          fc.array(sub, { maxLength: 2 }),
          fc.option(sub, { nil: null }),
          fc.option(name, { nil: null }),
          fc.option(
            fc.oneof(
              fc.constantFrom<AtClause['edge']>('start', 'end', 'during').map((edge) => ({ at: { edge, per: null, span } as AtClause, over: null })),
              fc.tuple(fc.constantFrom<'last' | 'first'>('last', 'first'), fc.option(name, { nil: null })).map(([edge, per]) => ({ at: { edge, per: per === null ? null : { column: per, span }, span } as AtClause, over: null })),
              fc
                .oneof(
                  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom<IntervalUnit>('day', 'week', 'month', 'quarter', 'year')).map(([count, unit]): OverClause => ({ kind: 'interval', count, unit, span })),
                  fc.constantFrom<IntervalUnit>('day', 'week', 'month', 'quarter', 'year').map((grain): OverClause => ({ kind: 'to_date', grain, span })),
                  fc.constant<OverClause>({ kind: 'all', span }),
                )
                .map((over) => ({ at: null, over })),
            ),
            { nil: null },
          ),
        )
        .map(([table, fn, args, where, on, rows]): Expr => ({
          kind: 'aggregate',
          table,
          tableSpan: span,
          fn,
          fnSpan: span,
          args,
          where,
          on: on === null ? null : { column: on, span },
          at: rows?.at ?? null,
          over: rows?.over ?? null,
          span,
        })),
    ),
  };
});

describe('printExpr round trip on generated ASTs', () => {
  it('parseFormula(printExpr(ast)) is ast, modulo spans', () => {
    fc.assert(
      fc.property(expr, (ast) => {
        expect(withoutSpans(parseOk(printExpr(ast)))).toEqual(withoutSpans(ast));
      }),
      { numRuns: 500 },
    );
  });
});
