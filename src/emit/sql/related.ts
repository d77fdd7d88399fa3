// Related aggregates in SQL: each is a derived table, aggregated per key of the outer table (and
// per period when it depends on the outer row's period), left-joined to the scan's rows. A
// correlated subquery would say the same, but PostgreSQL runs one per outer row.

import { pathKey } from '../../plan/build.js';
import type { Grain } from '../../plan/ir.js';
import { relatedByPeriod, relatedJoins, relatedKey, usesPeriod, type Related } from '../../plan/related.js';
import { indent, rowSql, type PeriodSql, type Writer } from './expr-sql.js';
import { periodCondition } from './period-join.js';

/** What a related aggregate placed by a time column needs to truncate its rows to their period. */
export interface RelatedPlacing {
  /** The query's grain; null with --grain none (the range is one period). */
  grain: Grain | null;
  /** The first instant of the rows read (inclusive) and the end (exclusive). */
  rows: { lo: string; hi: string };
}

/**
 * The LEFT JOIN lines of a scan's related aggregates (aliases r1, r2, ... in `aliases`), joined on
 * the outer row's key (`t0`'s) and, when they depend on it, the outer row's period start.
 */
export function relatedJoinLines(related: Related[], w: Writer, outerPeriod: string, aliases: Map<string, string>, place: RelatedPlacing): string[] {
  const d = w.d;
  const q = (s: string) => d.quoteIdent(s);
  return related.map((e, i) => {
    const alias = `r${i + 1}`;
    aliases.set(relatedKey(e), alias);
    const s = e.spec;
    const { joins: paths, keyPath, key: last } = relatedJoins(e);
    const byPeriod = relatedByPeriod(e);
    const inner = new Map<string, string>([['', 'u0']]);
    paths.forEach((p, j) => inner.set(pathKey(p), `u${j + 1}`));
    const joins = paths.map((p, j) => {
      const step = p[p.length - 1];
      return `LEFT JOIN ${q(step.toTable)} AS u${j + 1} ON u${j + 1}.${q(step.toKey)} = ${inner.get(pathKey(p.slice(0, -1)))}.${q(step.fkColumn)}`;
    });
    const inPeriod: PeriodSql = {
      start: 'p.period',
      end: 'p.period_end',
      lifespan: s.time?.kind === 'snapshot' ? { from: d.asTimestamp(`u0.${q(s.time.from)}`, s.time.fromType), to: d.asTimestamp(`u0.${q(s.time.to)}`, s.time.toType) } : null,
    };
    const ctx = { w, aliases: inner, period: inPeriod };
    const key = `${inner.get(pathKey(keyPath))}.${q(last.fkColumn)}`;
    const agg = d.aggregate(s.fn, s.arg ? rowSql(s.arg, ctx) : null, s.filter ? rowSql(s.filter, ctx) : null, s.fraction);
    const value = e.type === 'number' && s.fn !== 'count' && s.fn !== 'count_distinct' ? d.asDouble(agg) : agg;
    // Rows placed by a time column (`on c`) in periods of a grain: truncated to their period, as a
    // period scan does, rather than range-joined to the periods (several times faster on DuckDB).
    const truncated = s.time?.kind === 'period' && place.grain !== null && !usesPeriod(s.arg) && !usesPeriod(s.filter) ? s.time : null;
    const where = [`${key} IS NOT NULL`];
    let from: string[];
    let period: string | null = byPeriod ? 'p.period' : null;
    if (truncated && place.grain) {
      const t = `u0.${q(truncated.column)}`;
      period = d.truncate(place.grain, t, truncated.columnType);
      from = [`FROM ${q(s.table)} AS u0`];
      where.push(`${t} >= ${place.rows.lo}`, `${t} < ${place.rows.hi}`);
    } else if (byPeriod) from = ['FROM periods AS p', `JOIN ${q(s.table)} AS u0 ON ${s.time ? periodCondition(d, s.time, 'u0') : 'TRUE'}`];
    else from = [`FROM ${q(s.table)} AS u0`];
    const sql = [
      'SELECT',
      indent([...(period ? [`${period} AS period`] : []), `${key} AS k`, `${value} AS v`].join(',\n')),
      ...from,
      ...joins,
      `WHERE ${where.join('\n  AND ')}`,
      `GROUP BY ${byPeriod ? '1, 2' : '1'}`,
    ].join('\n');
    const on = [...(byPeriod ? [`${alias}.period = ${outerPeriod}`] : []), `${alias}.k = t0.${q(last.toKey)}`].join(' AND ');
    return `LEFT JOIN (\n${indent(sql)}\n) AS ${alias} ON ${on}`;
  });
}
