// Metric filters → row conditions of the formula language. A filter is SQL whose names are Jinja
// templates: `{{ Dimension('listing__country_latest') }}`, `{{ TimeDimension('metric_time', 'day') }}`,
// `{{ Entity('listing') }}`. Each template becomes the column it stands for, as seen from the table
// of the aggregate the filter goes into (`country` on that table, `listings.country` on a table
// reached through an entity), and a time dimension at a grain compared with a date becomes a
// comparison of the column itself with the first instant of the right period.

import { findDimension } from '../../check/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnosticAt } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { SemanticIndex, ImportedTable, DimensionInfo } from './models.js';
import { primaryEntityOf, sqlTypeOf } from './models.js';
import type { SourceText } from './read.js';
import { Prec, SqlError, parseSql, translateNode, type CompareOp, type Formula, type Resolver, type SqlNode, type SqlSpan } from './sql-expr.js';

/** Where a filter goes: into an aggregate over `table`, whose rows fall into periods by `timeColumn`. */
export interface FilterScope {
  index: SemanticIndex;
  table: ImportedTable;
  timeColumn: string | null;
}

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type FilterGrain = (typeof GRAINS)[number];

/** The filter as a formula-language condition, or null (with a diagnostic) when it cannot be. */
export function translateFilter(filter: SourceText, scope: FilterScope, diagnostics: Diagnostic[]): Formula | null {
  try {
    const node = parseSql(filter.text);
    const f = translateNode(node, filterResolver(scope));
    if (f.type !== 'boolean') throw new SqlError('a filter must be a condition (true or false)', node);
    return f;
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    diagnostics.push(diagnosticAt(filter.origin, e.span, 'error', e.code, `this filter cannot be translated: ${e.message}`, e.hint));
    return null;
  }
}

/** Parses the inside of `{{ ... }}`: a call of Dimension, TimeDimension or Entity, with .grain(...). */
interface Template {
  fn: 'Dimension' | 'TimeDimension' | 'Entity';
  name: string;
  grain: string | null;
}

