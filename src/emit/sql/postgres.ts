// The PostgreSQL dialect (PostgreSQL 12 and later, and the engines that speak its SQL). Every form
// here gives the numbers the DuckDB dialect gives; docs/dialects.md says why each one is written
// the way it is.

import type { AggregateFn, Grain } from '../../plan/ir.js';
import type { Dialect } from './dialect.js';
import { writeLiteral } from './literal.js';

const INTERVAL: Record<Grain, string> = { day: '1 day', week: '7 days', month: '1 month', quarter: '3 months', year: '1 year' };
const UNIT: Record<Grain, [string, number]> = { day: ['day', 1], week: ['day', 7], month: ['month', 1], quarter: ['month', 3], year: ['year', 1] };

/**
 * A string literal that reads the same whatever `standard_conforming_strings` says: a string with
 * a backslash is written as an escape string (E'...'), where backslashes are always escapes.
 */
function stringLiteral(s: string): string {
  const quoted = s.replace(/'/g, "''");
  return s.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`internal: non-finite literal ${n}`);
  return Number.isInteger(n) && Math.abs(n) < 2 ** 53 ? String(n) : `CAST(${JSON.stringify(n)} AS double precision)`;
}

/** Halves away from zero on a double, as C's round() (and so DuckDB) does: `y` is repeated. */
function roundHalfAway(y: string): string {
  return `(trunc(${y}) + sign(${y}) * CASE WHEN abs(${y} - trunc(${y})) >= 0.5 THEN 1 ELSE 0 END)`;
}

/**
 * A custom setting's name needs a prefix and a dot, and its last part must not be a reserved word
 * (`SET kpi.from` is a syntax error): kpi_from, a date, is the setting kpi.from_date.
 */
function settingName(name: string, type: string): string {
  return `${name.replace(/_/, '.')}_${type}`;
}

/**
 * An aggregate's argument over the filtered rows: CASE WHEN rather than FILTER (WHERE), as in the
 * DuckDB dialect, because Redshift and older engines of the family have no FILTER clause.
 */
function filtered(arg: string | null, filter: string | null): string {
  return filter === null ? (arg ?? '*') : `CASE WHEN ${filter} THEN ${arg ?? '1'} END`;
}

