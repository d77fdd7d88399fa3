// Checked KPIs + query options → a QueryPlan: one scan per table and time spec, shared by all
// the KPIs of the query, so that running many KPIs reads each table once.

import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { findDimension, type Catalog } from '../check/catalog.js';
import { irChildren, type CheckedKpi } from '../check/check.js';
import type { AggregateSpec, DimensionPlan, Grain, IrExpr, JoinStep, QueryGrain, QueryPlan, Scan, Shift, ValueType } from './ir.js';

export interface QueryOptions {
  grain: QueryGrain;
  /** `all` (default): every period of the range; `data`: only the periods with rows. */
  periods?: 'all' | 'data';
  /** Dimension names, as the KPIs declare them (`region`, `technicians.region`). */
  by: string[];
  /** A row condition per table, resolved by the caller (`--where`). */
  where?: (table: string) => IrExpr | null;
}

export function buildPlan(kpis: CheckedKpi[], catalog: Catalog, options: QueryOptions): Result<QueryPlan | null> {
  const diagnostics: Diagnostic[] = [];
  for (const dim of options.by) {
    for (const k of kpis) {
      if (!k.def.dimensions.some((d) => matchesDimension(d.value, dim))) {
        diagnostics.push({
          severity: 'error',
          code: 'KPI0507',
          message: `${k.def.id.value} cannot be sliced by '${dim}': it is not among its dimensions (${k.def.dimensions.map((d) => d.value).join(', ') || 'none'})`,
          file: k.def.file,
          span: k.def.id.span,
          hint: `add '${dim}' to its dimensions, or leave it out of --by`,
        });
      }
    }
  }
  if (diagnostics.length > 0) return { value: null, diagnostics };

  const scans: Scan[] = [];
  const scanByKey = new Map<string, Scan>();
  const aggByKey = new Map<string, IrExpr>();
  const extract = (e: IrExpr): IrExpr => {
    if (e.kind === 'aggregate') return refFor(e.spec);
    return mapChildren(e, extract);
  };
  const refFor = (spec: AggregateSpec): IrExpr => {
    const key = JSON.stringify(spec);
    const known = aggByKey.get(key);
    if (known) return known;
    const scanKey = `${spec.table}|${JSON.stringify(spec.time)}`;
    let scan = scanByKey.get(scanKey);
    if (!scan) {
      scan = { id: `s${scans.length + 1}`, table: spec.table, time: spec.time, joins: [], filter: options.where?.(spec.table) ?? null, aggregates: [] };
      scans.push(scan);
      scanByKey.set(scanKey, scan);
    }
    const column = `${spec.fn}_${scan.aggregates.length + 1}`;
    scan.aggregates.push({ column, spec });
    const ref: IrExpr = { kind: 'agg_ref', scan: scan.id, column, fn: spec.fn };
    aggByKey.set(key, ref);
    return ref;
  };
  let lookback = 0;
  const outputs = kpis.map((k) => {
    const value = pushShifts(extract(k.value), [], (shifts) => {
      if (options.grain === 'none') {
        diagnostics.push({
          severity: 'error',
          code: 'KPI0510',
          message: `${k.def.id.value} reads a value of another period (previous or start_of), which needs a time grain; --grain none has one period`,
          file: k.def.file,
          span: k.def.id.span,
          hint: 'ask for a grain such as --grain month',
        });
        return;
      }
      lookback = Math.max(lookback, lookbackOf(shifts, options.grain));
    });
    return { id: k.def.id.value, value, empty: k.def.empty };
  });
  if (diagnostics.length > 0) return { value: null, diagnostics };

  const dimensions: DimensionPlan[] = [];
  for (const asked of options.by) {
    // `--by region` means the dimension the KPIs declare for it, which may name its table.
    const name = kpis[0]?.def.dimensions.find((d) => matchesDimension(d.value, asked))?.value ?? asked;
    const byScan: Record<string, IrExpr> = {};
    let type: ValueType = 'string';
    for (const scan of scans) {
      const r = findDimension(catalog, scan.table, name);
      if (r.kind !== 'found') {
        diagnostics.push({ severity: 'error', code: 'KPI0307', message: `dimension '${name}' cannot be reached without ambiguity from ${scan.table}` });
        continue;
      }
      type = r.column.type === 'integer' || r.column.type === 'decimal' ? 'number' : r.column.type;
      byScan[scan.id] = { kind: 'column', path: r.path, table: r.table, column: r.column.name, type };
    }
    dimensions.push({ name, type, byScan });
  }
  // Output columns take the column's own name (`region`), or the qualified one where two would clash.
  const short = (n: string) => (n.includes('.') ? n.slice(n.indexOf('.') + 1) : n);
  for (const d of dimensions) if (dimensions.filter((o) => short(o.name) === short(d.name)).length === 1) d.name = short(d.name);
  if (diagnostics.length > 0) return { value: null, diagnostics };

  for (const scan of scans) {
    const exprs: IrExpr[] = [
      ...dimensions.map((d) => d.byScan[scan.id]),
      ...(scan.filter ? [scan.filter] : []),
      ...scan.aggregates.flatMap((a) => [a.spec.arg, a.spec.filter].filter((x): x is IrExpr => x !== null)),
    ];
    scan.joins = joinPaths(exprs);
  }
  const rangeColumns = uniqueBy(
    scans.map((s) =>
      s.time.kind === 'snapshot' ? { table: s.table, column: s.time.from, type: s.time.fromType } : { table: s.table, column: s.time.column, type: s.time.columnType },
    ),
    (r) => `${r.table}.${r.column}`,
  );
  return { value: { grain: options.grain, periods: options.periods ?? 'all', dimensions, scans, outputs, lookback, rangeColumns }, diagnostics };
}

