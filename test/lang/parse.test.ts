import { describe, expect, it } from 'vitest';
import { keywords } from '../../src/lang/parse.js';
import { printExpr } from '../../src/lang/print.js';
import { parseOk, sexpr } from './helpers.js';

describe('parseFormula: valid formulas', () => {
  const table: Array<[string, string]> = [
    // literals
    ['12', '12'],
    ['0.5', '0.5'],
    ['1e3', '1e3'],
    ['1.5E-3', '1.5E-3'],
    ["'completed'", "'completed'"],
    ["'it''s'", "'it's'"],
    ["''", "''"],
    ['true', 'true'],
    ['FALSE', 'false'],
    ['null', 'null'],
    // names
    ['arpu', 'arpu'],
    ['_x1', '_x1'],
    ['start', 'start'],
    ['order_id', 'order_id'],
    ['android', 'android'],
    ['ending', 'ending'],
    ['work_orders.status', 'work_orders.status'],
    ['t.start', 't.start'],
    // calls (`if` is not a keyword)
    ['if(a, b, c)', '(call if a b c)'],
    ['IF(a, 1, 0)', '(call IF a 1 0)'],
    ['coalesce(a, 0)', '(call coalesce a 0)'],
    ['now()', '(call now)'],
    ['previous(recurring)', '(call previous recurring)'],
    ['hours_between(failure_reported_at, restored_at)', '(call hours_between failure_reported_at restored_at)'],
    ['abs(round(x, 2))', '(call abs (call round x 2))'],
    // precedence
    ['a + b * c', '(+ a (* b c))'],
    ['a * b + c', '(+ (* a b) c)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b / c', '(/ (/ a b) c)'],
    ['(a + b) * c', '(* (+ a b) c)'],
    ['a - (b - c)', '(- a (- b c))'],
    ['-x * y', '(* (neg x) y)'],
    ['-(x * y)', '(neg (* x y))'],
    ['- -x', '(neg (neg x))'],
    ['a - -1', '(- a (neg 1))'],
    ['not a and b', '(and (not a) b)'],
    ['not (a and b)', '(not (and a b))'],
    ['not not a', '(not (not a))'],
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['a or b or c', '(or (or a b) c)'],
    ['not a = b', '(not (= a b))'],
    ['a + 1 > b * 2', '(> (+ a 1) (* b 2))'],
    ['a = b and c != d', '(and (= a b) (!= c d))'],
    ['a <> b', '(!= a b)'],
    ['a < b or a <= b or a > b or a >= b', '(or (or (or (< a b) (<= a b)) (> a b)) (>= a b))'],
    // is null, in
    ['x is null', '(is-null x)'],
    ['x IS NOT NULL', '(is-not-null x)'],
    ['a + b is null', '(is-null (+ a b))'],
    ["x in ['a', 'b']", "(in x ['a' 'b'])"],
    ['x not in [1, 2, 3]', '(not-in x [1 2 3])'],
    ['not x in [1]', '(not (in x [1]))'],
    ['x in [1] and y is not null', '(and (in x [1]) (is-not-null y))'],
    ['x in [a + 1]', '(in x [(+ a 1)])'],
    // case
    ['case when a then 1 end', '(case (when a 1))'],
    ["case when a > 1 then 'x' when b then 'y' else 'z' end", "(case (when (> a 1) 'x') (when b 'y') (else 'z'))"],
    ['case when a then case when b then 1 else 2 end end', '(case (when a (case (when b 1) (else 2))))'],
    ['CASE WHEN a THEN 1 ELSE 0 END * 2', '(* (case (when a 1) (else 0)) 2)'],
    // aggregates
    ['work_orders.count()', '(agg work_orders.count)'],
    ["work_orders.count(where status = 'completed')", "(agg work_orders.count where: (= status 'completed'))"],
    ['work_orders.sum(labour_cost + parts_cost + travel_cost)', '(agg work_orders.sum (+ (+ labour_cost parts_cost) travel_cost))'],
    [
      "work_orders.avg(hours_between(failure_reported_at, restored_at) where type = 'repair')",
      "(agg work_orders.avg (call hours_between failure_reported_at restored_at) where: (= type 'repair'))",
    ],
    ['tickets.count(on closed_at)', '(agg tickets.count on: closed_at)'],
    ['tickets.count(at end)', '(agg tickets.count at: end)'],
    ['customers.count(at start)', '(agg customers.count at: start)'],
    ["tickets.count(where priority in ['high', 'critical'] at end)", "(agg tickets.count where: (in priority ['high' 'critical']) at: end)"],
    ['work_orders.percentile(hours_between(a, b), 0.9 where x)', '(agg work_orders.percentile (call hours_between a b) 0.9 where: x)'],
    ['t.count(at end where x on c)', '(agg t.count where: x on: c at: end)'],
    ['t.count(on c at start where x)', '(agg t.count where: x on: c at: start)'],
    ['t.count_distinct(customer_id where t.start is not null)', '(agg t.count_distinct customer_id where: (is-not-null t.start))'],
    ['tickets.count(on closed_at) / tickets.count(on opened_at)', '(/ (agg tickets.count on: closed_at) (agg tickets.count on: opened_at))'],
    ['(recurring - previous(recurring)) / previous(recurring)', '(/ (- recurring (call previous recurring)) (call previous recurring))'],
    ['arpu * service_gross_margin / customer_churn_rate', '(/ (* arpu service_gross_margin) customer_churn_rate)'],
    ['work_orders.count(where status = \'completed\' and resolved_on_first_visit)', "(agg work_orders.count where: (and (= status 'completed') resolved_on_first_visit))"],
  ];
  it.each(table)('%s', (text, expected) => {
    expect(sexpr(parseOk(text))).toBe(expected);
  });
});

