// QueryPlan → SQL text. Each table is aggregated on its own per period (and dimension values),
// then the per-table results are joined onto a grid of every period × dimension value: no fact
// row is ever joined to another fact row, so nothing fans out.

import type { Grain, IrExpr, QueryPlan, Shift, ValueType } from '../../plan/ir.js';
import { irChildren } from '../../check/check.js';
import { directScans } from '../../plan/build.js';
import type { Dialect } from './dialect.js';
import { exprSql, indent, Writer } from './expr-sql.js';
import { scanSql, type RowRange } from './scan.js';

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

function walkIr(e: IrExpr, f: (x: IrExpr) => void): void {
  f(e);
  irChildren(e).forEach((c) => walkIr(c, f));
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
