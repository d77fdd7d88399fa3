// QueryPlan → SQL text. Each table is aggregated on its own per period (and dimension values),
// then the per-table results are joined onto a grid of every period × dimension value: no fact
// row is ever joined to another fact row, so nothing fans out.

import type { AggregateFn, Grain, IrExpr, QueryPlan, Scan, Shift, ValueType, Window } from '../../plan/ir.js';
import { irChildren } from '../../check/check.js';
import { directScans, pathKey } from '../../plan/build.js';
import type { Dialect } from './dialect.js';

export interface SqlOptions {
  dialect: Dialect;
  /**
   * `file`: literals written out and the range read from session variables, so the SQL runs as it
   * stands; `bound`: every value (range and literals) is a bound parameter.
   */
  mode: 'file' | 'bound';
  /** Comment lines put at the top. */
  header?: string[];
}

export interface SqlParam {
  name: string;
  value: number | string | boolean | null;
  type: ValueType;
}

export interface SqlQuery {
  sql: string;
  params: SqlParam[];
  /** Output columns: period, the dimensions, then one per KPI. */
  columns: string[];
}

/** What a range of the query is bound to in `bound` mode. */
export interface RangeValues {
  from: string | null;
  to: string | null;
}

class Writer {
  readonly params: SqlParam[] = [];
  private literals = 0;
  /** Each value is bound once, so a condition that several aggregates repeat reads the same. */
  private readonly bound = new Map<string, string>();
  constructor(
    readonly d: Dialect,
    readonly mode: 'file' | 'bound',
  ) {}

  value(value: number | string | boolean | null, type: ValueType, name?: string): string {
    if (this.mode === 'file' || value === null) return this.d.literal(value, type);
    const key = `${type}:${JSON.stringify(value)}`;
    const known = name === undefined ? this.bound.get(key) : undefined;
    if (known !== undefined) return known;
    const pname = name ?? `p${++this.literals}`;
    this.params.push({ name: pname, value, type });
    const sql = this.d.param(pname, this.params.length, type, value);
    if (name === undefined) this.bound.set(key, sql);
    return sql;
  }
}

const indent = (s: string, n = 2) => s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

