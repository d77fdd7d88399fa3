// What the SQL emitter asks of an engine. Nothing outside a dialect file writes engine-specific SQL.

import type { AggregateFn, Grain, ValueType } from '../../plan/ir.js';

export interface Dialect {
  readonly name: string;
  quoteIdent(name: string): string;
  /** A literal value written into the SQL text (for generated files, which must run as they stand). */
  literal(value: number | string | boolean | null, type: ValueType): string;
  /** A bound parameter in the SQL text; `index` is 1-based, `name` a stable name. */
  param(name: string, index: number, type: ValueType): string;
  /** A session variable with no value by default: how a generated file takes its range. */
  variable(name: string, type: 'date'): string;
  /** The start of the period of `grain` that holds `expr`, as a timestamp. */
  truncate(grain: Grain, expr: string, type: 'date' | 'timestamp'): string;
  /** `expr` moved by `n` periods of `grain` (n may be negative). */
  addPeriods(grain: Grain, expr: string, n: number): string;
  /** `expr` (a timestamp) moved back by `count` calendar units (`count` >= 1). */
  subtractInterval(expr: string, count: number, unit: Grain): string;
  /** The last representable instant before `expr` (a timestamp): `expr` minus one microsecond. */
  justBefore(expr: string): string;
  /** A FROM item yielding one row per period start from `lo` (inclusive) to `hi` (exclusive), column `alias.period`. */
  periodSeries(grain: Grain, lo: string, hi: string, alias: string): string;
  /** `expr` as a timestamp, with null read as the end of time (an open lifespan). */
  openEnded(expr: string, type: 'date' | 'timestamp'): string;
  asTimestamp(expr: string, type: 'date' | 'timestamp'): string;
  asDate(expr: string): string;
  asDouble(expr: string): string;
  /** Seconds from `a` to `b`, as a real number. */
  secondsBetween(a: string, b: string): string;
  /** Real division with division by zero giving null. */
  divide(a: string, b: string): string;
  /** An aggregate of `arg` (null: rows) over the rows where `filter` holds (null: all rows). */
  aggregate(fn: AggregateFn, arg: string | null, filter: string | null, fraction: number | null): string;
  /** round(x, digits) with halves away from zero. */
  round(x: string, digits: string): string;
  /** The previous value of `expr` `n` rows back in a window. */
  lag(expr: string, n: number, partitionBy: string[], orderBy: string): string;
  /** NULLS LAST, as an ORDER BY suffix. */
  readonly nullsLast: string;
}