/** `region` asks for a declared `customers.region`, and `customers.region` for a declared `region`. */
function matchesDimension(declared: string, asked: string): boolean {
  return declared === asked || declared.endsWith(`.${asked}`) || asked.endsWith(`.${declared}`);
}

/**
 * previous(x) and the other offsets move down to every aggregate they cover, so emitters only
 * read stored columns at another period: previous(agg_ref, n) when every shift is a whole number
 * of periods (a lag), else shifted(agg_ref, shifts).
 */
function pushShifts(e: IrExpr, shifts: Shift[], seen: (shifts: Shift[]) => void): IrExpr {
  if (e.kind === 'previous') return pushShifts(e.operand, [...shifts, { kind: 'periods', n: e.periods }], seen);
  if (e.kind === 'shifted') return pushShifts(e.operand, [...shifts, ...e.shifts], seen);
  if (e.kind === 'agg_ref') {
    if (shifts.length === 0) return e;
    seen(shifts);
    if (shifts.every((x) => x.kind === 'periods')) return { kind: 'previous', operand: e, periods: shifts.reduce((n, x) => n + (x.kind === 'periods' ? x.n : 0), 0) };
    return { kind: 'shifted', operand: e, shifts };
  }
  return mapChildren(e, (c) => pushShifts(c, shifts, seen));
}

const MAX_DAYS: Record<Grain, number> = { day: 1, week: 7, month: 31, quarter: 92, year: 366 };
const MIN_DAYS: Record<Grain, number> = { day: 1, week: 7, month: 28, quarter: 89, year: 365 };

/** How many periods before the first one the shifts may reach (an upper bound). */
function lookbackOf(shifts: Shift[], grain: Grain): number {
  let n = 0;
  for (const x of shifts) {
    if (x.kind === 'periods') n += x.n;
    else if (x.kind === 'interval') n += Math.ceil((x.count * MAX_DAYS[x.unit]) / MIN_DAYS[grain]) + 1;
    else n += Math.ceil(MAX_DAYS[x.grain] / MIN_DAYS[grain]);
  }
  return n;
}

export function mapChildren(e: IrExpr, f: (c: IrExpr) => IrExpr): IrExpr {
  switch (e.kind) {
    case 'literal':
    case 'column':
    case 'agg_ref':
      return e;
    case 'neg':
    case 'not':
    case 'is_null':
    case 'previous':
    case 'shifted':
      return { ...e, operand: f(e.operand) };
    case 'arith':
    case 'compare':
    case 'logic':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'in':
      return { ...e, operand: f(e.operand), values: e.values.map(f) };
    case 'call':
      return { ...e, args: e.args.map(f) };
    case 'case':
      return { ...e, whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: e.else ? f(e.else) : null };
    case 'aggregate':
      return { ...e, spec: { ...e.spec, arg: e.spec.arg ? f(e.spec.arg) : null, filter: e.spec.filter ? f(e.spec.filter) : null } };
    case 'related':
      return { ...e, spec: { ...e.spec, arg: e.spec.arg ? f(e.spec.arg) : null, filter: e.spec.filter ? f(e.spec.filter) : null } };
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Every distinct join path (and each of its prefixes) used by the expressions, shortest first. */
export function joinPaths(exprs: IrExpr[]): JoinStep[][] {
  const paths = new Map<string, JoinStep[]>();
  const visit = (e: IrExpr) => {
    if (e.kind === 'column') {
      for (let i = 1; i <= e.path.length; i++) {
        const prefix = e.path.slice(0, i);
        paths.set(pathKey(prefix), prefix);
      }
    }
    // A related aggregate's columns are its own table's, joined inside it.
    if (e.kind !== 'related') irChildren(e).forEach(visit);
  };
  exprs.forEach(visit);
  return [...paths.entries()].sort(([a, pa], [b, pb]) => pa.length - pb.length || a.localeCompare(b)).map(([, p]) => p);
}

export function pathKey(path: JoinStep[]): string {
  return path.map((s) => `${s.fromTable}.${s.fkColumn}>${s.toTable}.${s.toKey}`).join('/');
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(key(i)) ? false : (seen.add(key(i)), true)));
}

/** The scans an output reads at its own period (not through previous or another shift). */
export function directScans(e: IrExpr): string[] {
  const out = new Set<string>();
  const visit = (x: IrExpr) => {
    if (x.kind === 'agg_ref') out.add(x.scan);
    if (x.kind === 'previous' || x.kind === 'shifted') return;
    irChildren(x).forEach(visit);
  };
  visit(e);
  return [...out];
}