export const postgres: Dialect = {
  name: 'postgres',
  runsIn: 'psql (PostgreSQL 12 or later)',
  quoteIdent: (name) => `"${name.replace(/"/g, '""')}"`,
  literal: (value, type) => writeLiteral(value, type, { string: stringLiteral, number: numberText }),
  param(_name, index, type, value) {
    const p = `$${index}`;
    switch (type) {
      case 'number':
        // DuckDB binds a whole number as an integer and any other as a double: so do we.
        return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? `CAST(${p} AS bigint)` : `CAST(${p} AS double precision)`;
      case 'boolean':
        return `CAST(${p} AS boolean)`;
      case 'date':
        return `CAST(${p} AS date)`;
      case 'timestamp':
        return `CAST(${p} AS timestamp)`;
      default:
        return `CAST(${p} AS text)`;
    }
  },
  // Unset, current_setting(name, true) is null; after RESET it is ''.
  variable: (name, type) => `CAST(NULLIF(current_setting(${stringLiteral(settingName(name, type))}, true), '') AS date)`,
  setVariables: (values) => values.map((v) => `SET ${settingName(v.name, 'date')} = ${stringLiteral(v.date)};`).join(' '),
  // date_trunc on a date would read it as a timestamp with time zone, in the session's zone.
  truncate: (grain, expr, type) => `date_trunc('${grain}', ${type === 'date' ? `CAST(${expr} AS timestamp)` : expr})`,
  addPeriods(grain, expr, n) {
    if (n === 0) return expr;
    const [unit, k] = UNIT[grain];
    const count = Math.abs(n) * k;
    return `${expr} ${n > 0 ? '+' : '-'} INTERVAL '${count} ${unit}${count === 1 ? '' : 's'}'`;
  },
  subtractInterval(expr, count, unit) {
    const [u, k] = UNIT[unit];
    const n = count * k;
    return `${expr} - INTERVAL '${n} ${u}${n === 1 ? '' : 's'}'`;
  },
  justBefore: (expr) => `${expr} - INTERVAL '1 microsecond'`,
  // generate_series includes its end; the bounds are period starts, so one microsecond less excludes hi.
  periodSeries: (grain, lo, hi, alias) => `generate_series(${lo}, ${hi} - INTERVAL '1 microsecond', INTERVAL '${INTERVAL[grain]}') AS ${alias}(period)`,
  openEnded: (expr, type) => `COALESCE(${type === 'date' ? `CAST(${expr} AS timestamp)` : expr}, TIMESTAMP 'infinity')`,
  asTimestamp: (expr, type) => (type === 'date' ? `CAST(${expr} AS timestamp)` : expr),
  asDate: (expr) => `CAST(${expr} AS date)`,
  asDouble: (expr) => `CAST(${expr} AS double precision)`,
  // extract(epoch) of a timestamp without time zone is its nominal seconds, of a date its midnight.
  secondsBetween: (a, b) => `CAST(extract(epoch from ${b}) - extract(epoch from ${a}) AS double precision)`,
  // Integer / integer truncates in PostgreSQL and numeric / numeric is exact: DuckDB divides doubles.
  divide: (a, b) => `CAST(${a} AS double precision) / NULLIF(CAST(${b} AS double precision), 0)`,
  aggregate(fn: AggregateFn, arg, filter, fraction) {
    switch (fn) {
      case 'count':
        return `count(${filtered(arg, filter)})`;
      case 'count_distinct':
        return `count(DISTINCT ${filtered(arg, filter)})`;
      case 'sum':
      case 'avg':
      case 'min':
      case 'max':
        return `${fn}(${filtered(arg, filter)})`;
      case 'median':
      case 'percentile':
        // An ordered-set aggregate: the filter goes inside the ordering (nulls are skipped).
        return `percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${filtered(`CAST(${arg} AS double precision)`, filter)})`;
      case 'median_disc':
      case 'percentile_disc':
        return `percentile_disc(${fraction}) WITHIN GROUP (ORDER BY ${filtered(arg, filter)})`;
      default: {
        const never: never = fn;
        return never;
      }
    }
  },
  round(x, digits) {
    // round(numeric, int) is exact with halves away from zero, as DuckDB rounds a DECIMAL; a double
    // is rounded as DuckDB rounds it, on its binary value (round(0.285, 2) is 0.28). Which one
    // applies is known only when the query runs (a decimal column may be numeric or a double).
    const d = `CAST(${digits} AS integer)`;
    const scale = (sign: string) => `power(CAST(10 AS double precision), ${sign}${d})`;
    const up = `${roundHalfAway(`(${x} * ${scale('')})`)} / ${scale('')}`;
    const down = `${roundHalfAway(`(${x} / ${scale('-')})`)} * ${scale('-')}`;
    return `CASE WHEN pg_typeof(${x}) IN ('double precision'::regtype, 'real'::regtype) THEN CASE WHEN ${d} >= 0 THEN ${up} ELSE ${down} END ELSE round(CAST(${x} AS numeric), ${d}) END`;
  },
  lag: (expr, n, partitionBy, orderBy) =>
    `lag(${expr}, ${n}) OVER (${partitionBy.length ? `PARTITION BY ${partitionBy.join(', ')} ` : ''}ORDER BY ${orderBy})`,
  // The database's collation may sort 'B' before 'a' or ignore punctuation; "C" sorts by code point, as DuckDB does.
  orderKey: (position, column, type) => (type === 'string' ? `${column} COLLATE "C"` : String(position)),
  nullsLast: 'NULLS LAST',
};