describe('parseFormula: keywords', () => {
  it('are case-insensitive', () => {
    for (const text of ['a and b', 'a AND b', 'a And b', 'a aNd b']) expect(sexpr(parseOk(text))).toBe('(and a b)');
    expect(sexpr(parseOk('NOT x Is Not Null OR y NOT IN [1]'))).toBe('(or (not (is-not-null x)) (not-in y [1]))');
    expect(sexpr(parseOk('t.count(WHERE x ON c AT END)'))).toBe('(agg t.count where: x on: c at: end)');
    expect(sexpr(parseOk('t.count(At Start)'))).toBe('(agg t.count at: start)');
    expect(sexpr(parseOk('t.sum(overlap_minutes() DURING)'))).toBe('(agg t.sum (call overlap_minutes) at: during)');
    expect(sexpr(parseOk('t.count(where closed_at >= period_end() during)'))).toBe('(agg t.count where: (>= closed_at (call period_end)) at: during)');
  });

  it('are the reserved words, lower case', () => {
    expect(keywords).toEqual(['or', 'and', 'not', 'in', 'is', 'null', 'true', 'false', 'case', 'when', 'then', 'else', 'end', 'where', 'on', 'at', 'during', 'over']);
    expect(keywords).not.toContain('if');
    expect(keywords).not.toContain('start');
  });

  it('keep the case of names as written', () => {
    expect(parseOk('Work_Orders.Count()')).toMatchObject({ kind: 'aggregate', table: 'Work_Orders', fn: 'Count' });
  });
});

describe('parseFormula: layout', () => {
  it('skips comments and newlines', () => {
    const text = "-- completed orders\nwork_orders.count(\n  where status = 'completed' -- only these\n)\n-- done";
    expect(sexpr(parseOk(text))).toBe("(agg work_orders.count where: (= status 'completed'))");
  });

  it('reads a multi-line block scalar', () => {
    const text = 'fixed_first_visit\n  /\n  completed\n';
    expect(parseOk(text)).toEqual({
      kind: 'binary',
      op: '/',
      left: { kind: 'name', name: 'fixed_first_visit', span: { start: 0, end: 17 } },
      right: { kind: 'name', name: 'completed', span: { start: 24, end: 33 } },
      opSpan: { start: 20, end: 21 },
      span: { start: 0, end: 33 },
    });
  });

  it('treats -- as a comment even right after an operand', () => {
    expect(sexpr(parseOk('a--b\n+ c'))).toBe('(+ a c)');
  });
});

