// The typing rules shared by the expression checker: typed values, levels, units of branches,
// comparisons, literal checks, and which time column puts an aggregate's rows into periods.

import type { Diagnostic, TextOrigin, TextSpan } from '../diagnostics/diagnostic.js';
import { diagnosticAt } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Aggregate, Expr } from '../lang/ast.js';
import type { KpiDef, SourceDef } from '../load/types.js';
import type { IrExpr, TimeSpec, ValueType, Window } from '../plan/ir.js';
import { columnOf, type Catalog } from './catalog.js';
import { DIMENSIONLESS, formatUnit, sameUnit, type Unit } from './units.js';

export type Level = 'constant' | 'row' | 'aggregate';

export interface Typed {
  ir: IrExpr;
  type: ValueType;
  /** null: a literal number, which takes the unit of what it meets. */
  unit: Unit | null;
  level: Level;
  /** Allowed values of a categorical column, for checking the literals compared with it. */
  values: string[] | null;
}

export interface Scope {
  catalog: Catalog;
  origin: TextOrigin;
  kpi: KpiDef;
  diagnostics: Diagnostic[];
  /** A bare name outside aggregates: a measure or a KPI. undefined: not found. null: found, but it has errors. */
  lookup(name: string): Typed | null | undefined;
  /** Names `lookup` knows, for suggestions. */
  names(): string[];
}

export interface Ctx {
  scope: Scope;
  /** The table of the enclosing aggregate, when inside one. */
  table: SourceDef | null;
  /** Bare names may name columns of tables reached through references (a query's `--where`). */
  reach?: boolean;
  /** How the enclosing aggregate's rows fall into periods (null: a related aggregate over all its rows). */
  time?: TimeSpec | null;
  /** Inside a related aggregate: its outer aggregate's table. */
  outer?: SourceDef;
}

