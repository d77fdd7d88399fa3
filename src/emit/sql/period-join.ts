// The condition that puts a table's row into a period `p` (a row of the periods CTE): by its time
// column, in a window ending at the period's end, or by its lifespan. Scans and related aggregates
// both join their rows to the periods with it.

import type { TimeSpec, Window } from '../../plan/ir.js';
import type { Dialect } from './dialect.js';

/** The join condition of a row (alias `t`) with the period `p`, for every time spec but `semi`. */
export function periodCondition(d: Dialect, time: Exclude<TimeSpec, { kind: 'semi' }>, t: string, p = 'p'): string {
  const q = (s: string) => d.quoteIdent(s);
  switch (time.kind) {
    case 'period':
    case 'window': {
      const at = d.asTimestamp(`${t}.${q(time.column)}`, time.columnType);
      const start = time.kind === 'period' ? `${p}.period` : windowStart(d, time.window, `${p}.period_end`);
      return `${start ? `${at} >= ${start} AND ` : ''}${at} < ${p}.period_end`;
    }
    case 'snapshot': {
      const from = d.asTimestamp(`${t}.${q(time.from)}`, time.fromType);
      const to = d.openEnded(`${t}.${q(time.to)}`, time.toType);
      if (time.edge === 'end') return `${from} < ${p}.period_end AND ${to} >= ${p}.period_end`;
      if (time.edge === 'start') return `${from} <= ${p}.period AND ${to} > ${p}.period`;
      return `${from} < ${p}.period_end AND ${to} > ${p}.period`;
    }
    default: {
      const never: never = time;
      return never;
    }
  }
}

/** Where a window that ends at `end` starts (null: no start, all time). */
export function windowStart(d: Dialect, win: Window, end: string): string | null {
  switch (win.kind) {
    case 'interval':
      return d.subtractInterval(end, win.count, win.unit);
    case 'to_date':
      return d.truncate(win.grain, d.justBefore(end), 'timestamp');
    case 'all':
      return null;
    default: {
      const never: never = win;
      return never;
    }
  }
}
