// Plan expressions → TypeScript expressions over the generated runtime (`rt`), laid out to a width.

import { pathKey } from '../../plan/build.js';
import type { IrExpr, ScalarFn, Shift } from '../../plan/ir.js';
import { propertyAccess, tsString } from './names.js';

/** A TypeScript expression: plain text, or a call whose arguments break onto lines when long. */
export type Code = string | { call: string; args: Code[] } | { array: Code[] };

const call = (fn: string, ...args: Code[]): Code => ({ call: `rt.${fn}`, args });

function flat(c: Code): string {
  if (typeof c === 'string') return c;
  if ('array' in c) return `[${c.array.map(flat).join(', ')}]`;
  return `${c.call}(${c.args.map(flat).join(', ')})`;
}

/** The code at `indent` spaces, one line when it fits in `width`, else one argument per line. */
export function layout(c: Code, indent: number, width = 100): string {
  const one = flat(c);
  if (typeof c === 'string' || indent + one.length <= width) return one;
  const pad = ' '.repeat(indent + 2);
  const items = 'array' in c ? c.array : c.args;
  const inner = items.map((a) => `${pad}${layout(a, indent + 2, width)},`).join('\n');
  return 'array' in c ? `[\n${inner}\n${' '.repeat(indent)}]` : `${c.call}(\n${inner}\n${' '.repeat(indent)})`;
}

/** How leaves render: columns inside a scan, aggregate values in the combining step. */
export interface Leaves {
  column?: (e: Extract<IrExpr, { kind: 'column' }>) => Code;
  /** `back`: a number of periods, or the code of a list of shifts (rt.Shift[]). */
  aggregate?: (scan: string, column: string, back: number | string) => Code;
  /** A related aggregate's value for the scan's row `j` in its period `p`. */
  related?: (e: Extract<IrExpr, { kind: 'related' }>) => Code;
}

const ARITH = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' } as const;
const COMPARE = { '=': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;

export function exprCode(e: IrExpr, leaves: Leaves): Code {
  const r = (x: IrExpr) => exprCode(x, leaves);
  switch (e.kind) {
    case 'literal':
      return literalCode(e.value, e.type);
    case 'column':
      if (!leaves.column) throw new Error('internal: a column outside an aggregate');
      return leaves.column(e);
    case 'agg_ref':
      if (!leaves.aggregate) throw new Error('internal: an aggregate inside an aggregate');
      return leaves.aggregate(e.scan, e.column, 0);
    case 'previous':
      if (!leaves.aggregate || e.operand.kind !== 'agg_ref') throw new Error('internal: previous() of something other than an aggregate');
      return leaves.aggregate(e.operand.scan, e.operand.column, e.periods);
    case 'shifted':
      if (!leaves.aggregate || e.operand.kind !== 'agg_ref') throw new Error('internal: a shift of something other than an aggregate');
      return leaves.aggregate(e.operand.scan, e.operand.column, `[${e.shifts.map(shiftCode).join(', ')}]`);
    case 'aggregate':
      throw new Error('internal: an aggregate left in a planned expression');
    case 'related':
      if (!leaves.related) throw new Error('internal: a related aggregate outside an aggregate');
      return leaves.related(e);
    case 'neg':
      return call('neg', r(e.operand));
    case 'not':
      return call('not', r(e.operand));
    case 'arith':
      return call(ARITH[e.op], r(e.left), r(e.right));
    case 'compare':
      return call(COMPARE[e.op], r(e.left), r(e.right));
    case 'logic':
      return call(e.op, r(e.left), r(e.right));
    case 'in': {
      const test = call('isIn', r(e.operand), { array: e.values.map(r) });
      return e.negated ? call('not', test) : test;
    }
    case 'is_null':
      return e.negated ? `!${flat(call('isNull', r(e.operand)))}` : call('isNull', r(e.operand));
    case 'call':
      return callCode(e.fn, e.args.map(r));
    case 'case':
      return call('caseWhen', { array: e.whens.map((w) => ({ array: [r(w.when), r(w.then)] })) }, e.else ? r(e.else) : 'null');
    default: {
      const never: never = e;
      return never;
    }
  }
}

function callCode(fn: ScalarFn, args: Code[]): Code {
  switch (fn) {
    case 'if':
      return call('iff', ...args);
    case 'round':
      return call('round', args[0], args[1] ?? '0');
    case 'hours_between':
      return call('hoursBetween', ...args);
    case 'minutes_between':
      return call('minutesBetween', ...args);
    case 'days_between':
      return call('daysBetween', ...args);
    case 'period_start':
      return 'p.start';
    case 'period_end':
      return 'p.end';
    case 'overlap_minutes':
      return call('overlapMinutes', 'p');
    case 'overlap_hours':
      return call('overlapHours', 'p');
    case 'overlap_days':
      return call('overlapDays', 'p');
    case 'coalesce':
    case 'abs':
    case 'least':
    case 'greatest':
      return call(fn, ...args);
    default: {
      const never: never = fn;
      return never;
    }
  }
}

function literalCode(value: number | string | boolean | null, type: string): Code {
  if (value === null) return 'null';
  if (type === 'date' || type === 'timestamp') return call('time', tsString(String(value)));
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`internal: non-finite literal ${value}`);
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return String(value);
}

/** A column of a scan's joined row `j`: `j.t0` is the scan's table, `j.t1`... the tables its paths reach. */
export function columnCode(e: Extract<IrExpr, { kind: 'column' }>, aliases: Map<string, string>): Code {
  const alias = aliases.get(pathKey(e.path));
  if (!alias) throw new Error(`internal: no join for ${pathKey(e.path)}`);
  const read = `j.${alias}${propertyAccess(e.column, e.path.length > 0)}`;
  return e.type === 'date' || e.type === 'timestamp' ? call('time', read) : `${read} ?? null`;
}

function shiftCode(x: Shift): string {
  switch (x.kind) {
    case 'periods':
      return `{ kind: 'periods', n: ${x.n} }`;
    case 'interval':
      return `{ kind: 'interval', count: ${x.count}, unit: '${x.unit}' }`;
    case 'start_of':
      return `{ kind: 'start_of', grain: '${x.grain}' }`;
    default: {
      const never: never = x;
      return never;
    }
  }
}