export function emitSql(plan: QueryPlan, options: SqlOptions, range: RangeValues = { from: null, to: null }): SqlQuery {
  const d = options.dialect;
  const w = new Writer(d, options.mode);
  const q = (s: string) => d.quoteIdent(s);
  const ctes: [string, string][] = [];

  const rangeParam = (name: 'from' | 'to', value: string | null) => {
    if (options.mode === 'file') return d.variable(`kpi_${name}`, 'date');
    w.params.push({ name, value, type: 'date' });
    return d.param(name, w.params.length, 'date', value);
  };
  const fromParam = rangeParam('from', range.from);
  const toParam = rangeParam('to', range.to);
  ctes.push(['params', `SELECT\n  ${fromParam} AS from_date,\n  ${toParam} AS to_date`]);

  const dataBound = (agg: 'min' | 'max') => {
    const parts = plan.rangeColumns.map(({ table, column, type }) => d.asTimestamp(`(SELECT ${agg}(${q(column)}) FROM ${q(table)})`, type));
    return parts.length === 1 ? parts[0] : `${agg === 'min' ? 'least' : 'greatest'}(${parts.join(', ')})`;
  };
  // A range bound to a value needs no fallback: the min or max of the data costs a scan of each
  // time column, which the engine does not skip even when the bound is given.
  const edge = (name: 'from' | 'to') => {
    const given = d.asTimestamp(`${name}_date`, 'date');
    return options.mode === 'bound' && range[name] !== null ? given : `COALESCE(${given}, ${dataBound(name === 'from' ? 'min' : 'max')})`;
  };
  // With no grain the range is one period, from its first day to the day after its last.
  const g = plan.grain === 'none' ? null : plan.grain;
  const cut: Grain = g ?? 'day';
  ctes.push([
    'bounds',
    [
      'SELECT',
      '  first_period,',
      '  last_period,',
      `  ${g ? d.addPeriods(g, 'first_period', -plan.lookback) : 'first_period'} AS lo,`,
      `  ${d.addPeriods(cut, 'last_period', 1)} AS hi`,
      'FROM (',
      '  SELECT',
      `    ${d.truncate(cut, edge('from'), 'timestamp')} AS first_period,`,
      `    ${d.truncate(cut, edge('to'), 'timestamp')} AS last_period`,
      '  FROM params',
      ') AS b',
    ].join('\n'),
  ]);
  ctes.push([
    'periods',
    g ? `SELECT p.period, ${d.addPeriods(g, 'p.period', 1)} AS period_end\nFROM bounds AS b, ${d.periodSeries(g, 'b.lo', 'b.hi', 'p')}` : 'SELECT b.lo AS period, b.hi AS period_end\nFROM bounds AS b',
  ]);

  // The rows a scan reads: with the range bound to values, as expressions of the parameters, which
  // the engine folds and pushes down to the table scan; otherwise from the bounds computed above.
  const known = options.mode === 'bound' && range.from !== null && range.to !== null;
  const rows: RowRange = !known
    ? { lo: '(SELECT lo FROM bounds)', hi: '(SELECT hi FROM bounds)' }
    : g
      ? { lo: d.addPeriods(g, d.truncate(g, d.asTimestamp(fromParam, 'date'), 'timestamp'), -plan.lookback), hi: d.addPeriods(g, d.truncate(g, d.asTimestamp(toParam, 'date'), 'timestamp'), 1) }
      : { lo: d.asTimestamp(fromParam, 'date'), hi: d.addPeriods('day', d.asTimestamp(toParam, 'date'), 1) };
  for (const scan of plan.scans) ctes.push([scan.id, scanSql(plan, scan, w, rows)]);

  const dims = plan.dimensions.map((dim) => q(dim.name));
  let grid = 'periods AS g';
  if (dims.length > 0) {
    ctes.push(['dims', plan.scans.map((s) => `SELECT DISTINCT ${dims.join(', ')} FROM ${s.id}`).join('\nUNION\n')]);
    ctes.push(['grid', `SELECT p.period, ${dims.map((x) => `v.${x}`).join(', ')}\nFROM periods AS p CROSS JOIN dims AS v`]);
    grid = 'grid AS g';
  }
  const joinOn = (alias: string, period: string) => [`${alias}.period = ${period}`, ...dims.map((x) => `${alias}.${x} IS NOT DISTINCT FROM g.${x}`)].join(' AND ');
  const joins = plan.scans.map((s) => `LEFT JOIN ${s.id} ON ${joinOn(s.id, 'g.period')}`);
  // A value at another period (previous(x, 1 year), start_of(x, month)): the scan joined again at it.
  const shifted = new Map<string, string>();
  for (const o of plan.outputs) {
    walkIr(o.value, (e) => {
      if (e.kind !== 'shifted' || e.operand.kind !== 'agg_ref' || !g) return;
      const key = shiftKey(e.operand.scan, e.shifts);
      if (shifted.has(key)) return;
      const alias = `${e.operand.scan}_at${shifted.size + 1}`;
      shifted.set(key, alias);
      joins.push(`LEFT JOIN ${e.operand.scan} AS ${alias} ON ${joinOn(alias, shiftedPeriod(d, g, 'g.period', e.shifts))}`);
    });
  }
  const valueCtx: ValueCtx = { w, partition: dims.map((x) => `g.${x}`), shifted };
  const outputs = plan.outputs.map((o) => {
    let value = d.asDouble(valueSql(o.value, valueCtx));
    const own = directScans(o.value);
    if (o.empty !== null && own.length > 0) value = `CASE WHEN ${own.map((id) => `${id}.period IS NULL`).join(' AND ')} THEN ${d.asDouble(w.value(o.empty, 'number'))} ELSE ${value} END`;
    return `${value} AS ${q(o.id)}`;
  });
  const hasData = plan.periods === 'data' ? [`${plan.scans.length ? plan.scans.map((s) => `${s.id}.period IS NOT NULL`).join(' OR ') : 'FALSE'} AS has_data__`] : [];
  ctes.push(['results', ['SELECT', indent([`g.period`, ...dims.map((x) => `g.${x}`), ...outputs, ...hasData].join(',\n')), `FROM ${grid}`, ...joins].join('\n')]);

  const columns = ['period', ...plan.dimensions.map((x) => x.name), ...plan.outputs.map((o) => o.id)];
  const orderBy = ['1', ...plan.dimensions.map((dim, i) => `${d.orderKey(i + 2, q(dim.name), dim.type)} ${d.nullsLast}`)];
  const final = [
    'SELECT',
    indent([`${d.asDate('period')} AS period`, ...dims, ...plan.outputs.map((o) => q(o.id))].join(',\n')),
    'FROM results',
    `WHERE period >= (SELECT first_period FROM bounds)${hasData.length ? ' AND has_data__' : ''}`,
    `ORDER BY ${orderBy.join(', ')}`,
  ].join('\n');
  const header = commentLines(options.header ?? []).join('\n');
  const sql = `${header ? `${header}\n` : ''}WITH\n${ctes.map(([name, body]) => `${name} AS (\n${indent(body)}\n)`).join(',\n')}\n${final};\n`;
  return { sql, params: w.params, columns };
}

/**
 * `-- ` comment lines. Header text comes from KPI files: a line break in a name (`\r` ends a
 * DuckDB comment too) must not end the comment and leave the rest to run as SQL.
 */
