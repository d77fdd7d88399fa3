// Related aggregates as the emitters see them: which a scan holds, whether each depends on the outer
// row's period, and the joins each follows from its own table.

import { irChildren } from '../check/check.js';
import { joinPaths } from './build.js';
import type { IrExpr, JoinStep, Scan } from './ir.js';

export type Related = Extract<IrExpr, { kind: 'related' }>;

/** A related aggregate's identity: two with the same spec are computed once. */
export function relatedKey(e: Related): string {
  return JSON.stringify(e.spec);
}

/** The related aggregates of a scan's aggregates, each once, in the order they first appear. */
export function scanRelated(scan: Scan): Related[] {
  const found = new Map<string, Related>();
  const visit = (e: IrExpr): void => {
    if (e.kind === 'related') {
      if (!found.has(relatedKey(e))) found.set(relatedKey(e), e);
      return;
    }
    irChildren(e).forEach(visit);
  };
  for (const a of scan.aggregates) [a.spec.arg, a.spec.filter].forEach((x) => x && visit(x));
  return [...found.values()];
}

/** Whether a row expression reads the period it falls into (period_start(), period_end()). */
export function usesPeriod(e: IrExpr | null): boolean {
  if (!e) return false;
  if (e.kind === 'call' && (e.fn === 'period_start' || e.fn === 'period_end')) return true;
  return irChildren(e).some(usesPeriod);
}

/** Whether a related aggregate's value depends on the outer row's period. */
export function relatedByPeriod(e: Related): boolean {
  return e.spec.time !== null || usesPeriod(e.spec.arg) || usesPeriod(e.spec.filter);
}

/**
 * The joins a related aggregate follows from its own table, shortest first: the path to the table
 * whose column points at the outer row (all of `path` but its last step), and the references its
 * argument and condition read. `keyPath` is that first path; the key is its table's `fkColumn`.
 */
export function relatedJoins(e: Related): { joins: JoinStep[][]; keyPath: JoinStep[]; key: JoinStep } {
  const s = e.spec;
  const key = s.path[s.path.length - 1];
  const keyPath = s.path.slice(0, -1);
  const keyColumn: IrExpr[] = keyPath.length ? [{ kind: 'column', path: keyPath, table: key.fromTable, column: key.fkColumn, type: 'number' }] : [];
  return { joins: joinPaths([...[s.arg, s.filter].filter((x): x is IrExpr => x !== null), ...keyColumn]), keyPath, key };
}
