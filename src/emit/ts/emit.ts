// Checked project → generated/ts: the row types of the tables, one calculator per KPI (rendered
// from its QueryPlan), a shared runtime and an index. The calculators compute what the SQL computes.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { irChildren, type CheckedKpi, type CheckedProject } from '../../check/check.js';
import type { Catalog, Column as ColumnDef, Table as SourceDef } from '../../check/catalog.js';
import { buildPlan, directScans, pathKey } from '../../plan/build.js';
import { relatedByPeriod, relatedJoins, relatedKey, scanRelated, type Related } from '../../plan/related.js';
import type { AggregateSpec, DimensionPlan, IrExpr, JoinStep, QueryPlan, RelatedSpec, Scan, TimeSpec } from '../../plan/ir.js';
import { planReads } from '../../plan/reads.js';
import { columnCode, exprCode, layout, type Code, type Leaves } from './code.js';
import { camelCase, commentText, pascalCase, propertyAccess, propertyKey, tsString } from './names.js';
import { wrap } from '../wrap.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// Compiled to dist/emit/ts, the templates stay in src/emit/ts/templates.
const TEMPLATE_DIR = [join(HERE, 'templates'), join(HERE, '..', '..', '..', 'src', 'emit', 'ts', 'templates')].find((d) => existsSync(d)) ?? join(HERE, 'templates');

const templates = new Map<string, Handlebars.TemplateDelegate>();
function render(name: 'runtime' | 'tables' | 'kpi' | 'index', context: object): string {
  let t = templates.get(name);
  if (!t) {
    t = Handlebars.compile(readFileSync(join(TEMPLATE_DIR, `${name}.hbs`), 'utf8'), { noEscape: true, strict: true });
    templates.set(name, t);
  }
  return t(context);
}

