// The SQL of one scan: a pass over one table that computes, per period and dimension values, every
// aggregate of the query that reads that table with the same time spec.

import type { AggregateFn, IrExpr, QueryPlan, Scan } from '../../plan/ir.js';
import { pathKey } from '../../plan/build.js';
import type { Dialect } from './dialect.js';
import { indent, rowSql, type PeriodSql, type RowCtx, type Writer } from './expr-sql.js';
import { periodCondition, windowStart } from './period-join.js';
import { relatedJoinLines } from './related.js';
import { relatedByPeriod, scanRelated, usesPeriod } from '../../plan/related.js';

/** SQL for the first instant of the rows read (inclusive) and the end (exclusive). */
export interface RowRange {
  lo: string;
  hi: string;
}

export function scanSql(plan: QueryPlan, scan: Scan, w: Writer, rows: RowRange): string {
  const d = w.d;
  const q = (s: string) => d.quoteIdent(s);
  const aliases = new Map<string, string>([['', 't0']]);
  scan.joins.forEach((p, i) => aliases.set(pathKey(p), `t${i + 1}`));
  const g = plan.grain === 'none' ? null : plan.grain;
  // Rows by their own period (truncated) only for a plain period scan with a grain; every other
  // scan joins the periods it counts rows in.
  const truncated = scan.time.kind === 'period' && g !== null;
  const period: PeriodSql =
    scan.time.kind === 'period' && g
      ? { start: d.truncate(g, `t0.${q(scan.time.column)}`, scan.time.columnType), end: d.addPeriods(g, d.truncate(g, `t0.${q(scan.time.column)}`, scan.time.columnType), 1), lifespan: null }
      : scan.time.kind === 'snapshot'
        ? {
            start: 'p.period',
            end: 'p.period_end',
            lifespan: { from: d.asTimestamp(`t0.${q(scan.time.from)}`, scan.time.fromType), to: d.asTimestamp(`t0.${q(scan.time.to)}`, scan.time.toType) },
          }
        : { start: 'p.period', end: 'p.period_end', lifespan: null };
  const related = scanRelated(scan);
  const relatedAliases = new Map<string, string>();
  const relatedLines = relatedJoinLines(related, w, period.start, relatedAliases, { grain: g, rows });
  const rowCtx: RowCtx = { w, aliases, period, related: relatedAliases };
  const dimCols = plan.dimensions.map((dim) => `${rowSql(dim.byScan[scan.id], rowCtx)} AS ${q(dim.name)}`);
  const filters: string[] = [];
  const parts: AggregateSql[] = scan.aggregates.map(({ column, spec }) => {
    const arg = spec.arg ? rowSql(spec.arg, rowCtx) : null;
    const filter = spec.filter ? rowSql(spec.filter, rowCtx) : null;
    if (filter !== null) filters.push(filter);
    return { column, fn: spec.fn, arg, filter, fraction: spec.fraction };
  });
  const aggs = parts.map(({ column, fn, arg, filter, fraction }) => {
    const agg = d.aggregate(fn, arg, filter, fraction);
    return `${fn === 'count' || fn === 'count_distinct' ? agg : d.asDouble(agg)} AS ${q(column)}`;
  });
  // When every aggregate of the scan has a filter, a row that passes none of them adds nothing:
  // saying so in WHERE lets the engine drop it early and push the condition down to the scan
  // and its joins. (Not with dimensions: the grid takes its dimension values from the scans.)
  // Nor when a period's rows decide something (--periods data, a KPI's `empty`): a period whose rows
  // all fail the filters still has rows.
  const rowsMatter = plan.periods === 'data' || plan.outputs.some((o) => o.empty !== null);
  const onlyFiltered = !rowsMatter && plan.dimensions.length === 0 && filters.length === scan.aggregates.length && filters.length > 0;
  // A reference the WHERE conditions need a match for can be an inner join (the rows without
  // one fail WHERE anyway), which leaves DuckDB free to choose the join order.
  const matched = new Set([
    ...(scan.filter ? matchedPaths(scan.filter) : []),
    ...(onlyFiltered ? intersection(scan.aggregates.map((a) => matchedPaths(a.spec.filter!))) : []),
  ]);
  const joinLines = scan.joins.map((p, i) => {
    const step = p[p.length - 1];
    const parent = aliases.get(pathKey(p.slice(0, -1)))!;
    return `${matched.has(pathKey(p)) ? 'JOIN' : 'LEFT JOIN'} ${q(step.toTable)} AS t${i + 1} ON t${i + 1}.${q(step.toKey)} = ${parent}.${q(step.fkColumn)}`;
  });
  joinLines.push(...relatedLines);
  const where: string[] = [];
  let from: string[];
  let periodCol: string;
  if (scan.time.kind === 'period' && truncated) {
    const col = `t0.${q(scan.time.column)}`;
    periodCol = period.start;
    from = [`FROM ${q(scan.table)} AS t0`, ...joinLines];
    where.push(`${col} >= ${rows.lo}`, `${col} < ${rows.hi}`);
  } else if (scan.time.kind !== 'semi') {
    periodCol = 'p.period';
    from = ['FROM periods AS p', `JOIN ${q(scan.table)} AS t0 ON ${periodCondition(d, scan.time, 't0')}`, ...joinLines];
  } else {
    // The rows at the period's last (first) snapshot time, over the table or per entity.
    const time = scan.time;
    const col = q(time.column);
    const t = (alias: string) => d.asTimestamp(`${alias}.${col}`, time.columnType);
    const per = time.per ? q(time.per) : null;
    const snap = [
      `SELECT p2.period, ${per ? `s.${per} AS entity, ` : ''}${time.edge === 'last' ? 'max' : 'min'}(${t('s')}) AS at`,
      `  FROM periods AS p2 JOIN ${q(scan.table)} AS s ON ${t('s')} >= p2.period AND ${t('s')} < p2.period_end`,
      `  GROUP BY ${per ? '1, 2' : '1'}`,
    ].join('\n');
    periodCol = 'p.period';
    from = [
      'FROM periods AS p',
      `JOIN ${q(scan.table)} AS t0 ON ${t('t0')} >= p.period AND ${t('t0')} < p.period_end`,
      `JOIN (\n${snap}\n) AS snap ON snap.period = p.period AND snap.at = ${t('t0')}${per ? ` AND snap.entity IS NOT DISTINCT FROM t0.${per}` : ''}`,
      ...joinLines,
    ];
  }
  if (scan.filter) where.push(`(${rowSql(scan.filter, rowCtx)})`);
  if (onlyFiltered) {
    // The conditions every filter shares (`status = 'completed'`), which the engine can push into
    // the scan; without one, the rows that pass any filter.
    const common = commonConjuncts(scan.aggregates.map((a) => a.spec.filter!));
    const distinct = [...new Set(filters)];
    if (common.length > 0) where.push(...common.map((c) => rowSql(c, rowCtx)));
    else where.push(distinct.length === 1 ? distinct[0] : `(${distinct.join(' OR ')})`);
  }
  const groupBy = `GROUP BY ${Array.from({ length: 1 + dimCols.length }, (_, i) => String(i + 1)).join(', ')}`;
  const select = (columns: string[]) => ['SELECT', indent(columns.join(',\n')), ...from, ...(where.length ? [`WHERE ${where.join('\n  AND ')}`] : []), groupBy].join('\n');
  if (scan.time.kind === 'period' && g && truncated && parts.every((a) => COMBINABLE.has(a.fn))) {
    const byDay = dayAggregates(d, parts);
    const days = select([`${d.asDate(`t0.${q(scan.time.column)}`)} AS ${q(DAY)}`, ...dimCols, ...byDay.inner]);
    const periodOfDay = d.truncate(g, q(DAY), 'date');
    return ['SELECT', indent([`${periodOfDay} AS period`, ...plan.dimensions.map((x) => q(x.name)), ...byDay.outer].join(',\n')), 'FROM (', indent(days), ') AS days', groupBy].join('\n');
  }
  const periodFree = !scan.aggregates.some((a) => usesPeriod(a.spec.arg) || usesPeriod(a.spec.filter)) && !related.some(relatedByPeriod);
  if (scan.time.kind === 'window' && parts.every((a) => COMBINABLE.has(a.fn)) && periodFree) {
    // Windows start and end at midnight, so a day is wholly in a window or out of it: the rows are
    // aggregated per day first, and the days joined to the windows (far fewer than the rows).
    const byDay = dayAggregates(d, parts);
    const tcol = `t0.${q(scan.time.column)}`;
    const dayWhere = [...where, `${d.asTimestamp(tcol, scan.time.columnType)} < ${rows.hi}`];
    const days = [
      'SELECT',
      indent([`${d.asDate(tcol)} AS ${q(DAY)}`, ...dimCols, ...byDay.inner].join(',\n')),
      `FROM ${q(scan.table)} AS t0`,
      ...joinLines,
      `WHERE ${dayWhere.join('\n  AND ')}`,
      `GROUP BY ${Array.from({ length: 1 + dimCols.length }, (_, i) => String(i + 1)).join(', ')}`,
    ].join('\n');
    const day = d.asTimestamp(`days.${q(DAY)}`, 'date');
    const start = windowStart(d, scan.time.window, 'p.period_end');
    return [
      'SELECT',
      indent(['p.period AS period', ...plan.dimensions.map((x) => `days.${q(x.name)}`), ...byDay.outer].join(',\n')),
      'FROM periods AS p',
      `JOIN (\n${indent(days)}\n) AS days ON ${start ? `${day} >= ${start} AND ` : ''}${day} < p.period_end`,
      groupBy,
    ].join('\n');
  }
  return select([`${periodCol} AS period`, ...dimCols, ...aggs]);
}

