// The functions the formula language knows, with their arity. Their typing rules live in expr.ts.

import type { AggregateFn, ScalarFn } from '../plan/ir.js';

export const AGGREGATE_FNS: readonly AggregateFn[] = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median', 'percentile', 'median_disc', 'percentile_disc'];

export const SCALAR_FNS: Readonly<Record<ScalarFn, { min: number; max: number; usage: string }>> = {
  coalesce: { min: 2, max: 16, usage: 'coalesce(a, b, ...)' },
  if: { min: 3, max: 3, usage: 'if(condition, then, else)' },
  abs: { min: 1, max: 1, usage: 'abs(x)' },
  round: { min: 1, max: 2, usage: 'round(x) or round(x, digits)' },
  least: { min: 2, max: 16, usage: 'least(a, b, ...)' },
  greatest: { min: 2, max: 16, usage: 'greatest(a, b, ...)' },
  hours_between: { min: 2, max: 2, usage: 'hours_between(start, end)' },
  minutes_between: { min: 2, max: 2, usage: 'minutes_between(start, end)' },
  days_between: { min: 2, max: 2, usage: 'days_between(start, end)' },
  period_start: { min: 0, max: 0, usage: 'period_start()' },
  period_end: { min: 0, max: 0, usage: 'period_end()' },
  overlap_minutes: { min: 0, max: 0, usage: 'overlap_minutes()' },
  overlap_hours: { min: 0, max: 0, usage: 'overlap_hours()' },
  overlap_days: { min: 0, max: 0, usage: 'overlap_days()' },
};

/** Functions of the aggregate level that are not aggregates over rows. */
export const PERIOD_FNS = {
  previous: { min: 1, max: 2, usage: 'previous(x), previous(x, periods) or previous(x, 1 year)' },
  start_of: { min: 2, max: 2, usage: 'start_of(x, month)' },
} as const;

export const ALL_FUNCTION_NAMES: readonly string[] = [...Object.keys(SCALAR_FNS), ...Object.keys(PERIOD_FNS)];

export function isAggregateFn(name: string): name is AggregateFn {
  return (AGGREGATE_FNS as readonly string[]).includes(name);
}

export function isScalarFn(name: string): name is ScalarFn {
  return Object.prototype.hasOwnProperty.call(SCALAR_FNS, name);
}