function parseTemplate(body: string, span: SqlSpan): Template {
  const m = /^\s*([A-Za-z_]+)\s*\(([^)]*)\)\s*((?:\.\s*[A-Za-z_]+\s*\([^)]*\)\s*)*)$/.exec(body);
  if (!m) throw new SqlError(`'{{${body}}}' is not a template the importer reads`, span, "write {{ Dimension('entity__name') }}, {{ TimeDimension('metric_time', 'day') }} or {{ Entity('name') }}", 'KPI0708');
  const fn = m[1];
  if (fn === 'Metric') throw new SqlError('a filter on a metric ({{ Metric(...) }}) has no equivalent: the formula language filters rows, not groups of rows', span, undefined, 'KPI0708');
  if (fn !== 'Dimension' && fn !== 'TimeDimension' && fn !== 'Entity') throw new SqlError(`'${fn}' is not a template the importer reads`, span, didYouMean(fn, ['Dimension', 'TimeDimension', 'Entity']) ?? 'the templates are Dimension, TimeDimension and Entity', 'KPI0708');
  const args = [...m[2].matchAll(/(?:([A-Za-z_]+)\s*=\s*)?(?:'([^']*)'|"([^"]*)"|\[([^\]]*)\])/g)].map((a) => ({ key: a[1] ?? null, value: a[2] ?? a[3] ?? null, list: a[4] ?? null }));
  const positional = args.filter((a) => a.key === null && a.value !== null).map((a) => a.value!);
  const named = (k: string) => args.find((a) => a.key === k);
  if (positional.length === 0) throw new SqlError(`${fn}() names nothing`, span, `write {{ ${fn}('entity__name') }}`, 'KPI0708');
  let name = positional[0];
  const path = named('entity_path');
  if (path?.list) {
    const entities = [...path.list.matchAll(/'([^']*)'|"([^"]*)"/g)].map((x) => x[1] ?? x[2]);
    name = [...entities, name].join('__');
  }
  let grain: string | null = positional[1] ?? named('time_granularity_name')?.value ?? named('time_granularity')?.value ?? null;
  for (const mod of m[3].matchAll(/\.\s*([A-Za-z_]+)\s*\(\s*(?:'([^']*)'|"([^"]*)")?\s*\)/g)) {
    if (mod[1] === 'grain') grain = mod[2] ?? mod[3] ?? null;
    else if (mod[1] !== 'descending') throw new SqlError(`.${mod[1]}() cannot be translated`, span, mod[1] === 'date_part' ? 'compare the time dimension with a date range instead' : undefined, 'KPI0708');
  }
  if (grain !== null) {
    grain = grain.toLowerCase();
    if (!(GRAINS as readonly string[]).includes(grain)) throw new SqlError(`the grain '${grain}' cannot be translated; the grains are ${GRAINS.join(', ')}`, span, undefined, 'KPI0708');
  }
  return { fn, name, grain };
}

interface Resolved {
  formula: Formula;
  /** For a time dimension: its column (as the aggregate reads it) and its own granularity. */
  time: { grain: string | null } | null;
}

/** The column (or computed expression) a template names, as seen from the scope's table. */
export function resolveTemplate(t: Template, scope: FilterScope, span: SqlSpan): Resolved {
  const { index, table } = scope;
  const parts = t.name.split('__');
  const element = parts[parts.length - 1];
  const entities = parts.slice(0, -1);
  if (t.fn === 'Entity') return resolveEntity(parts, scope, span);
  if (element === 'metric_time') {
    if (!scope.timeColumn) throw new SqlError('metric_time has no column here', span, undefined, 'KPI0709');
    return { formula: { text: scope.timeColumn, prec: Prec.Atom, type: 'timestamp', unit: {} }, time: { grain: null } };
  }
  // `listing__country` is the dimension `country` of the model whose primary entity is `listing`.
  const candidates = index.dimensions.filter((d) => d.dimension.name === element && (entities.length === 0 || primaryEntityOf(d.table.model) === entities[entities.length - 1]));
  let chosen: DimensionInfo | undefined;
  if (entities.length === 0) {
    chosen = candidates.find((d) => d.table === table) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!chosen && candidates.length > 1) throw new SqlError(`'${t.name}' names a dimension of several semantic models (${candidates.map((c) => c.table.model.name).join(', ')})`, span, `name it through its entity: ${candidates.map((c) => `${primaryEntityOf(c.table.model)}__${element}`).join(' or ')}`, 'KPI0709');
  } else {
    chosen = candidates.find((d) => d.table === table) ?? candidates[0];
  }
  if (!chosen) {
    const known = index.dimensions.map((d) => `${primaryEntityOf(d.table.model) ?? d.table.model.name}__${d.dimension.name}`);
    throw new SqlError(`there is no dimension '${t.name}'`, span, didYouMean(t.name, known) ?? `dimensions are named entity__dimension, such as ${known[0] ?? 'listing__country'}`, 'KPI0709');
  }
  if (t.fn === 'TimeDimension' && chosen.dimension.type !== 'time') throw new SqlError(`'${t.name}' is a categorical dimension, not a time dimension`, span, `write {{ Dimension('${t.name}') }}`, 'KPI0709');
  const reachable = chosen.table === table || findDimension(index.catalog, table.table, `${chosen.table.table}.${chosen.column ?? chosen.table.primaryKey}`).kind === 'found';
  if (!reachable) {
    throw new SqlError(`dimension '${t.name}' (of table ${chosen.table.table}) cannot be reached from ${table.table}, which this metric reads`, span, `the entities of ${table.model.name} lead to: ${reachableTables(scope).join(', ')}`, 'KPI0717');
  }
  const qualifier = chosen.table === table ? null : chosen.table.table;
  if (chosen.computed) {
    return { formula: translateNode(chosen.computed, computedResolver(chosen.table, qualifier, span)), time: null };
  }
  const col = chosen.table.columns.get(chosen.column!)!;
  const formula: Formula = { text: qualifier ? `${qualifier}.${col.name}` : col.name, prec: Prec.Atom, type: sqlTypeOf(col.type ?? 'string'), unit: {} };
  return { formula, time: chosen.dimension.type === 'time' ? { grain: chosen.dimension.granularity?.value.toLowerCase() ?? null } : null };
}

function reachableTables(scope: FilterScope): string[] {
  return scope.index.tables.filter((t) => t === scope.table || findDimension(scope.index.catalog, scope.table.table, `${t.table}.${t.primaryKey}`).kind === 'found').map((t) => t.table);
}

function resolveEntity(parts: string[], scope: FilterScope, span: SqlSpan): Resolved {
  const { index, table } = scope;
  const entity = parts[parts.length - 1];
  const via = parts.length > 1 ? parts[parts.length - 2] : null;
  let owner: ImportedTable | undefined;
  if (via === null && table.entities.has(entity)) owner = table;
  else if (via !== null) owner = index.tables.find((t) => primaryEntityOf(t.model) === via && t.entities.has(entity));
  else owner = index.tables.find((t) => primaryEntityOf(t.model) === entity && t.entities.has(entity));
  if (!owner) throw new SqlError(`there is no entity '${parts.join('__')}' reachable here`, span, didYouMean(entity, [...table.entities.keys()]), 'KPI0709');
  const column = owner.entities.get(entity)!;
  if (owner !== table && findDimension(index.catalog, table.table, `${owner.table}.${column}`).kind !== 'found') {
    throw new SqlError(`entity '${parts.join('__')}' (of table ${owner.table}) cannot be reached from ${table.table}, which this metric reads`, span, undefined, 'KPI0717');
  }
  const col = owner.columns.get(column)!;
  return { formula: { text: owner === table ? column : `${owner.table}.${column}`, prec: Prec.Atom, type: sqlTypeOf(col.type ?? 'string'), unit: {} }, time: null };
}

