// IR expressions in plain words: hand-written expected sentences.

import { describe, expect, it } from 'vitest';
import { explain, namesFor, plainText } from '../../src/emit/docs/explain.js';
import type { AggregateSpec, IrExpr, ValueType } from '../../src/plan/ir.js';

const col = (column: string, type: ValueType = 'number', table = 'work_orders'): IrExpr => ({ kind: 'column', path: [], table, column, type });
const via = (table: string, column: string, type: ValueType, fk: string): IrExpr => ({
  kind: 'column',
  path: [{ fromTable: 'work_orders', fkColumn: fk, toTable: table, toKey: 'id' }],
  table,
  column,
  type,
});
const str = (value: string): IrExpr => ({ kind: 'literal', value, type: 'string' });
const num = (value: number): IrExpr => ({ kind: 'literal', value, type: 'number' });
const agg = (spec: Partial<AggregateSpec>): IrExpr => ({
  kind: 'aggregate',
  spec: { table: 'work_orders', fn: 'count', arg: null, fraction: null, filter: null, time: { kind: 'period', column: 'completed_at', columnType: 'timestamp' }, ...spec },
});
const words = (e: IrExpr, names = namesFor([], [])) => plainText(explain(e, names));

describe('plain words', () => {
  const completed = agg({ filter: { kind: 'compare', op: '=', left: col('status', 'string'), right: str('completed') } });
  const fixed = agg({ filter: { kind: 'logic', op: 'and', left: { kind: 'compare', op: '=', left: col('status', 'string'), right: str('completed') }, right: col('resolved_on_first_visit', 'boolean') } });
  const ftfr: IrExpr = { kind: 'arith', op: '/', left: fixed, right: completed };

  it('spells out aggregates with their filter and time column', () => {
    expect(words(ftfr)).toBe(
      "the number of work_orders rows where status is 'completed' and resolved_on_first_visit, per period by completed_at, divided by the number of work_orders rows where status is 'completed', per period by completed_at",
    );
  });

  it('says which related rows a related aggregate reads: all of them, or relative to the row\'s period', () => {
    const step = { fromTable: 'visits', fkColumn: 'work_order_id', toTable: 'work_orders', toKey: 'id' };
    const firstArrival: IrExpr = {
      kind: 'related',
      type: 'timestamp',
      spec: { table: 'visits', fn: 'min', arg: col('arrived_at', 'timestamp', 'visits'), fraction: null, filter: null, time: null, path: [step] },
    };
    const returns: IrExpr = {
      kind: 'related',
      type: 'number',
      spec: { table: 'visits', fn: 'count', arg: null, fraction: null, filter: { kind: 'compare', op: '>', left: col('visit_number', 'number', 'visits'), right: num(1) }, time: { kind: 'period', column: 'arrived_at', columnType: 'timestamp' }, path: [step] },
    };
    expect(words(agg({ fn: 'avg', arg: { kind: 'call', fn: 'hours_between', args: [col('reported_at', 'timestamp'), firstArrival] } }))).toBe(
      'the average of the hours from reported_at to the smallest arrived_at over its visits rows over work_orders rows, per period by completed_at',
    );
    expect(words(agg({ filter: { kind: 'compare', op: '=', left: returns, right: num(0) } }))).toBe(
      "the number of work_orders rows where the number of its visits rows where visit_number is greater than 1, by arrived_at in the row's period is 0, per period by completed_at",
    );
  });

  it('calls measures and KPIs by name, but spells out the top node', () => {
    const names = namesFor([{ name: 'completed', value: completed }, { name: 'fixed_first_visit', value: fixed }], []);
    expect(explain(ftfr, names)).toEqual([{ measure: 'fixed_first_visit' }, ' divided by ', { measure: 'completed' }]);
    expect(words(completed, names)).toBe("the number of work_orders rows where status is 'completed', per period by completed_at");
    const kpis = namesFor([], [{ id: 'first_time_fix_rate', value: ftfr }]);
    expect(explain({ kind: 'arith', op: '-', left: num(1), right: ftfr }, kpis)).toEqual(['1 minus ', { kpi: 'first_time_fix_rate' }]);
  });

  it('puts parentheses where words alone would be ambiguous', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => agg({ fn: 'sum', arg: col(n) }));
    const names = namesFor([{ name: 'a', value: a }, { name: 'b', value: b }, { name: 'c', value: c }], []);
    const op = (o: '+' | '-' | '*' | '/', l: IrExpr, r: IrExpr): IrExpr => ({ kind: 'arith', op: o, left: l, right: r });
    expect(words(op('-', num(1), op('/', a, b)), names)).toBe('1 minus (a divided by b)');
    expect(words(op('/', op('-', a, b), a), names)).toBe('(a minus b) divided by a');
    expect(words(op('+', op('+', a, b), c), names)).toBe('a plus b plus c');
    expect(words(op('-', a, op('-', b, c)), names)).toBe('a minus (b minus c)');
    expect(words(op('*', op('/', a, b), c), names)).toBe('(a divided by b) times c');
    expect(words(op('/', op('*', a, b), c), names)).toBe('a times b divided by c');
  });

  it('reads row expressions, functions and snapshots', () => {
    const mttr = agg({
      fn: 'avg',
      arg: { kind: 'call', fn: 'hours_between', args: [col('failure_reported_at', 'timestamp'), col('restored_at', 'timestamp')] },
      filter: { kind: 'in', operand: col('type', 'string'), values: [str('repair'), str('maintenance')], negated: false },
    });
    expect(words(mttr)).toBe("the average of the hours from failure_reported_at to restored_at over work_orders rows where type is 'repair' or 'maintenance', per period by completed_at");
    const open = agg({
      table: 'tickets',
      filter: { kind: 'in', operand: via('technicians', 'region', 'string', 'technician_id'), values: [str('north'), str('south'), str("o'hara")], negated: true },
      time: { kind: 'snapshot', edge: 'end', from: 'opened_at', to: 'closed_at', fromType: 'timestamp', toType: 'timestamp' },
    });
    expect(words(open)).toBe("the number of tickets rows where technicians.region is not one of 'north', 'south' or 'o''hara', alive at the end of each period (from opened_at to closed_at)");
    const cost = agg({
      fn: 'sum',
      arg: { kind: 'arith', op: '+', left: { kind: 'call', fn: 'coalesce', args: [col('labour_cost'), num(0)] }, right: col('parts_cost') },
      filter: {
        kind: 'logic',
        op: 'and',
        left: { kind: 'not', operand: col('emergency', 'boolean') },
        right: { kind: 'logic', op: 'or', left: { kind: 'is_null', operand: col('closed_at', 'timestamp'), negated: false }, right: { kind: 'compare', op: '>=', left: col('closed_at', 'timestamp'), right: { kind: 'call', fn: 'period_end', args: [] } } },
      },
    });
    expect(words(cost)).toBe(
      "the sum of labour_cost (or 0 when missing) plus parts_cost over work_orders rows where not emergency and (closed_at has no value or closed_at is at or after the period's end), per period by completed_at",
    );
    const p90 = agg({ fn: 'percentile', fraction: 0.9, arg: col('travel_minutes') });
    expect(words(p90)).toBe('the 90th percentile of travel_minutes over work_orders rows, per period by completed_at');
    expect(words({ kind: 'previous', operand: p90, periods: 1 }, namesFor([{ name: 'p90', value: p90 }], []))).toBe('p90 in the previous period');
    const cased: IrExpr = agg({
      fn: 'sum',
      arg: { kind: 'case', whens: [{ when: { kind: 'compare', op: '>', left: col('visit_count'), right: num(1) }, then: num(2) }], else: num(1) },
    });
    expect(words(cased)).toBe('the sum of 2 when visit_count is greater than 1, 1 otherwise over work_orders rows, per period by completed_at');
  });
});

describe('plain words around aggregates', () => {
  it('defaults an aggregate with "or 0 when there is none"', () => {
    const outage = agg({ table: 'incidents', fn: 'sum', arg: col('outage_minutes', 'number', 'incidents'), time: { kind: 'period', column: 'started_at', columnType: 'timestamp' } });
    expect(words({ kind: 'call', fn: 'coalesce', args: [outage, num(0)] })).toBe('the sum of outage_minutes over incidents rows, per period by started_at, or 0 when there is none');
  });
});