/**
 * The join paths (as pathKey, with every prefix) without whose match condition `e` cannot be true:
 * a comparison, a boolean column, `in` and `is not null` on a column reached through a path are
 * null without a match, and so is arithmetic on it; `and` needs what either side needs, `or` what
 * both need. Anything else (coalesce, case, is null) is assumed to hold without a match.
 */
function matchedPaths(e: IrExpr): Set<string> {
  switch (e.kind) {
    case 'column':
    case 'compare':
    case 'in':
    case 'not':
      return nullWithout(e);
    case 'is_null':
      return e.negated ? nullWithout(e.operand) : new Set();
    case 'logic': {
      const [l, r] = [matchedPaths(e.left), matchedPaths(e.right)];
      return e.op === 'and' ? new Set([...l, ...r]) : intersection([l, r]);
    }
    default:
      return new Set();
  }
}

/** The join paths whose missing match makes `e` null. */
function nullWithout(e: IrExpr): Set<string> {
  switch (e.kind) {
    case 'column':
      return new Set(e.path.map((_, i) => pathKey(e.path.slice(0, i + 1))));
    case 'neg':
    case 'not':
      return nullWithout(e.operand);
    case 'arith':
    case 'compare':
      return new Set([...nullWithout(e.left), ...nullWithout(e.right)]);
    case 'in':
      return nullWithout(e.operand);
    default:
      return new Set();
  }
}