function computedResolver(t: ImportedTable, qualifier: string | null, span: SqlSpan): Resolver {
  return {
    name: (parts) => {
      const name = parts[parts.length - 1];
      const c = t.columns.get(name);
      if (!c) throw new SqlError(`the computed dimension reads '${name}', which is not a column of ${t.table}`, span, undefined, 'KPI0709');
      return { text: qualifier ? `${qualifier}.${name}` : name, prec: Prec.Atom, type: sqlTypeOf(c.type ?? 'string'), unit: {} };
    },
  };
}

function filterResolver(scope: FilterScope): Resolver {
  const resolveAt = (node: SqlNode): Resolved | null => {
    if (node.k !== 'tpl') return null;
    return resolveTemplate(parseTemplate(node.body, node), scope, node);
  };
  return {
    name: (parts, span) => {
      throw new SqlError(`'${parts.join('.')}' is a bare name; in a filter, dimensions are written as templates`, span, `write {{ Dimension('entity__${parts[parts.length - 1]}') }}`, 'KPI0709');
    },
    template: (body, span) => {
      const t = parseTemplate(body, span);
      return resolveTemplate(t, scope, span).formula;
    },
    compare: (op, l, r) => {
      // A time dimension at a grain, compared with a date written out.
      const lt = l.k === 'tpl' ? { tpl: l, lit: r, op } : r.k === 'tpl' ? { tpl: r, lit: l, op: flip(op) } : null;
      if (!lt) return null;
      const literal = timeLiteral(lt.lit);
      if (literal === null) return null;
      const template = parseTemplate((lt.tpl as { body: string }).body, lt.tpl);
      const resolved = resolveAt(lt.tpl);
      if (!resolved?.time) return null;
      const grain = (template.grain ?? resolved.time.grain ?? 'day') as string;
      const g: FilterGrain = (GRAINS as readonly string[]).includes(grain) ? (grain as FilterGrain) : 'day';
      return compareAtGrain(resolved.formula.text, lt.op, literal, g);
    },
  };
}

function flip(op: CompareOp): CompareOp {
  return ({ '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[op];
}

/** The instant a literal such as '2024-01-02' or cast('2024-01-02' as date) stands for. */
function timeLiteral(n: SqlNode): Date | null {
  const s = n.k === 'str' ? n.value : n.k === 'cast' && n.x.k === 'str' ? n.x.value : null;
  if (s === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?Z?$/.exec(s.trim());
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
}

/** The start of the period of `grain` holding `d` (weeks start on Monday, as the compiler's do). */
export function floorTo(d: Date, grain: FilterGrain): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (grain) {
    case 'day':
      return new Date(Date.UTC(y, m, d.getUTCDate()));
    case 'week': {
      const day = new Date(Date.UTC(y, m, d.getUTCDate()));
      const back = (day.getUTCDay() + 6) % 7;
      return new Date(day.getTime() - back * 86_400_000);
    }
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
    default: {
      const never: never = grain;
      return never;
    }
  }
}

export function addGrain(d: Date, grain: FilterGrain, n = 1): Date {
  switch (grain) {
    case 'day':
      return new Date(d.getTime() + n * 86_400_000);
    case 'week':
      return new Date(d.getTime() + 7 * n * 86_400_000);
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate()));
    case 'quarter':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3 * n, d.getUTCDate()));
    case 'year':
      return new Date(Date.UTC(d.getUTCFullYear() + n, d.getUTCMonth(), d.getUTCDate()));
    default: {
      const never: never = grain;
      return never;
    }
  }
}

function literalText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? `'${iso.slice(0, 10)}'` : `'${iso.slice(0, 19)}'`;
}

/**
 * `trunc(x, grain) op L` as a condition on x itself: truncation only moves x back to its
 * period's start, so each comparison with L is one with the first instant of the right period.
 */
export function compareAtGrain(column: string, op: CompareOp, literal: Date, grain: FilterGrain): Formula {
  const floor = floorTo(literal, grain);
  const aligned = floor.getTime() === literal.getTime();
  const ceil = aligned ? floor : addGrain(floor, grain);
  const next = addGrain(floor, grain);
  const cmp = (o: string, d: Date): Formula => ({ text: `${column} ${o} ${literalText(d)}`, prec: Prec.Compare, type: 'boolean', unit: {} });
  switch (op) {
    case '>=':
      return cmp('>=', ceil);
    case '>':
      return cmp('>=', next);
    case '<':
      return cmp('<', ceil);
    case '<=':
      return cmp('<', next);
    case '=':
    case '!=': {
      if (!aligned) return op === '=' ? { text: 'false', prec: Prec.Atom, type: 'boolean', unit: {} } : { text: `${column} is not null`, prec: Prec.Compare, type: 'boolean', unit: {} };
      const both = `${cmp('>=', floor).text} and ${cmp('<', next).text}`;
      return op === '=' ? { text: both, prec: Prec.And, type: 'boolean', unit: {} } : { text: `not (${both})`, prec: Prec.Not, type: 'boolean', unit: {} };
    }
    default: {
      const never: never = op;
      return never;
    }
  }
}
