// The SQL of one expression, at the row level (inside a scan) or the value level (over the
// scans' results), and the writer that turns values into literals or bound parameters.

import type { IrExpr, ValueType } from '../../plan/ir.js';
import { pathKey } from '../../plan/build.js';
import { relatedKey } from '../../plan/related.js';
import type { Dialect } from './dialect.js';
import type { SqlParam } from './emit.js';

export class Writer {
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

export const indent = (s: string, n = 2) => s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

export interface RowCtx {
  w: Writer;
  aliases: Map<string, string>;
  period: PeriodSql;
  /** The alias of each related aggregate's derived table, by relatedKey. */
  related?: Map<string, string>;
}

const COMPARE_SQL: Record<string, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** The SQL of the period a scan's row falls into, and of the row's lifespan (snapshot scans). */
export interface PeriodSql {
  start: string;
  end: string;
  lifespan: { from: string; to: string } | null;
}

/** The parts of an expression both levels share; `leaf` renders columns and aggregate refs. */
export function exprSql(e: IrExpr, w: Writer, leaf: (e: IrExpr) => string, period: PeriodSql | null = null): string {
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
    case 'related':
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

export function rowSql(e: IrExpr, ctx: RowCtx): string {
  return exprSql(
    e,
    ctx.w,
    (leaf) => {
      if (leaf.kind === 'related') {
        const alias = ctx.related?.get(relatedKey(leaf));
        if (!alias) throw new Error('internal: a related aggregate without its derived table');
        // No related rows: no match in the derived table; a count there is 0, anything else null.
        return leaf.spec.fn === 'count' || leaf.spec.fn === 'count_distinct' ? `COALESCE(${alias}.v, 0)` : `${alias}.v`;
      }
      if (leaf.kind !== 'column') throw new Error(`internal: ${leaf.kind} in a row expression`);
      return `${ctx.aliases.get(pathKey(leaf.path))}.${ctx.w.d.quoteIdent(leaf.column)}`;
    },
    ctx.period,
  );
}

