// Types, units and levels of one formula: AST in, typed IR out, with diagnostics that say why.

import type { TextSpan } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Aggregate, Binary, Call, Expr } from '../lang/ast.js';
import type { SourceDef } from '../load/types.js';
import type { AggregateFn, Grain, IrExpr, ValueType } from '../plan/ir.js';
import { GRAINS } from '../load/types.js';
import { columnOf, findDimension, reachable, type Catalog } from './catalog.js';
import { ALL_FUNCTION_NAMES, AGGREGATE_FNS, PERIOD_FNS, SCALAR_FNS, isAggregateFn, isScalarFn } from './functions.js';
import {
  asTemporal,
  checkAllowed,
  comparable,
  describe,
  joinLevel,
  literal,
  mergeBranches,
  report,
  timeOf,
  unitsAgree,
  type Ctx,
  type Scope,
  type Typed,
} from './typing.js';
import { DIMENSIONLESS, divideUnits, formatUnit, multiplyUnits, unitOfColumn, type Unit } from './units.js';

export type { Level, Scope, Typed } from './typing.js';

export function checkFormula(expr: Expr, scope: Scope): Typed | null {
  return check(expr, { scope, table: null });
}

/** A row condition over one table whose bare names may reach referenced tables (`--where region = 'north'`). */
export function checkRowCondition(expr: Expr, table: SourceDef, scope: Scope): Typed | null {
  return checkCondition(expr, { scope, table, reach: true });
}

function check(e: Expr, ctx: Ctx): Typed | null {
  switch (e.kind) {
    case 'number':
      return literal(e.value, 'number');
    case 'string':
      return literal(e.value, 'string');
    case 'boolean':
      return literal(e.value, 'boolean');
    case 'null':
      return literal(null, 'null');
    case 'interval':
      return report(ctx, e.span, 'KPI0420', `an interval such as '${e.count} ${e.unit}${e.count === 1 ? '' : 's'}' is not a value`, "an interval goes in an aggregate's 'over' clause (over 12 months) or as the offset of previous (previous(x, 1 year))");
    case 'name':
      return checkName(e.name, e.span, ctx);
    case 'qualified':
      return checkQualified(e.table, e.column, e.span, e.tableSpan, ctx);
    case 'unary': {
      const x = check(e.operand, ctx);
      if (!x) return null;
      if (e.op === 'not') {
        if (x.type !== 'boolean') return report(ctx, e.operand.span, 'KPI0402', `'not' needs a condition (true or false), but this is ${describe(x)}`);
        return { ...x, ir: { kind: 'not', operand: x.ir }, values: null };
      }
      if (x.type !== 'number') return report(ctx, e.operand.span, 'KPI0401', `'-' needs a number, but this is ${describe(x)}`);
      return { ...x, ir: { kind: 'neg', operand: x.ir }, values: null };
    }
    case 'binary':
      return checkBinary(e, ctx);
    case 'in': {
      const x = check(e.operand, ctx);
      const values = e.values.map((v) => check(v, ctx));
      if (!x || values.some((v) => !v)) return null;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v.level !== 'constant') return report(ctx, e.values[i].span, 'KPI0401', `the list after 'in' holds values written out (literals), not ${describe(v)}`);
        if (!comparable(x, v)) return report(ctx, e.values[i].span, 'KPI0412', `cannot compare ${describe(x)} with ${describe(v)}`);
        if (!checkAllowed(x, v, e.values[i], ctx)) return null;
      }
      return { ir: { kind: 'in', operand: x.ir, values: values.map((v) => v!.ir), negated: e.negated }, type: 'boolean', unit: DIMENSIONLESS, level: x.level, values: null };
    }
    case 'is_null': {
      const x = check(e.operand, ctx);
      if (!x) return null;
      return { ir: { kind: 'is_null', operand: x.ir, negated: e.negated }, type: 'boolean', unit: DIMENSIONLESS, level: x.level, values: null };
    }
    case 'call':
      return checkCall(e, ctx);
    case 'case': {
      const whens = e.whens.map((w) => ({ when: checkCondition(w.when, ctx), then: check(w.then, ctx) }));
      const otherwise = e.else ? check(e.else, ctx) : null;
      if (whens.some((w) => !w.when || !w.then) || (e.else && !otherwise)) return null;
      const branches = [...whens.map((w) => w.then!), ...(otherwise ? [otherwise] : [])];
      const spans = [...e.whens.map((w) => w.then.span), ...(e.else ? [e.else.span] : [])];
      const merged = mergeBranches(branches, spans, ctx, "the branches of 'case'");
      if (!merged) return null;
      return {
        ir: { kind: 'case', whens: whens.map((w) => ({ when: w.when!.ir, then: w.then!.ir })), else: otherwise ? otherwise.ir : null },
        type: merged.type,
        unit: merged.unit,
        level: joinLevel(...whens.map((w) => w.when!.level), ...branches.map((b) => b.level)),
        values: null,
      };
    }
    case 'aggregate':
      return checkAggregate(e, ctx);
    default: {
      const never: never = e;
      return never;
    }
  }
}