/** The `and`-ed parts that every one of `filters` has. */
function commonConjuncts(filters: IrExpr[]): IrExpr[] {
  const parts = (e: IrExpr): IrExpr[] => (e.kind === 'logic' && e.op === 'and' ? [...parts(e.left), ...parts(e.right)] : [e]);
  const keyed = filters.map((f) => new Map(parts(f).map((p) => [JSON.stringify(p), p])));
  return [...keyed[0]].filter(([k]) => keyed.every((m) => m.has(k))).map(([, p]) => p);
}

function intersection(sets: Set<string>[]): Set<string> {
  return sets.length === 0 ? new Set() : new Set([...sets[0]].filter((x) => sets.every((s) => s.has(x))));
}

/** An aggregate of a scan, its argument and filter already in SQL. */
interface AggregateSql {
  column: string;
  fn: AggregateFn;
  arg: string | null;
  filter: string | null;
  fraction: number | null;
}

const DAY = 'period_day';
const COMBINABLE = new Set<AggregateFn>(['count', 'sum', 'avg', 'min', 'max']);

/**
 * Periods of a day or longer start at midnight, so a scan's rows can be aggregated per day first
 * and the days per period after. That is much cheaper: DuckDB spends most of a simple scan
 * truncating every row's timestamp to its period, and a cast to a date costs a fraction of that.
 * Counts, sums, minima and maxima combine exactly; an average travels as its sum and count.
 * (Distinct counts and percentiles do not combine: their scans aggregate rows per period.)
 */
function dayAggregates(d: Dialect, parts: AggregateSql[]): { inner: string[]; outer: string[] } {
  const q = (s: string) => d.quoteIdent(s);
  const inner: string[] = [];
  const outer: string[] = [];
  for (const { column, fn, arg, filter } of parts) {
    const c = q(column);
    switch (fn) {
      case 'count':
        inner.push(`${d.aggregate('count', arg, filter, null)} AS ${c}`);
        outer.push(`${d.aggregate('sum', c, null, null)} AS ${c}`);
        break;
      case 'sum':
      case 'min':
      case 'max':
        inner.push(`${d.aggregate(fn, arg, filter, null)} AS ${c}`);
        outer.push(`${d.asDouble(d.aggregate(fn, c, null, null))} AS ${c}`);
        break;
      case 'avg': {
        const [sum, n] = [q(`${column}_sum`), q(`${column}_n`)];
        inner.push(`${d.aggregate('sum', arg, filter, null)} AS ${sum}`, `${d.aggregate('count', arg, filter, null)} AS ${n}`);
        outer.push(`${d.divide(d.asDouble(d.aggregate('sum', sum, null, null)), d.aggregate('sum', n, null, null))} AS ${c}`);
        break;
      }
      default:
        throw new Error(`internal: ${fn} cannot be combined over days`);
    }
  }
  return { inner, outer };
}
