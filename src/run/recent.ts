// The recent values of every KPI at its own grain, for the catalog site's trend charts and statuses.
// One query per grain reads all the KPIs of that grain (one pass per table), over all the data.

import type { CheckedProject } from '../check/check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { duckdb } from '../emit/sql/duckdb.js';
import { emitSql } from '../emit/sql/emit.js';
import type { Grain } from '../plan/ir.js';
import { planQuery } from '../plan/query.js';
import { planReads } from '../plan/reads.js';
import { checkData, runQuery, type Database, type Row } from './duckdb.js';

export interface Series {
  grain: Grain;
  /** Consecutive periods, oldest first; `value` is null where the KPI has none. */
  points: { period: string; value: number | null }[];
}

/** Per KPI id, the last `count` periods of the data at the KPI's grain. `where` names the database in diagnostics. */
export async function recentValues(db: Database, project: CheckedProject, count: number, where: string): Promise<{ series: Map<string, Series> | null; diagnostics: Diagnostic[] }> {
  const series = new Map<string, Series>();
  const grains = [...new Set(project.kpis.map((k) => k.def.grain))].sort();
  for (const grain of grains) {
    const ids = project.kpis.filter((k) => k.def.grain === grain).map((k) => k.def.id.value).sort();
    const plan = planQuery(project, { ids, grain });
    if (!plan.value) return { series: null, diagnostics: plan.diagnostics };
    const problems = await checkData(db, planReads(plan.value), project.sources, where);
    if (hasErrors(problems)) return { series: null, diagnostics: problems };
    const rows = await runQuery(db, emitSql(plan.value, { dialect: duckdb, mode: 'bound' }));
    const recent = lastPeriods(rows, ids, count);
    for (const id of ids) series.set(id, { grain, points: recent.map((r) => ({ period: String(r.period), value: typeof r[id] === 'number' ? (r[id] as number) : null })) });
  }
  return { series, diagnostics: [] };
}

/**
 * The `count` periods that end with the last one in which at least half of the KPIs have a value.
 * The query's range is the union of every table's time columns, and some reach past the data's
 * present (contracts ending in later years, customers created long before): a snapshot KPI still
 * counts live contracts in 2028, but the event KPIs have stopped there.
 */
export function lastPeriods(rows: Row[], ids: string[], count: number): Row[] {
  const sorted = [...rows].sort((a, b) => (String(a.period) < String(b.period) ? -1 : String(a.period) > String(b.period) ? 1 : 0));
  let last = -1;
  sorted.forEach((r, i) => {
    if (ids.filter((id) => r[id] !== null && r[id] !== undefined).length * 2 >= ids.length) last = i;
  });
  return last < 0 ? [] : sorted.slice(Math.max(0, last - count + 1), last + 1);
}