function checkName(name: string, span: TextSpan, ctx: Ctx): Typed | null {
  if (ctx.table && ctx.reach) {
    const found = findDimension(ctx.scope.catalog, ctx.table.table, name);
    if (found.kind === 'ambiguous') return report(ctx, span, 'KPI0308', `'${name}' is ambiguous from ${ctx.table.table}: ${found.candidates.join(' and ')}`, `name the table: ${found.candidates[0]}`);
    if (found.kind === 'missing') return report(ctx, span, 'KPI0302', `'${name}' is not a column of ${ctx.table.table} nor of a table it references (${found.reached.join(', ')})`);
    const type: ValueType = found.column.type === 'integer' || found.column.type === 'decimal' ? 'number' : found.column.type;
    return { ir: { kind: 'column', path: found.path, table: found.table, column: name, type }, type, unit: unitOfColumn(found.column), level: 'row', values: found.column.values };
  }
  if (ctx.table) {
    const col = columnOf(ctx.scope.catalog, ctx.table.table, name);
    if (!col) {
      const suggestion = didYouMean(name, ctx.table.columns.map((c) => c.name));
      return report(ctx, span, 'KPI0302', `${ctx.table.table} has no column '${name}'`, suggestion ?? `its columns are: ${ctx.table.columns.map((c) => c.name).join(', ')}`);
    }
    return { ir: { kind: 'column', path: [], table: ctx.table.table, column: name, type: col.type === 'integer' || col.type === 'decimal' ? 'number' : col.type }, type: col.type === 'integer' || col.type === 'decimal' ? 'number' : col.type, unit: unitOfColumn(col), level: 'row', values: col.values };
  }
  const found = ctx.scope.lookup(name);
  if (found === null) return null;
  if (found) return found;
  const owners = [...ctx.scope.catalog.tables.values()].filter((t) => t.columns.some((c) => c.name === name)).map((t) => t.table);
  if (owners.length > 0) {
    return report(ctx, span, 'KPI0405', `'${name}' is a column, and a column cannot stand outside an aggregate`, `aggregate it over its table, e.g. ${owners[0]}.sum(${name}) or ${owners[0]}.count(where ${name} ...)`);
  }
  return report(ctx, span, 'KPI0303', `'${name}' is neither a measure of this KPI nor a KPI`, didYouMean(name, ctx.scope.names()));
}

function checkQualified(table: string, column: string, span: TextSpan, tableSpan: TextSpan, ctx: Ctx): Typed | null {
  const { catalog } = ctx.scope;
  if (!catalog.tables.has(table)) return report(ctx, tableSpan, 'KPI0301', `there is no table '${table}'`, didYouMean(table, catalog.tables.keys()));
  if (!ctx.table) return report(ctx, span, 'KPI0405', `the column ${table}.${column} cannot stand outside an aggregate`, `aggregate it, e.g. ${table}.sum(${column})`);
  const found = findDimension(catalog, ctx.table.table, `${table}.${column}`);
  if (found.kind !== 'found') {
    const col = columnOf(catalog, table, column);
    if (!col) return report(ctx, span, 'KPI0302', `${table} has no column '${column}'`, didYouMean(column, catalog.tables.get(table)!.columns.map((c) => c.name)));
    return report(ctx, span, 'KPI0312', `${table} cannot be reached from ${ctx.table.table} through many-to-one references`, `columns of ${ctx.table.table} and of the tables it references can be used here`);
  }
  const type: ValueType = found.column.type === 'integer' || found.column.type === 'decimal' ? 'number' : found.column.type;
  return { ir: { kind: 'column', path: found.path, table, column, type }, type, unit: unitOfColumn(found.column), level: 'row', values: found.column.values };
}