export function report(ctx: Ctx, span: TextSpan, code: string, message: string, hint?: string): null {
  ctx.scope.diagnostics.push(diagnosticAt(ctx.scope.origin, span, 'error', code, message, hint));
  return null;
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/;

export function literal(value: number | string | boolean | null, type: ValueType): Typed {
  return { ir: { kind: 'literal', value, type }, type, unit: type === 'number' ? null : DIMENSIONLESS, level: 'constant', values: null };
}

export function joinLevel(...levels: Level[]): Level {
  return levels.includes('aggregate') ? 'aggregate' : levels.includes('row') ? 'row' : 'constant';
}

export function describe(t: Typed): string {
  switch (t.type) {
    case 'number':
      return t.unit === null ? 'a number' : `a number in ${formatUnit(t.unit)}`;
    case 'boolean':
      return 'a condition (true/false)';
    case 'string':
      return 'text';
    case 'date':
      return 'a date';
    case 'timestamp':
      return 'a timestamp';
    case 'null':
      return 'null';
    default: {
      const never: never = t.type;
      return never;
    }
  }
}

export function comparable(a: Typed, b: Typed): boolean {
  if (a.type === 'null' || b.type === 'null') return false;
  const temporal = (t: ValueType) => t === 'date' || t === 'timestamp';
  if (temporal(a.type) && temporal(b.type)) return true;
  return a.type === b.type;
}

/** A string literal compared with a categorical column must be one of its values. */
export function checkAllowed(col: Typed, lit: Typed, litExpr: Expr, ctx: Ctx): boolean {
  if (!col.values || lit.ir.kind !== 'literal' || typeof lit.ir.value !== 'string') return true;
  if (col.values.includes(lit.ir.value)) return true;
  report(ctx, litExpr.span, 'KPI0408', `'${lit.ir.value}' is not one of the values this column holds (${col.values.join(', ')})`, didYouMean(lit.ir.value, col.values));
  return false;
}

/** A string literal that reads as a date or timestamp, compared with one, becomes one. */
export function asTemporal(lit: Typed, other: Typed): Typed {
  if (lit.ir.kind !== 'literal' || typeof lit.ir.value !== 'string') return lit;
  if (other.type !== 'date' && other.type !== 'timestamp') return lit;
  const type: ValueType | null = ISO_DATE.test(lit.ir.value) ? 'date' : ISO_TIMESTAMP.test(lit.ir.value) ? 'timestamp' : null;
  return type ? { ...lit, ir: { kind: 'literal', value: lit.ir.value, type }, type } : lit;
}

export function unitsAgree(a: Typed, b: Typed): Unit | null | false {
  if (a.unit === null) return b.unit;
  if (b.unit === null) return a.unit;
  return sameUnit(a.unit, b.unit) ? a.unit : false;
}

export function mergeBranches(branches: Typed[], spans: TextSpan[], ctx: Ctx, what: string): { type: ValueType; unit: Unit | null } | null {
  let type: ValueType = 'null';
  let unit: Unit | null = null;
  let first: Typed | null = null;
  for (let i = 0; i < branches.length; i++) {
    const b = branches[i];
    if (b.type === 'null') continue;
    if (first === null) {
      first = b;
      type = b.type;
      unit = b.unit;
      continue;
    }
    if (!comparable(first, b)) return report(ctx, spans[i], 'KPI0415', `${what} must all be of one kind: ${describe(first)} and ${describe(b)} differ`);
    if (type === 'number') {
      const u = unitsAgree({ ...first, unit }, b);
      if (u === false) return report(ctx, spans[i], 'KPI0403', `${what} must have one unit: ${formatUnit(unit!)} and ${formatUnit(b.unit!)} differ`);
      unit = u;
    }
  }
  return { type, unit };
}

export function timeOf(e: Aggregate, table: SourceDef, ctx: Ctx): TimeSpec | null {
  if (e.at && (e.at.edge === 'last' || e.at.edge === 'first')) {
    const base = periodTime(e, table, ctx);
    if (!base) return null;
    let per: string | null = null;
    let perType: ValueType | null = null;
    if (e.at.per) {
      const col = columnOf(ctx.scope.catalog, table.table, e.at.per.column);
      if (!col) return report(ctx, e.at.per.span, 'KPI0302', `${table.table} has no column '${e.at.per.column}'`, didYouMean(e.at.per.column, table.columns.map((c) => c.name)));
      per = col.name;
      perType = col.type === 'integer' || col.type === 'decimal' ? 'number' : col.type;
    }
    return { kind: 'semi', edge: e.at.edge, column: base.column, columnType: base.columnType, per, perType };
  }
  if (e.over) {
    const base = periodTime(e, table, ctx);
    if (!base) return null;
    const o = e.over;
    const window: Window = o.kind === 'interval' ? { kind: 'interval', count: o.count, unit: o.unit } : o.kind === 'to_date' ? { kind: 'to_date', grain: o.grain } : { kind: 'all' };
    return { kind: 'window', column: base.column, columnType: base.columnType, window };
  }
  if (e.at) {
    if (e.on) return report(ctx, e.on.span, 'KPI0311', "'on' and 'at' cannot be used together", "'at end' reads rows alive at the period's end through the table's lifespan; 'on' puts rows into periods by one time column");
    const clause = e.at.edge === 'during' ? 'during' : `at ${e.at.edge}`;
    if (!table.lifespan) return report(ctx, e.at.span, 'KPI0311', `${table.table} has no lifespan, so it has no rows alive '${clause}'`, `declare 'lifespan: { from: ..., to: ... }' in ${table.file}`);
    const temporal = (name: string) => (columnOf(ctx.scope.catalog, table.table, name)?.type === 'date' ? 'date' : 'timestamp');
    const { from, to } = table.lifespan;
    return { kind: 'snapshot', edge: e.at.edge as 'start' | 'end' | 'during', from, to, fromType: temporal(from), toType: temporal(to) };
  }
  return periodTime(e, table, ctx);
}

/** The time column that puts an aggregate's rows into periods: `on`, the KPI's, or the table's. */
function periodTime(e: Aggregate, table: SourceDef, ctx: Ctx): Extract<TimeSpec, { kind: 'period' }> | null {
  const kpiTime = ctx.scope.kpi.time?.value;
  const column = e.on ? e.on.column : kpiTime && kpiTime.table === table.table ? kpiTime.column : table.time;
  if (!column) return report(ctx, e.tableSpan, 'KPI0310', `${table.table} has no default time column, so its rows fall into no period`, `say which column with 'on', e.g. ${table.table}.${e.fn}(... on <column>)`);
  const col = columnOf(ctx.scope.catalog, table.table, column);
  const temporal = col !== null && (col.type === 'date' || col.type === 'timestamp');
  // A default time column (the KPI's or the table's) that is wrong is reported where it is declared.
  if (!e.on && !temporal) return null;
  if (!col) return report(ctx, e.on!.span, 'KPI0302', `${table.table} has no column '${column}'`, didYouMean(column, table.columns.filter((c) => c.type === 'date' || c.type === 'timestamp').map((c) => c.name)));
  if (!temporal) return report(ctx, e.on!.span, 'KPI0413', `the time column ${table.table}.${column} is ${col.type}, not a date or timestamp`);
  return { kind: 'period', column, columnType: col!.type as 'date' | 'timestamp' };
}