export function commentLines(lines: string[]): string[] {
  return lines
    .flatMap((l) => l.split(/\r\n|[\r\n\u0085\u2028\u2029]/))
    .map((l) => l.replace(/[\u0000-\u001f\u007f]/g, ' '))
    .map((l) => (l ? `-- ${l}` : '--'));
}

/** SQL for the first instant of the rows read (inclusive) and the end (exclusive). */
interface RowRange {
  lo: string;
  hi: string;
}

function scanSql(plan: QueryPlan, scan: Scan, w: Writer, rows: RowRange): string {
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
  const rowCtx: RowCtx = { w, aliases, period };
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
  const where: string[] = [];
  let from: string[];
  let periodCol: string;
  if (scan.time.kind === 'period' && truncated) {
    const col = `t0.${q(scan.time.column)}`;
    periodCol = period.start;
    from = [`FROM ${q(scan.table)} AS t0`, ...joinLines];
    where.push(`${col} >= ${rows.lo}`, `${col} < ${rows.hi}`);
  } else if (scan.time.kind === 'period' || scan.time.kind === 'window') {
    const t = d.asTimestamp(`t0.${q(scan.time.column)}`, scan.time.columnType);
    const start = scan.time.kind === 'period' ? 'p.period' : windowStart(d, scan.time.window, 'p.period_end');
    periodCol = 'p.period';
    from = ['FROM periods AS p', `JOIN ${q(scan.table)} AS t0 ON ${start ? `${t} >= ${start} AND ` : ''}${t} < p.period_end`, ...joinLines];
  } else if (scan.time.kind === 'semi') {
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
  } else {
    const start = d.asTimestamp(`t0.${q(scan.time.from)}`, scan.time.fromType);
    const end = d.openEnded(`t0.${q(scan.time.to)}`, scan.time.toType);
    const on =
      scan.time.edge === 'end'
        ? `${start} < p.period_end AND ${end} >= p.period_end`
        : scan.time.edge === 'start'
          ? `${start} <= p.period AND ${end} > p.period`
          : `${start} < p.period_end AND ${end} > p.period`;
    periodCol = 'p.period';
    from = ['FROM periods AS p', `JOIN ${q(scan.table)} AS t0 ON ${on}`, ...joinLines];
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
  if (scan.time.kind === 'window' && parts.every((a) => COMBINABLE.has(a.fn)) && !scan.aggregates.some((a) => usesPeriod(a.spec.arg) || usesPeriod(a.spec.filter))) {
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

/** Whether a row expression reads the period it falls into (period_start(), period_end()). */
function usesPeriod(e: IrExpr | null): boolean {
  if (!e) return false;
  if (e.kind === 'call' && (e.fn === 'period_start' || e.fn === 'period_end')) return true;
  return irChildren(e).some(usesPeriod);
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

interface RowCtx {
  w: Writer;
  aliases: Map<string, string>;
  period: PeriodSql;
}

interface ValueCtx {
  w: Writer;
  partition: string[];
  /** Scan and shifts (shiftKey) → the alias the scan is joined under at the shifted period. */
  shifted: Map<string, string>;
}

function shiftKey(scan: string, shifts: Shift[]): string {
  return `${scan}|${JSON.stringify(shifts)}`;
}

/** The period start `period` moved by each shift in turn, truncated to the grain. */
function shiftedPeriod(d: Dialect, grain: Grain, period: string, shifts: Shift[]): string {
  let p = period;
  for (const x of shifts) {
    if (x.kind === 'periods') p = d.addPeriods(grain, p, -x.n);
    else if (x.kind === 'interval') p = d.truncate(grain, d.subtractInterval(p, x.count, x.unit), 'timestamp');
    else p = d.truncate(grain, d.truncate(x.grain, p, 'timestamp'), 'timestamp');
  }
  return p;
}

/** Where a window that ends at `end` starts (null: no start, all time). */
function windowStart(d: Dialect, win: Window, end: string): string | null {
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

function walkIr(e: IrExpr, f: (x: IrExpr) => void): void {
  f(e);
  irChildren(e).forEach((c) => walkIr(c, f));
}

const COMPARE_SQL: Record<string, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** The SQL of the period a scan's row falls into, and of the row's lifespan (snapshot scans). */
interface PeriodSql {
  start: string;
  end: string;
  lifespan: { from: string; to: string } | null;
}

/** The parts of an expression both levels share; `leaf` renders columns and aggregate refs. */
function exprSql(e: IrExpr, w: Writer, leaf: (e: IrExpr) => string, period: PeriodSql | null = null): string {
  const d = w.d;
  const r = (x: IrExpr) => exprSql(x, w, leaf, period);
  switch (e.kind) {
    case 'literal':
      return w.value(e.value, e.type);
    case 'column':
    case 'agg_ref':
    case 'previous':
    case 'shifted':
    case 'aggregate':
      return leaf(e);
    case 'neg':
      return `(-${r(e.operand)})`;
    case 'not':
      return `(NOT ${r(e.operand)})`;
    case 'arith':
      return e.op === '/' ? `(${d.divide(r(e.left), r(e.right))})` : `(${r(e.left)} ${e.op} ${r(e.right)})`;
    case 'compare':
      return `(${r(e.left)} ${COMPARE_SQL[e.op]} ${r(e.right)})`;
    case 'logic':
      return `(${r(e.left)} ${e.op.toUpperCase()} ${r(e.right)})`;
    case 'in':
      return `(${r(e.operand)} ${e.negated ? 'NOT IN' : 'IN'} (${e.values.map(r).join(', ')}))`;
    case 'is_null':
      return `(${r(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'call':
      return callSql(e, r, d, period);
    case 'case':
      return `CASE ${e.whens.map((x) => `WHEN ${r(x.when)} THEN ${r(x.then)}`).join(' ')}${e.else ? ` ELSE ${r(e.else)}` : ''} END`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

function callSql(e: Extract<IrExpr, { kind: 'call' }>, r: (x: IrExpr) => string, d: Dialect, period: PeriodSql | null): string {
  const inPeriod = () => {
    if (!period) throw new Error(`internal: ${e.fn}() outside an aggregate`);
    return period;
  };
  const overlapSeconds = () => {
    const p = inPeriod();
    if (!p.lifespan) throw new Error(`internal: ${e.fn}() outside a 'during' aggregate`);
    return d.secondsBetween(`greatest(${p.lifespan.from}, ${p.start})`, `least(COALESCE(${p.lifespan.to}, ${p.end}), ${p.end})`);
  };
      switch (e.fn) {
        case 'if':
          return `CASE WHEN ${r(e.args[0])} THEN ${r(e.args[1])} ELSE ${r(e.args[2])} END`;
        case 'hours_between':
          return `(${d.secondsBetween(r(e.args[0]), r(e.args[1]))} / 3600)`;
        case 'minutes_between':
          return `(${d.secondsBetween(r(e.args[0]), r(e.args[1]))} / 60)`;
        case 'days_between':
          return `(${d.secondsBetween(r(e.args[0]), r(e.args[1]))} / 86400)`;
        case 'round':
          return d.round(r(e.args[0]), e.args.length > 1 ? r(e.args[1]) : '0');
        case 'period_start':
          return inPeriod().start;
        case 'period_end':
          return inPeriod().end;
        case 'overlap_minutes':
          return `(${overlapSeconds()} / 60)`;
        case 'overlap_hours':
          return `(${overlapSeconds()} / 3600)`;
        case 'overlap_days':
          return `(${overlapSeconds()} / 86400)`;
        case 'coalesce':
        case 'abs':
        case 'least':
        case 'greatest':
          return `${e.fn}(${e.args.map(r).join(', ')})`;
        default: {
          const never: never = e.fn;
          return never;
        }
      }
}

function rowSql(e: IrExpr, ctx: RowCtx): string {
  return exprSql(
    e,
    ctx.w,
    (leaf) => {
      if (leaf.kind !== 'column') throw new Error(`internal: ${leaf.kind} in a row expression`);
      return `${ctx.aliases.get(pathKey(leaf.path))}.${ctx.w.d.quoteIdent(leaf.column)}`;
    },
    ctx.period,
  );
}

function aggRefSql(e: Extract<IrExpr, { kind: 'agg_ref' }>, d: Dialect, alias = e.scan): string {
  const col = `${alias}.${d.quoteIdent(e.column)}`;
  // An empty period has no row in the scan: a count there is 0, every other aggregate null.
  return e.fn === 'count' || e.fn === 'count_distinct' ? `COALESCE(${col}, 0)` : col;
}

function valueSql(e: IrExpr, ctx: ValueCtx): string {
  return exprSql(e, ctx.w, (leaf) => {
    if (leaf.kind === 'agg_ref') return aggRefSql(leaf, ctx.w.d);
    if (leaf.kind === 'previous' && leaf.operand.kind === 'agg_ref') return ctx.w.d.lag(aggRefSql(leaf.operand, ctx.w.d), leaf.periods, ctx.partition, 'g.period');
    if (leaf.kind === 'shifted' && leaf.operand.kind === 'agg_ref') {
      const alias = ctx.shifted.get(shiftKey(leaf.operand.scan, leaf.shifts));
      if (!alias) throw new Error('internal: a shifted value with no grain');
      return aggRefSql(leaf.operand, ctx.w.d, alias);
    }
    throw new Error(`internal: ${leaf.kind} in a value expression`);
  });
}