function checkCondition(e: Expr, ctx: Ctx): Typed | null {
  const t = check(e, ctx);
  if (!t) return null;
  if (t.type !== 'boolean') return report(ctx, e.span, 'KPI0402', `a condition must be true or false, but this is ${describe(t)}`, t.type === 'string' ? "compare it with a value, e.g. status = 'completed'" : undefined);
  return t;
}

function checkBinary(e: Binary, ctx: Ctx): Typed | null {
  if (e.op === 'and' || e.op === 'or') {
    const l = checkCondition(e.left, ctx);
    const r = checkCondition(e.right, ctx);
    if (!l || !r) return null;
    return { ir: { kind: 'logic', op: e.op, left: l.ir, right: r.ir }, type: 'boolean', unit: DIMENSIONLESS, level: joinLevel(l.level, r.level), values: null };
  }
  let l = check(e.left, ctx);
  let r = check(e.right, ctx);
  if (!l || !r) return null;
  const level = joinLevel(l.level, r.level);
  if (e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/') {
    for (const [t, side] of [[l, e.left], [r, e.right]] as const) {
      if (t.type !== 'number') {
        const hint = t.type === 'date' || t.type === 'timestamp' ? 'for the time between two columns use hours_between(a, b), minutes_between or days_between' : undefined;
        return report(ctx, side.span, 'KPI0401', `'${e.op}' needs numbers, but this is ${describe(t)}`, hint);
      }
    }
    let unit: Unit | null;
    if (e.op === '+' || e.op === '-') {
      const u = unitsAgree(l, r);
      if (u === false) return report(ctx, e.opSpan, 'KPI0403', `cannot ${e.op === '+' ? 'add' : 'subtract'} ${formatUnit(r.unit!)} ${e.op === '+' ? 'to' : 'from'} ${formatUnit(l.unit!)}`, 'both sides of + and - must have the same unit');
      unit = u;
    } else if (l.unit === null && r.unit === null) {
      unit = null;
    } else {
      const lu = l.unit ?? DIMENSIONLESS;
      const ru = r.unit ?? DIMENSIONLESS;
      unit = e.op === '*' ? multiplyUnits(lu, ru) : divideUnits(lu, ru);
    }
    return { ir: { kind: 'arith', op: e.op, left: l.ir, right: r.ir }, type: 'number', unit, level, values: null };
  }
  // Comparison.
  l = asTemporal(l, r);
  r = asTemporal(r, l);
  if (l.type === 'null' || r.type === 'null') return report(ctx, e.opSpan, 'KPI0412', `comparing with null gives null, never true`, "write 'x is null' or 'x is not null'");
  if (!comparable(l, r)) return report(ctx, e.opSpan, 'KPI0412', `cannot compare ${describe(l)} with ${describe(r)}`);
  if (l.type === 'number' && unitsAgree(l, r) === false) return report(ctx, e.opSpan, 'KPI0403', `cannot compare ${formatUnit(l.unit!)} with ${formatUnit(r.unit!)}`);
  if (!checkAllowed(l, r, e.right, ctx) || !checkAllowed(r, l, e.left, ctx)) return null;
  const op = e.op as '=' | '!=' | '<' | '<=' | '>' | '>=';
  return { ir: { kind: 'compare', op, left: l.ir, right: r.ir }, type: 'boolean', unit: DIMENSIONLESS, level, values: null };
}

