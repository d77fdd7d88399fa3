// The DuckDB dialect.

import type { AggregateFn, Grain } from '../../plan/ir.js';
import type { Dialect } from './dialect.js';
import { writeLiteral } from './literal.js';

const INTERVAL: Record<Grain, string> = { day: '1 DAY', week: '7 DAY', month: '1 MONTH', quarter: '3 MONTH', year: '1 YEAR' };
const UNIT: Record<Grain, [string, number]> = { day: ['DAY', 1], week: ['DAY', 7], month: ['MONTH', 1], quarter: ['MONTH', 3], year: ['YEAR', 1] };

function stringLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`internal: non-finite literal ${n}`);
  return Number.isInteger(n) && Math.abs(n) < 2 ** 53 ? String(n) : `CAST(${JSON.stringify(n)} AS DOUBLE)`;
}

export const duckdb: Dialect = {
  name: 'duckdb',
  runsIn: 'the DuckDB CLI',
  quoteIdent: (name) => `"${name.replace(/"/g, '""')}"`,
  literal: (value, type) => writeLiteral(value, type, { string: stringLiteral, number: numberText }),
  param(name, _index, type) {
    const p = `$${name}`;
    if (type === 'date') return `CAST(${p} AS DATE)`;
    if (type === 'timestamp') return `CAST(${p} AS TIMESTAMP)`;
    return p;
  },
  variable: (name) => `CAST(getvariable(${stringLiteral(name)}) AS DATE)`,
  setVariables: (values) => values.map((v) => `SET VARIABLE ${v.name} = DATE ${stringLiteral(v.date)};`).join(' '),
  truncate: (grain, expr, type) => (type === 'date' ? `CAST(date_trunc('${grain}', ${expr}) AS TIMESTAMP)` : `date_trunc('${grain}', ${expr})`),
  addPeriods(grain, expr, n) {
    if (n === 0) return expr;
    const [unit, k] = UNIT[grain];
    return `${expr} ${n > 0 ? '+' : '-'} INTERVAL ${Math.abs(n) * k} ${unit}`;
  },
  subtractInterval(expr, count, unit) {
    const [u, k] = UNIT[unit];
    return `${expr} - INTERVAL ${count * k} ${u}`;
  },
  justBefore: (expr) => `${expr} - INTERVAL 1 MICROSECOND`,
  periodSeries: (grain, lo, hi, alias) => `range(${lo}, ${hi}, INTERVAL ${INTERVAL[grain]}) AS ${alias}(period)`,
  openEnded: (expr, type) => `COALESCE(${type === 'date' ? `CAST(${expr} AS TIMESTAMP)` : expr}, TIMESTAMP 'infinity')`,
  asTimestamp: (expr, type) => (type === 'date' ? `CAST(${expr} AS TIMESTAMP)` : expr),
  asDate: (expr) => `CAST(${expr} AS DATE)`,
  asDouble: (expr) => `CAST(${expr} AS DOUBLE)`,
  secondsBetween: (a, b) => `(epoch(${b}) - epoch(${a}))`,
  divide: (a, b) => `${a} / NULLIF(${b}, 0)`,
  aggregate(fn: AggregateFn, arg, filter, fraction) {
    const x = filter === null ? (arg ?? '*') : `CASE WHEN ${filter} THEN ${arg ?? '1'} END`;
    switch (fn) {
      case 'count':
        return `count(${x})`;
      case 'count_distinct':
        return `count(DISTINCT ${x})`;
      case 'sum':
      case 'avg':
      case 'min':
      case 'max':
        return `${fn}(${x})`;
      case 'median':
      case 'percentile': {
        // On a DECIMAL, quantile_cont rounds the interpolated value to the column's scale.
        const real = filter === null ? `CAST(${arg} AS DOUBLE)` : `CASE WHEN ${filter} THEN CAST(${arg} AS DOUBLE) END`;
        return `quantile_cont(${real}, ${fraction})`;
      }
      case 'median_disc':
      case 'percentile_disc':
        return `quantile_disc(${x}, ${fraction})`;
      default: {
        const never: never = fn;
        return never;
      }
    }
  },
  round: (x, digits) => `round(${x}, ${digits})`,
  lag: (expr, n, partitionBy, orderBy) =>
    `lag(${expr}, ${n}) OVER (${partitionBy.length ? `PARTITION BY ${partitionBy.join(', ')} ` : ''}ORDER BY ${orderBy})`,
  // DuckDB compares strings by their bytes unless told otherwise.
  orderKey: (position) => String(position),
  nullsLast: 'NULLS LAST',
};