describe('parseFormula: spans', () => {
  it('a binary expression covers its parentheses, its operands do not', () => {
    const e = parseOk('(a + b) * c');
    expect(e).toMatchObject({ kind: 'binary', op: '*', span: { start: 0, end: 11 }, opSpan: { start: 8, end: 9 } });
    if (e.kind !== 'binary') throw new Error('binary expected');
    expect(e.left).toMatchObject({ kind: 'binary', op: '+', span: { start: 1, end: 6 }, opSpan: { start: 3, end: 4 } });
    expect(e.right).toEqual({ kind: 'name', name: 'c', span: { start: 10, end: 11 } });
  });

  it('literals', () => {
    expect(parseOk('1e3')).toEqual({ kind: 'number', value: 1000, text: '1e3', span: { start: 0, end: 3 } });
    expect(parseOk("  'it''s'")).toEqual({ kind: 'string', value: "it's", span: { start: 2, end: 9 } });
    expect(parseOk('True')).toEqual({ kind: 'boolean', value: true, span: { start: 0, end: 4 } });
    expect(parseOk('NULL')).toEqual({ kind: 'null', span: { start: 0, end: 4 } });
  });

  it('qualified names and calls', () => {
    expect(parseOk('work_orders.status')).toEqual({
      kind: 'qualified',
      table: 'work_orders',
      column: 'status',
      tableSpan: { start: 0, end: 11 },
      columnSpan: { start: 12, end: 18 },
      span: { start: 0, end: 18 },
    });
    expect(parseOk('coalesce(a, 0)')).toEqual({
      kind: 'call',
      name: 'coalesce',
      nameSpan: { start: 0, end: 8 },
      args: [
        { kind: 'name', name: 'a', span: { start: 9, end: 10 } },
        { kind: 'number', value: 0, text: '0', span: { start: 12, end: 13 } },
      ],
      span: { start: 0, end: 14 },
    });
  });

  it('an aggregate and its clauses', () => {
    //         0         1         2         3         4
    //         0123456789012345678901234567890123456789012345
    const text = "tickets.count(where p = 'high' on closed_at at end)";
    expect(parseOk(text)).toEqual({
      kind: 'aggregate',
      table: 'tickets',
      tableSpan: { start: 0, end: 7 },
      fn: 'count',
      fnSpan: { start: 8, end: 13 },
      args: [],
      where: {
        kind: 'binary',
        op: '=',
        left: { kind: 'name', name: 'p', span: { start: 20, end: 21 } },
        right: { kind: 'string', value: 'high', span: { start: 24, end: 30 } },
        opSpan: { start: 22, end: 23 },
        span: { start: 20, end: 30 },
      },
      on: { column: 'closed_at', span: { start: 31, end: 43 } },
      at: { edge: 'end', per: null, span: { start: 44, end: 50 } },
      over: null,
      span: { start: 0, end: 51 },
    });
  });

  it('unary, in, is null and case', () => {
    expect(parseOk('-x')).toMatchObject({ kind: 'unary', op: '-', span: { start: 0, end: 2 } });
    expect(parseOk('not  x')).toMatchObject({ kind: 'unary', op: 'not', span: { start: 0, end: 6 } });
    expect(parseOk('x not in [1, 2]')).toMatchObject({ kind: 'in', negated: true, span: { start: 0, end: 15 } });
    expect(parseOk('x is not null')).toMatchObject({ kind: 'is_null', negated: true, span: { start: 0, end: 13 } });
    expect(parseOk('case when a then b end')).toMatchObject({ kind: 'case', else: null, span: { start: 0, end: 22 } });
  });
});

describe('parseFormula: windows, semi-additive snapshots and offsets', () => {
  it('reads every form', () => {
    expect(sexpr(parseOk('customers.count(on churned_at over 12 months)'))).toBe('(agg customers.count on: churned_at over: 12 month)');
    expect(sexpr(parseOk('revenue.sum(amount over year to date)'))).toBe('(agg revenue.sum amount over: year to date)');
    expect(sexpr(parseOk('revenue.sum(amount OVER All Time where a)'))).toBe('(agg revenue.sum amount where: a over: all time)');
    expect(sexpr(parseOk('w.count_distinct(c over 1 day)'))).toBe('(agg w.count_distinct c over: 1 day)');
    expect(sexpr(parseOk('b.sum(balance at last per account_id)'))).toBe('(agg b.sum balance at: last per account_id)');
    expect(sexpr(parseOk('b.sum(balance at first)'))).toBe('(agg b.sum balance at: first)');
    expect(sexpr(parseOk('previous(x, 1 year) + previous(x, 4)'))).toBe('(+ (call previous x (interval 1 year)) (call previous x 4))');
    expect(sexpr(parseOk('start_of(x, month)'))).toBe('(call start_of x month)');
  });

  it('prints them back canonically', () => {
    expect(printExpr(parseOk('customers.count(on churned_at OVER 12 MONTHS)'))).toBe('customers.count(on churned_at over 12 months)');
    expect(printExpr(parseOk('b.sum(balance AT LAST PER account_id)'))).toBe('b.sum(balance at last per account_id)');
    expect(printExpr(parseOk('previous(x, 1 years)'))).toBe('previous(x, 1 year)');
  });

  it('keeps the spans of the clauses', () => {
    const e = parseOk('b.sum(balance at last per account_id)');
    expect(e.kind === 'aggregate' && e.at).toEqual({ edge: 'last', per: { column: 'account_id', span: { start: 26, end: 36 } }, span: { start: 14, end: 36 } });
    const w = parseOk('t.sum(x over 12 months)');
    expect(w.kind === 'aggregate' && w.over).toEqual({ kind: 'interval', count: 12, unit: 'month', span: { start: 8, end: 22 } });
  });
});