function checkCall(e: Call, ctx: Ctx): Typed | null {
  const name = e.name.toLowerCase();
  if (isAggregateFn(name)) {
    return report(ctx, e.nameSpan, 'KPI0306', `an aggregate is called on the table whose rows it reads`, `write table.${name}(...), e.g. work_orders.${name}(...)`);
  }
  if (name === 'previous') return checkPrevious(e, ctx);
  if (name === 'start_of') return checkStartOf(e, ctx);
  if (!isScalarFn(name)) return report(ctx, e.nameSpan, 'KPI0305', `there is no function '${e.name}'`, didYouMean(name, ALL_FUNCTION_NAMES) ?? `the functions are: ${ALL_FUNCTION_NAMES.join(', ')}`);
  const sig = SCALAR_FNS[name];
  if (e.args.length < sig.min || e.args.length > sig.max) return report(ctx, e.span, 'KPI0407', `${name} takes ${sig.min === sig.max ? sig.min : `${sig.min} to ${sig.max}`} arguments, not ${e.args.length}`, `write ${sig.usage}`);
  if (name === 'if') {
    const c = checkCondition(e.args[0], ctx);
    const a = check(e.args[1], ctx);
    const b = check(e.args[2], ctx);
    if (!c || !a || !b) return null;
    const merged = mergeBranches([a, b], [e.args[1].span, e.args[2].span], ctx, "the two branches of 'if'");
    if (!merged) return null;
    return { ir: { kind: 'call', fn: 'if', args: [c.ir, a.ir, b.ir] }, type: merged.type, unit: merged.unit, level: joinLevel(c.level, a.level, b.level), values: null };
  }
  if (name === 'period_start' || name === 'period_end') {
    if (!ctx.table) return report(ctx, e.nameSpan, 'KPI0416', `${name}() is known only inside an aggregate, where each row falls into a period`, `use it in a row condition, e.g. tickets.count(where closed_at >= period_end())`);
    return { ir: { kind: 'call', fn: name, args: [] }, type: 'timestamp', unit: DIMENSIONLESS, level: 'row', values: null };
  }
  if (name === 'overlap_minutes' || name === 'overlap_hours' || name === 'overlap_days') {
    if (!ctx.table || ctx.time?.kind !== 'snapshot' || ctx.time.edge !== 'during') {
      return report(ctx, e.nameSpan, 'KPI0416', `${name}() is known only in an aggregate with 'during', which reads the rows whose lifespan overlaps the period`, `e.g. monitored_systems.sum(${name}() during)`);
    }
    const unit = { [name.slice('overlap_'.length)]: 1 };
    return { ir: { kind: 'call', fn: name, args: [] }, type: 'number', unit, level: 'row', values: null };
  }
  const args = e.args.map((a) => check(a, ctx));
  if (args.some((a) => !a)) return null;
  const typed = args as Typed[];
  const level = joinLevel(...typed.map((a) => a.level));
  if (name === 'hours_between' || name === 'minutes_between' || name === 'days_between') {
    for (let i = 0; i < 2; i++) {
      if (typed[i].type !== 'date' && typed[i].type !== 'timestamp') return report(ctx, e.args[i].span, 'KPI0401', `${name} needs dates or timestamps, but this is ${describe(typed[i])}`);
    }
    const unit = { [name.slice(0, name.indexOf('_'))]: 1 };
    return { ir: { kind: 'call', fn: name, args: typed.map((a) => a.ir) }, type: 'number', unit, level, values: null };
  }
  if (name === 'coalesce' || name === 'least' || name === 'greatest') {
    const merged = mergeBranches(typed, e.args.map((a) => a.span), ctx, `the arguments of ${name}`);
    if (!merged) return null;
    if (name !== 'coalesce' && merged.type !== 'number') return report(ctx, e.span, 'KPI0401', `${name} needs numbers`);
    return { ir: { kind: 'call', fn: name, args: typed.map((a) => a.ir) }, type: merged.type, unit: merged.unit, level, values: null };
  }
  // abs, round
  if (typed[0].type !== 'number') return report(ctx, e.args[0].span, 'KPI0401', `${name} needs a number, but this is ${describe(typed[0])}`);
  if (name === 'round' && typed.length === 2 && (typed[1].ir.kind !== 'literal' || !Number.isInteger(typed[1].ir.value))) {
    return report(ctx, e.args[1].span, 'KPI0407', 'the digits of round must be a whole number written out');
  }
  return { ir: { kind: 'call', fn: name, args: typed.map((a) => a.ir) }, type: 'number', unit: typed[0].unit, level, values: null };
}

function checkPrevious(e: Call, ctx: Ctx): Typed | null {
  const sig = PERIOD_FNS.previous;
  if (e.args.length < sig.min || e.args.length > sig.max) return report(ctx, e.span, 'KPI0407', `previous takes 1 or 2 arguments, not ${e.args.length}`, `write ${sig.usage}`);
  if (ctx.table) return report(ctx, e.nameSpan, 'KPI0411', 'previous() cannot stand inside an aggregate', 'write previous(table.sum(x)), not table.sum(previous(x))');
  let periods = 1;
  let interval: { count: number; unit: Grain } | null = null;
  if (e.args.length === 2) {
    const n = e.args[1];
    if (n.kind === 'interval') interval = { count: n.count, unit: n.unit };
    else if (n.kind !== 'number' || !Number.isInteger(n.value) || n.value < 1 || n.value > 1000) return report(ctx, n.span, 'KPI0411', 'the offset of previous() must be a whole number of periods from 1 to 1000, or an interval such as 1 year, written out');
    else periods = n.value;
  }
  const x = check(e.args[0], ctx);
  if (!x) return null;
  if (x.level !== 'aggregate') return report(ctx, e.args[0].span, 'KPI0411', 'previous() needs a value computed per period (an aggregate, a measure or a KPI)');
  if (interval) return { ...x, ir: { kind: 'shifted', operand: x.ir, shifts: [{ kind: 'interval', ...interval }] }, values: null };
  return { ...x, ir: { kind: 'previous', operand: x.ir, periods }, values: null };
}

