// The tables and columns a plan reads: what the data must hold before the query runs.

import { irChildren } from '../check/check.js';
import type { IrExpr, QueryPlan } from './ir.js';

export function planReads(plan: QueryPlan): { table: string; columns: string[] }[] {
  const cols = new Map<string, Set<string>>();
  const add = (t: string, c: string) => {
    if (!cols.has(t)) cols.set(t, new Set());
    cols.get(t)!.add(c);
  };
  const visit = (e: IrExpr): void => {
    if (e.kind === 'column') {
      add(e.table, e.column);
      for (const s of e.path) (add(s.fromTable, s.fkColumn), add(s.toTable, s.toKey));
    }
    if (e.kind === 'related') {
      const t = e.spec.time;
      if (t?.kind === 'snapshot') (add(e.spec.table, t.from), add(e.spec.table, t.to));
      else if (t) add(e.spec.table, t.column);
      for (const s of e.spec.path) (add(s.fromTable, s.fkColumn), add(s.toTable, s.toKey));
    }
    irChildren(e).forEach(visit);
  };
  for (const scan of plan.scans) {
    if (scan.time.kind === 'snapshot') (add(scan.table, scan.time.from), add(scan.table, scan.time.to));
    else add(scan.table, scan.time.column);
    if (scan.time.kind === 'semi' && scan.time.per) add(scan.table, scan.time.per);
    if (scan.filter) visit(scan.filter);
    for (const a of scan.aggregates) {
      if (a.spec.arg) visit(a.spec.arg);
      if (a.spec.filter) visit(a.spec.filter);
    }
    for (const d of plan.dimensions) visit(d.byScan[scan.id]);
  }
  return [...cols.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([table, c]) => ({ table, columns: [...c].sort() }));
}