/** Paths relative to `generated/` (`ts/index.ts`, ...) → content. */
export function renderTsOutputs(project: CheckedProject): Map<string, string> {
  const out = new Map<string, string>();
  out.set('ts/runtime.ts', render('runtime', {}));
  out.set('ts/tables.ts', renderTables(project.sources));
  const kpis = [...project.kpis].sort((a, b) => a.def.id.value.localeCompare(b.def.id.value));
  const rendered: { id: string; key: string; fn: string; type: string }[] = [];
  for (const k of kpis) {
    const plan = kpiPlan(k, project.catalog);
    if (!plan) continue;
    const id = k.def.id.value;
    out.set(`ts/${id}.ts`, renderKpi(k, plan, project.catalog));
    rendered.push({ id, key: propertyKey(id), fn: camelCase(id), type: pascalCase(id) });
  }
  out.set('ts/index.ts', render('index', { kpis: rendered }));
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The plan of a KPI at its own grain with every dimension it declares (those that plan, if some do not). */
function kpiPlan(k: CheckedKpi, catalog: Catalog): QueryPlan | null {
  const declared = k.def.dimensions.map((d) => d.value);
  const all = buildPlan([k], catalog, { grain: k.def.grain, by: declared });
  if (all.value) return all.value;
  const usable = declared.filter((d) => buildPlan([k], catalog, { grain: k.def.grain, by: [d] }).value !== null);
  return buildPlan([k], catalog, { grain: k.def.grain, by: usable }).value;
}

// ---------------------------------------------------------------------------------------------
// tables.ts

function rowType(table: string): string {
  return `${pascalCase(table)}Row`;
}

function columnTsType(c: ColumnDef): string {
  const base =
    c.type === 'integer' || c.type === 'decimal'
      ? 'number'
      : c.type === 'boolean'
        ? 'boolean'
        : c.type === 'string' && c.values
          ? c.values.map(tsString).join(' | ')
          : 'string';
  return c.nullable ? `${base} | null` : base;
}

function columnDoc(c: ColumnDef): string {
  const kind: Record<ColumnDef['type'], string> = {
    integer: 'Integer',
    decimal: 'Decimal',
    boolean: 'Boolean',
    string: 'String',
    date: "Date, 'YYYY-MM-DD'",
    timestamp: 'Timestamp, ISO (UTC)',
  };
  const parts = [`${kind[c.type]}${c.unit ? ` (${c.unit === 'currency' && c.currency ? c.currency : c.unit})` : ''}${c.references ? `, references ${c.references}` : ''}.`];
  if (c.description) parts.push(c.description);
  return commentText(parts.join(' '));
}

function renderTables(sources: SourceDef[]): string {
  const tables = [...sources]
    .sort((a, b) => a.table.localeCompare(b.table))
    .map((s) => ({
      rowType: rowType(s.table),
      doc: [...wrap(commentText(`A row of ${s.table}${s.description ? `: ${s.description}` : '.'}`), 96), '', `Primary key: ${s.primaryKey}.`],
      columns: s.columns.map((c) => ({ key: propertyKey(c.name), tsType: columnTsType(c), doc: columnDoc(c) })),
    }));
  return render('tables', { tables });
}

// ---------------------------------------------------------------------------------------------
// One KPI

function renderKpi(k: CheckedKpi, plan: QueryPlan, catalog: Catalog): string {
  const d = k.def;
  const id = d.id.value;
  const fn = camelCase(id);
  const reads = planReads(plan);
  const dimensions = plan.dimensions.map((dim, i) => ({
    name: dim.name,
    key: propertyKey(dim.name),
    declared: d.dimensions[i]?.value !== dim.name ? (d.dimensions[i]?.value ?? null) : null,
    tsType: dimensionTsType(dim, catalog),
  }));
  const related = planRelated(plan);
  const indexes = joinTargets(plan, related).map((t) => ({ name: indexName(t.table, t.key), table: propertyAccess(t.table).slice(1), key: propertyAccess(t.key) }));
  const relatedNames = new Map(related.map((r, i) => [relatedKey(r), `r${i + 1}`]));
  const scans = [...related.map((r, i) => relatedCode(r, `r${i + 1}`)), ...plan.scans.map((s) => scanCode(plan, s, relatedNames))];
  const value = layout(exprCode(plan.outputs[0].value, { aggregate: (scan, column, back) => `v(${tsString(scan)}, ${tsString(column)}${back ? `, ${back}` : ''})` }), 2);
  const shifts = shiftLists(plan.outputs[0].value);
  const output = plan.outputs[0];
  const own = directScans(output.value);
  const empty = output.empty !== null && own.length > 0 ? `{ value: ${output.empty}, scans: [${own.map(tsString).join(', ')}] }` : null;
  const info: Record<string, InfoValue> = {
    id,
    name: d.name,
    description: d.description,
    unit: d.unit.value,
    unitLabel: d.unitLabel,
    currency: d.currency,
    better: d.better,
    target: d.target ? { good: d.target.good, warn: d.target.warn } : null,
    grain: d.grain,
    dimensions: dimensions.map((x) => x.name),
    tables: reads.map((r) => r.table),
    file: d.file,
  };
  return render('kpi', {
    file: d.file,
    fn,
    name: commentText(d.name),
    type: pascalCase(id),
    rowTypes: reads.map((r) => rowType(r.table)).join(', '),
    dimensionType: dimensions.length ? dimensions.map((x) => tsString(x.name)).join(' | ') : 'never',
    dimensions,
    unitDoc: commentText(`The value in ${d.unitLabel ?? d.unit.value}${d.currency ? ` (${d.currency})` : ''}, ${d.better} is better; null when it cannot be computed (a division by zero, no rows).`),
    inputs: reads.map((r) => ({ key: propertyKey(r.table), rowType: rowType(r.table), columns: r.columns.map(tsString).join(' | ') })),
    info: infoCode(info, 0),
    doc: calculatorDoc(k, plan),
    grain: tsString(d.grain),
    shifts: shifts.length ? `[${shifts.join(', ')}]` : '[]',
    empty,
    dimensionNames: dimensions.map((x) => tsString(x.name)).join(', '),
    indexes,
    scans,
    scanIds: plan.scans.map((s) => s.id).join(', '),
    value,
  });
}

function calculatorDoc(k: CheckedKpi, plan: QueryPlan): string[] {
  const d = k.def;
  const lines: string[] = [`${d.name}${d.short ? ` (${d.short})` : ''}.`, '', ...wrap(d.description, 96), ''];
  lines.push(`Formula: ${d.formula.text.trim().replace(/\s+/g, ' ')}`);
  for (const m of d.measures) lines.push(`  ${m.name.value}: ${m.formula.text.trim().replace(/\s+/g, ' ')}`);
  lines.push('', `Unit: ${d.unit.value}${d.unitLabel ? ` (${d.unitLabel})` : ''}, ${d.better} is better.${d.target ? ` Target: good ${d.target.good}, warn ${d.target.warn}.` : ''}`);
  lines.push(`Default grain: ${d.grain}.${plan.dimensions.length ? ` Dimensions: ${plan.dimensions.map((x) => x.name).join(', ')}.` : ''}`);
  lines.push(
    '',
    ...wrap(
      'Returns one row per period from the one holding `from` to the one holding `to` (empty periods included), times every combination of the dimension values found in the rows read, ordered by period then dimension values (nulls last): the rows the SQL query returns. Reads each table once. Rows of joined tables are found by their primary key, which must be unique.',
      96,
    ),
    '',
    `@param rows the rows of ${plan.scans.length ? [...new Set(planReads(plan).map((r) => r.table))].join(', ') : 'no table'}`,
    '@param options the range (`from`, `to`: dates), the grain and the dimensions to slice by',
  );
  return lines.map(commentText);
}

function dimensionTsType(dim: DimensionPlan, catalog: Catalog): string {
  const types = new Set<string>();
  for (const e of Object.values(dim.byScan)) {
    if (e.kind !== 'column') continue;
    const col = catalog.tables.get(e.table)?.columns.find((c) => c.name === e.column);
    if (col) types.add(columnTsType({ ...col, nullable: false }));
  }
  if (types.size === 0) types.add(dim.type === 'number' ? 'number' : dim.type === 'boolean' ? 'boolean' : 'string');
  return `${[...types].join(' | ')} | null`;
}

/** Tables the scans and related aggregates reach through references, with the key each is looked up by. */
function joinTargets(plan: QueryPlan, related: Related[]): { table: string; key: string }[] {
  const seen = new Map<string, { table: string; key: string }>();
  const paths = [...plan.scans.flatMap((s) => s.joins), ...related.flatMap((r) => relatedJoins(r).joins)];
  for (const p of paths) for (const step of p) seen.set(`${step.toTable}.${step.toKey}`, { table: step.toTable, key: step.toKey });
  return [...seen.values()].sort((a, b) => `${a.table}.${a.key}`.localeCompare(`${b.table}.${b.key}`));
}

function indexName(table: string, key: string): string {
  return `${camelCase(table)}By${pascalCase(key)}`;
}

/** The related aggregates of a plan's scans, each once, in the order they first appear. */
function planRelated(plan: QueryPlan): Related[] {
  const found = new Map<string, Related>();
  for (const scan of plan.scans) for (const r of scanRelated(scan)) if (!found.has(relatedKey(r))) found.set(relatedKey(r), r);
  return [...found.values()];
}

/** The join closure of a table's row: the rows its references reach, as `t0`, `t1`... */
function joinCode(joins: JoinStep[][], aliases: Map<string, string>): string[] {
  if (joins.length === 0) return ['    join: (r) => ({ t0: r }),'];
  const lines = ['    join: (r) => {'];
  joins.forEach((p, i) => {
    const step = p[p.length - 1];
    const parent = aliases.get(pathKey(p.slice(0, -1)))!;
    const from = parent === 't0' ? 'r' : parent;
    lines.push(`      const t${i + 1} = rt.lookup(${indexName(step.toTable, step.toKey)}, ${from}${propertyAccess(step.fkColumn, parent !== 't0')});`);
  });
  lines.push(`      return { t0: r, ${joins.map((_, i) => `t${i + 1}`).join(', ')} };`, '    },');
  return lines;
}

/** `const r1 = rt.related(...)`: a related aggregate's rows by the outer key they point at. */
function relatedCode(r: Related, name: string): string {
  const s = r.spec;
  const { joins, keyPath, key: last } = relatedJoins(r);
  const aliases = new Map<string, string>([['', 't0']]);
  joins.forEach((p, i) => aliases.set(pathKey(p), `t${i + 1}`));
  const leaves = { column: (e: Extract<IrExpr, { kind: 'column' }>) => columnCode(e, aliases) };
  const keyAlias = aliases.get(pathKey(keyPath))!;
  const time = s.time ? timeCode(s.time) : { code: 'null', what: 'every related row' };
  return [
    `  // ${name}: ${s.fn} over the ${s.table} rows of each ${last.toTable} row, ${time.what}.`,
    `  const ${name} = rt.related(rows${propertyAccess(s.table)}, {`,
    `    time: ${time.code},`,
    `    byPeriod: ${relatedByPeriod(r)},`,
    ...joinCode(joins, aliases),
    `    key: (j) => j.${keyAlias}${propertyAccess(last.fkColumn, keyPath.length > 0)},`,
    ...aggregateFields(s, leaves, 4),
    '  });',
  ].join('\n');
}

/** A time spec as the runtime's, and in words for a comment. */
function timeCode(t: TimeSpec): { code: string; what: string } {
  const at = (column: string) => `(r) => rt.time(r${propertyAccess(column)})`;
  switch (t.kind) {
    case 'period':
      return { code: `{ kind: 'period', at: ${at(t.column)} }`, what: `rows by ${t.column}` };
    case 'snapshot':
      return {
        code: `{ kind: 'snapshot', edge: ${tsString(t.edge)}, from: ${at(t.from)}, to: ${at(t.to)} }`,
        what: `rows alive ${t.edge === 'during' ? 'during' : `at the ${t.edge} of`} each period (${t.from} to ${t.to})`,
      };
    case 'window': {
      const w = t.window;
      const win = w.kind === 'interval' ? `{ kind: 'interval', count: ${w.count}, unit: '${w.unit}' }` : w.kind === 'to_date' ? `{ kind: 'to_date', grain: '${w.grain}' }` : `{ kind: 'all' }`;
      return {
        code: `{ kind: 'window', at: ${at(t.column)}, window: ${win} }`,
        what: `rows by ${t.column} in a window ending at each period's end (${w.kind === 'interval' ? `${w.count} ${w.unit}` : w.kind === 'to_date' ? `${w.grain} to date` : 'all time'})`,
      };
    }
    case 'semi':
      return {
        code: `{ kind: 'semi', edge: ${tsString(t.edge)}, at: ${at(t.column)}, per: ${t.per ? `(r) => r${propertyAccess(t.per)} ?? null` : 'null'} }`,
        what: `the rows at the ${t.edge} ${t.column} of each period${t.per ? ` per ${t.per}` : ''}`,
      };
    default: {
      const never: never = t;
      return never;
    }
  }
}

/** `const s1 = rt.scan(...)`: one pass over the scan's table, every aggregate of it at once. */
function scanCode(plan: QueryPlan, scan: Scan, related: Map<string, string>): string {
  const aliases = new Map<string, string>([['', 't0']]);
  scan.joins.forEach((p, i) => aliases.set(pathKey(p), `t${i + 1}`));
  const leaves = {
    column: (e: Extract<IrExpr, { kind: 'column' }>) => columnCode(e, aliases),
    related: (e: Related) => {
      const key = e.spec.path[e.spec.path.length - 1].toKey;
      return `${related.get(relatedKey(e))}.get(j.t0${propertyAccess(key)}, p)`;
    },
  };
  const { code: time, what } = timeCode(scan.time);
  const lines: string[] = [];
  lines.push(`  // ${scan.id}: ${scan.table}, ${what}.`);
  lines.push(`  const ${scan.id} = rt.scan(q, rows${propertyAccess(scan.table)}, {`);
  lines.push(`    time: ${time},`);
  lines.push(...joinCode(scan.joins, aliases));
  if (plan.dimensions.length === 0) lines.push('    dimensions: {},');
  else {
    lines.push('    dimensions: {');
    for (const dim of plan.dimensions) {
      const e = dim.byScan[scan.id];
      let code: Code = exprCode(e, leaves);
      if (dim.type === 'date' || dim.type === 'timestamp') code = { call: 'rt.timeText', args: [code, tsString(dim.type)] };
      lines.push(`      ${propertyKey(dim.name)}: (j) => ${layout(code, 6)},`);
    }
    lines.push('    },');
  }
  lines.push('    aggregates: [');
  for (const a of scan.aggregates) lines.push(aggregateCode(a.column, a.spec, leaves));
  lines.push('    ],');
  lines.push('  });');
  return lines.join('\n');
}

function aggregateCode(column: string, spec: AggregateSpec, leaves: Leaves): string {
  return ['      {', `        column: ${tsString(column)},`, ...aggregateFields(spec, leaves, 8), '      },'].join('\n');
}

/** An aggregate's function, fraction, argument and condition, as fields at `pad` spaces. */
function aggregateFields(spec: AggregateSpec | RelatedSpec, leaves: Leaves, pad: number): string[] {
  const closure = (e: IrExpr | null) => {
    if (!e) return 'null';
    const body = layout(exprCode(e, leaves), pad);
    return `(${/\bp\b/.test(body) ? 'j, p' : 'j'}) => ${body}`;
  };
  const at = ' '.repeat(pad);
  return [
    `${at}fn: ${tsString(spec.fn)},`,
    `${at}fraction: ${spec.fraction === null ? 'null' : String(spec.fraction)},`,
    `${at}arg: ${closure(spec.arg)},`,
    `${at}filter: ${closure(spec.filter)},`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Metadata as a TypeScript literal

type InfoValue = string | number | boolean | null | InfoValue[] | { [k: string]: InfoValue };

function infoCode(v: InfoValue, indent: number): string {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return tsString(v);
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(v)) {
    const flat = `[${v.map((x) => infoCode(x, 0)).join(', ')}]`;
    return indent + flat.length <= 90 ? flat : `[\n${v.map((x) => `${pad}${infoCode(x, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(v);
  if (indent > 0) {
    const flat = `{ ${entries.map(([k, x]) => `${propertyKey(k)}: ${infoCode(x, 0)}`).join(', ')} }`;
    if (indent + flat.length <= 90) return flat;
  }
  return `{\n${entries.map(([k, x]) => `${pad}${propertyKey(k)}: ${infoCode(x, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}}`;
}

/** Every list of shifts the value reads through (previous as one shift of n periods), as code. */
function shiftLists(e: IrExpr): string[] {
  const out = new Set<string>();
  const visit = (x: IrExpr) => {
    if (x.kind === 'previous') out.add(`[{ kind: 'periods', n: ${x.periods} }]`);
    if (x.kind === 'shifted') out.add(`[${x.shifts.map((s) => (s.kind === 'periods' ? `{ kind: 'periods', n: ${s.n} }` : s.kind === 'interval' ? `{ kind: 'interval', count: ${s.count}, unit: '${s.unit}' }` : `{ kind: 'start_of', grain: '${s.grain}' }`)).join(', ')}]`);
    irChildren(x).forEach(visit);
  };
  visit(e);
  return [...out];
}