/** `start_of(x, month)`: the value of x at the period that starts the enclosing month. */
function checkStartOf(e: Call, ctx: Ctx): Typed | null {
  if (e.args.length !== 2) return report(ctx, e.span, 'KPI0407', `start_of takes 2 arguments, not ${e.args.length}`, 'write start_of(x, month)');
  if (ctx.table) return report(ctx, e.nameSpan, 'KPI0411', 'start_of() cannot stand inside an aggregate', 'write start_of(table.sum(x), month)');
  const g = e.args[1];
  const grain = g.kind === 'name' ? g.name.toLowerCase() : '';
  if (!(GRAINS as readonly string[]).includes(grain)) return report(ctx, g.span, 'KPI0421', `the second argument of start_of must be a grain (${GRAINS.join(', ')})`, 'write start_of(x, month)');
  const x = check(e.args[0], ctx);
  if (!x) return null;
  if (x.level !== 'aggregate') return report(ctx, e.args[0].span, 'KPI0411', 'start_of() needs a value computed per period (an aggregate, a measure or a KPI)');
  return { ...x, ir: { kind: 'shifted', operand: x.ir, shifts: [{ kind: 'start_of', grain: grain as Grain }] }, values: null };
}

function checkAggregate(e: Aggregate, ctx: Ctx): Typed | null {
  const { catalog } = ctx.scope;
  if (ctx.outer) return report(ctx, e.span, 'KPI0406', 'an aggregate cannot stand inside a related aggregate', 'a related aggregate reads the rows related to the outer row; compute further aggregates outside');
  if (ctx.table && ctx.reach) return report(ctx, e.span, 'KPI0424', "a query's row condition (--where) cannot hold an aggregate", 'filter on the columns of the table and of the tables it references');
  if (ctx.table && e.table === ctx.table.table) {
    return report(ctx, e.span, 'KPI0406', `an aggregate over ${e.table} cannot stand inside another aggregate over ${e.table}`, 'compute each aggregate on its own and combine them outside: a.sum(x) / b.count()');
  }
  const table = catalog.tables.get(e.table);
  if (!table) return report(ctx, e.tableSpan, 'KPI0301', `there is no table '${e.table}'`, didYouMean(e.table, catalog.tables.keys()) ?? `the tables are: ${[...catalog.tables.keys()].join(', ')}`);
  const fn = e.fn.toLowerCase();
  if (!isAggregateFn(fn)) return report(ctx, e.fnSpan, 'KPI0306', `'${e.fn}' is not an aggregate`, didYouMean(fn, AGGREGATE_FNS) ?? `the aggregates are: ${AGGREGATE_FNS.join(', ')}`);
  if (ctx.table) return checkRelated(e, fn as AggregateFn, table, ctx.table, ctx);
  const time = timeOf(e, table, ctx);
  if (!time) return null;
  const parts = checkAggregateParts(e, fn as AggregateFn, { scope: ctx.scope, table, time }, ctx);
  if (!parts) return null;
  return {
    ir: { kind: 'aggregate', spec: { table: table.table, fn, arg: parts.arg, fraction: parts.fraction, filter: parts.filter, time } },
    type: 'number',
    unit: parts.unit,
    level: 'aggregate',
    values: null,
  };
}

/**
 * An aggregate's arguments and condition, checked in the context of its rows (`inner`). In a related
 * aggregate (`inner.outer` set) min and max also take dates and timestamps, and give one.
 */
