// Checked KPIs + query options → a QueryPlan: one scan per table and time spec, shared by all
// the KPIs of the query, so that running many KPIs reads each table once.

import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { findDimension, type Catalog } from '../check/catalog.js';
import { irChildren, type CheckedKpi } from '../check/check.js';
import type { AggregateSpec, DimensionPlan, Grain, IrExpr, JoinStep, QueryPlan, Scan, ValueType } from './ir.js';

export interface QueryOptions {
  grain: Grain;
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
    const value = pushPrevious(extract(k.value), 0, (n) => (lookback = Math.max(lookback, n)));
    return { id: k.def.id.value, value };
  });

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
      s.time.kind === 'period' ? { table: s.table, column: s.time.column, type: s.time.columnType } : { table: s.table, column: s.time.from, type: s.time.fromType },
    ),
    (r) => `${r.table}.${r.column}`,
  );
  return { value: { grain: options.grain, dimensions, scans, outputs, lookback, rangeColumns }, diagnostics };
}

/** `region` asks for a declared `customers.region`, and `customers.region` for a declared `region`. */
function matchesDimension(declared: string, asked: string): boolean {
  return declared === asked || declared.endsWith(`.${asked}`) || asked.endsWith(`.${declared}`);
}

/** previous(x) becomes previous(agg_ref) at every leaf, so emitters only shift stored columns. */
function pushPrevious(e: IrExpr, periods: number, seen: (n: number) => void): IrExpr {
  if (e.kind === 'previous') return pushPrevious(e.operand, periods + e.periods, seen);
  if (e.kind === 'agg_ref') {
    if (periods === 0) return e;
    seen(periods);
    return { kind: 'previous', operand: e, periods };
  }
  return mapChildren(e, (c) => pushPrevious(c, periods, seen));
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
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Every distinct join path (and each of its prefixes) used by the expressions, shortest first. */
function joinPaths(exprs: IrExpr[]): JoinStep[][] {
  const paths = new Map<string, JoinStep[]>();
  const visit = (e: IrExpr) => {
    if (e.kind === 'column') {
      for (let i = 1; i <= e.path.length; i++) {
        const prefix = e.path.slice(0, i);
        paths.set(pathKey(prefix), prefix);
      }
    }
    irChildren(e).forEach(visit);
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