function checkAggregateParts(e: Aggregate, fn: AggregateFn, inner: Ctx, ctx: Ctx): { arg: IrExpr | null; fraction: number | null; filter: IrExpr | null; unit: Unit; type: ValueType } | null {
  const isPercentile = fn === 'percentile' || fn === 'percentile_disc';
  const wantArgs = fn === 'count' ? [0, 1] : isPercentile ? [2, 2] : [1, 1];
  if (e.args.length < wantArgs[0] || e.args.length > wantArgs[1]) {
    const usage = fn === 'count' ? `${e.table}.count() or ${e.table}.count(column)` : isPercentile ? `${e.table}.${fn}(x, 0.9)` : `${e.table}.${fn}(x)`;
    return report(ctx, e.span, 'KPI0407', `${fn} takes ${wantArgs[0] === wantArgs[1] ? wantArgs[0] : `${wantArgs[0]} or ${wantArgs[1]}`} argument${wantArgs[1] === 1 ? '' : 's'}, not ${e.args.length}`, `write ${usage}`);
  }
  const arg = e.args.length > 0 ? check(e.args[0], inner) : null;
  if (e.args.length > 0 && !arg) return null;
  const extreme = fn === 'min' || fn === 'max';
  const temporal = inner.outer !== undefined && extreme && arg !== null && (arg.type === 'date' || arg.type === 'timestamp');
  if (arg && fn !== 'count' && fn !== 'count_distinct' && arg.type !== 'number' && !temporal) {
    const what = inner.outer && extreme ? 'numbers, dates or timestamps' : 'numbers';
    return report(ctx, e.args[0].span, 'KPI0409', `${fn} needs ${what}, but this is ${describe(arg)}`, arg.type === 'boolean' ? `to count the ${inner.outer ? 'related ' : ''}rows where it holds, write ${e.table}.count(where ...)` : undefined);
  }
  let fraction: number | null = fn === 'median' || fn === 'median_disc' ? 0.5 : null;
  if (isPercentile) {
    const p = e.args[1];
    if (p.kind !== 'number' || p.value < 0 || p.value > 1) return report(ctx, p.span, 'KPI0410', 'the percentile must be a number from 0 to 1 written out, such as 0.9');
    fraction = p.value;
  }
  const filter = e.where ? checkCondition(e.where, inner) : null;
  if (e.where && !filter) return null;
  const unit = fn === 'count' || fn === 'count_distinct' ? { count: 1 } : temporal ? DIMENSIONLESS : (arg!.unit ?? DIMENSIONLESS);
  return { arg: arg ? arg.ir : null, fraction, filter: filter ? filter.ir : null, unit, type: temporal ? arg!.type : 'number' };
}

/**
 * An aggregate inside another aggregate's row expression: over the rows of `table` related to the
 * outer row (they reach it through many-to-one references), all of them or those the time clause
 * places in the outer row's period. Its value is a row-level value of the outer aggregate.
 */
function checkRelated(e: Aggregate, fn: AggregateFn, table: SourceDef, outer: SourceDef, ctx: Ctx): Typed | null {
  const { catalog } = ctx.scope;
  const reach = reachable(catalog, table.table).find((r) => r.table === outer.table);
  if (!reach || reach.path.length === 0) {
    return report(
      ctx,
      e.tableSpan,
      'KPI0422',
      `${table.table} does not reference ${outer.table} (directly or through other tables), so it has no rows related to a row of ${outer.table}`,
      `an aggregate inside ${outer.table}.…(…) reads a table whose rows point at ${outer.table}: ${relatedCandidates(catalog, outer.table) || 'none does'}`,
    );
  }
  if (e.at && (e.at.edge === 'last' || e.at.edge === 'first')) {
    return report(ctx, e.at.span, 'KPI0423', `'at ${e.at.edge}' is not supported in a related aggregate`, "use 'at end' (the rows alive at the period's end) or a where condition on the time column");
  }
  const time = e.at || e.on || e.over ? timeOf(e, table, ctx) : null;
  if ((e.at || e.on || e.over) && !time) return null;
  if (time?.kind === 'semi') return null;
  const parts = checkAggregateParts(e, fn, { scope: ctx.scope, table, time, outer }, ctx);
  if (!parts) return null;
  return {
    ir: { kind: 'related', spec: { table: table.table, fn, arg: parts.arg, fraction: parts.fraction, filter: parts.filter, time, path: reach.path }, type: parts.type },
    type: parts.type,
    unit: parts.unit,
    level: 'row',
    values: null,
  };
}

/** The tables whose rows reach `table` through references, for a hint. */
function relatedCandidates(catalog: Catalog, table: string): string {
  return [...catalog.tables.keys()]
    .filter((t) => t !== table && reachable(catalog, t).some((r) => r.table === table))
    .sort()
    .join(', ');
}
