// Checked KPIs (and, when a database was at hand, their recent values) → the catalog as a static HTML
// site: `index.html` with search and filters, `kpi/<id>.html` per KPI, and `lineage.html`. The pages
// say what the Markdown catalog says (content.ts, explain.ts), laid out by the Handlebars templates
// in `templates/`, which escape every value they print. Nothing is fetched when a page is read: the
// style and the one script are inline, allowed by their hashes in each page's Content-Security-Policy.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { CheckedKpi, CheckedProject } from '../../check/check.js';
import { irChildren } from '../../check/check.js';
import type { IrExpr } from '../../plan/ir.js';
import { benchmarkText, compare, fixtureColumns, fixtureDimensions, fixtureSettings, fixtureText, formulaLine, fullName, idOf, oneLine, periodsText, ROLES, targetText, tierRank, TIERS, topicOf, unique, unitText } from '../docs/content.js';
import { explain, namesFor, type Piece } from '../docs/explain.js';
import { kpiSqlFile } from '../sql/kpi-file.js';
import { layoutLineage, type LineageLayout } from './svg.js';
import { asOf, valuesView, type KpiSeries, type ValuesView } from './values.js';

export type { KpiSeries } from './values.js';

export type SiteData =
  | { kind: 'values'; /** The database, as the user named it. */ source: string; series: Map<string, KpiSeries> }
  | { kind: 'none'; /** Why there are no values, a sentence without its full stop. */ reason: string };

/** Paths relative to the site folder → content, sorted by path. */
export function renderSite(project: CheckedProject, data: SiteData): Map<string, string> {
  const kpis = [...project.kpis].sort((a, b) => compare(idOf(a), idOf(b)));
  const ids = new Set(kpis.map(idOf));
  const t = loadTemplates();
  const out = new Map<string, string>();
  for (const k of kpis) out.set(`kpi/${idOf(k)}.html`, t.kpi(kpiPage(k, kpis, ids, project, data)));
  out.set('index.html', t.index(indexPage(kpis, data)));
  out.set('lineage.html', t.lineage(lineagePage(kpis)));
  return new Map([...out.entries()].sort(([a], [b]) => compare(a, b)));
}

// ---- templates and the page frame ----

interface Templates {
  kpi: (view: KpiView) => string;
  index: (view: IndexView) => string;
  lineage: (view: LineageView) => string;
}

interface Assets {
  style: string;
  script: string;
}

let cached: { templates: Templates; assets: Assets } | null = null;

function loadTemplates(): Templates {
  return load().templates;
}

function assets(): Assets {
  return load().assets;
}

function load(): { templates: Templates; assets: Assets } {
  if (cached) return cached;
  const dir = templatesDir();
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  // Our own instance: no helpers or partials leak in from other users of Handlebars.
  const hb = Handlebars.create();
  // A partial's last line break would print as a space where it is used inside a sentence.
  for (const name of ['layout', 'trend', 'words', 'links', 'table']) hb.registerPartial(name, read(`${name}.hbs`).replace(/\n$/, ''));
  // strict: a misspelt field is an error, not an empty string. Escaping stays on (the default).
  const compile = <T>(name: string) => hb.compile<T>(read(name), { strict: true });
  cached = {
    templates: { kpi: compile<KpiView>('kpi.hbs'), index: compile<IndexView>('index.hbs'), lineage: compile<LineageView>('lineage.hbs') },
    assets: { style: read('site.css'), script: read('search.js') },
  };
  return cached;
}

/**
 * `tsc` does not copy the templates to `dist/`, so they are read from the package's `src/` whether
 * this module runs from `src/` (tests) or from `dist/` (the built CLI).
 */
function templatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, 'templates', 'kpi.hbs'))) return join(here, 'templates');
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'emit', 'site', 'templates');
    if (dirname(dir) === dir) throw new Error(`the site templates were not found above ${here}`);
  }
}

/**
 * Text the emitter wrote itself, printed as it stands: the style sheet, the script and the escaped
 * JSON beside it. Nothing from a KPI file goes through here.
 */
function trusted(s: string): Handlebars.SafeString {
  return new Handlebars.SafeString(s);
}

/** What every page's frame (layout.hbs) prints. */
interface Frame {
  title: string;
  /** `''` for pages at the top, `'../'` for `kpi/`. */
  root: string;
  csp: string;
  style: Handlebars.SafeString;
  script: Handlebars.SafeString | null;
  data: Handlebars.SafeString | null;
}

function frame(title: string, root: string, data: unknown | null): Frame {
  const a = assets();
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const script = data === null ? null : a.script;
  const csp = [
    "default-src 'none'",
    `style-src ${hash(a.style)}`,
    `script-src ${script === null ? "'none'" : hash(script)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return { title, root, csp, style: trusted(a.style), script: script === null ? null : trusted(script), data: data === null ? null : trusted(scriptJson(data)) };
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are written as `\u003c`
 * and so on, so no `</script>` or `<!--` in a KPI's text can end the block or open a comment;
 * U+2028 and U+2029 likewise, for scripts that would read the block as JavaScript.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---- the page of one KPI ----

/**
 * A piece of a formula in words: text, or the name of a measure, or of a KPI (with its page when it
 * has one). One shape with nulls, since the templates are strict about missing fields.
 */
interface WordView {
  text: string | null;
  measure: string | null;
  kpi: string | null;
  href: string | null;
}

interface KpiView extends Frame {
  id: string;
  name: string;
  short: string | null;
  question: string;
  description: string[];
  tier: string;
  values: ValuesView | null;
  noValues: string;
  facts: { label: string; value: string }[];
  dimensions: string[];
  formula: string;
  words: WordView[];
  measures: { name: string; formula: string; words: WordView[] }[];
  pitfalls: string[];
  reads: { table: string; columns: string[] }[];
  buildsOn: { href: string | null; name: string }[];
  builtOn: { href: string | null; name: string }[];
  related: { href: string | null; name: string }[];
  examples: ExampleView[];
  sql: string | null;
  file: string;
}

interface ExampleView {
  number: number;
  name: string;
  settings: string;
  given: TableView[];
  expect: TableView;
}

interface TableView {
  name: string;
  columns: string[];
  rows: { text: string; generated: boolean }[][];
}

function kpiPage(k: CheckedKpi, all: CheckedKpi[], ids: Set<string>, project: CheckedProject, data: SiteData): KpiView {
  const d = k.def;
  const id = idOf(k);
  const deps = all.filter((o) => k.dependsOn.includes(idOf(o))).map((o) => ({ id: idOf(o), value: o.value }));
  const measures = k.measures.map((m) => ({ name: m.name, value: m.value }));
  const words = (pieces: Piece[]): WordView[] =>
    pieces.map((p) => {
      const none = { text: null, measure: null, kpi: null, href: null };
      if (typeof p === 'string') return { ...none, text: p };
      return 'kpi' in p ? { ...none, kpi: p.kpi, href: ids.has(p.kpi) ? `${p.kpi}.html` : null } : { ...none, measure: p.measure };
    });
  const link = (other: string) => {
    const o = all.find((x) => idOf(x) === other);
    return { href: o ? `${other}.html` : null, name: o ? o.def.name : other };
  };
  const values = data.kind === 'values' ? valuesView(k, data.series.get(id)) : null;
  return {
    ...frame(fullName(k), '../', null),
    id,
    name: d.name,
    short: d.short,
    question: oneLine(d.question),
    description: paragraphs(d.description),
    tier: d.tier,
    values,
    noValues: data.kind === 'values' ? `${data.source} holds no values for this KPI` : data.reason,
    facts: [
      { label: 'Tier', value: d.tier },
      { label: 'Dashboards', value: d.roles.join(', ') },
      { label: 'Owner', value: d.owner },
      { label: 'Unit', value: `${unitText(k)}, ${d.better} is better` },
      ...(d.target ? [{ label: 'Target', value: targetText(k, d.target) }] : []),
      ...(d.benchmark ? [{ label: 'Benchmark', value: oneLine(benchmarkText(k, d.benchmark)) }] : []),
      { label: 'Periods', value: periodsText(k) },
      ...(d.tags.length ? [{ label: 'Tags', value: d.tags.join(', ') }] : []),
    ],
    dimensions: d.dimensions.map((x) => x.value),
    formula: d.formula.text.trim(),
    words: words(explain(k.value, namesFor(measures, deps))),
    measures: k.measures.map((m) => ({
      name: m.name,
      formula: formulaLine(m.text),
      words: words(explain(m.value, namesFor(measures.filter((o) => o.name !== m.name), deps))),
    })),
    pitfalls: d.pitfalls ? paragraphs(d.pitfalls) : [],
    reads: k.reads.map((r) => ({ table: r.table, columns: r.columns })),
    buildsOn: k.dependsOn.map(link),
    builtOn: all.filter((o) => o.dependsOn.includes(id)).map((o) => link(idOf(o))),
    related: d.related.map((r) => link(r.value)),
    examples: d.tests.map((t, i) => {
      const dims = fixtureDimensions(t);
      return {
        number: i + 1,
        name: t.name,
        settings: fixtureSettings(t),
        given: Object.keys(t.given).map((table) => rowsTable(table, t.given[table])),
        expect: {
          name: 'expected',
          columns: ['period', ...dims, 'value'],
          rows: t.expect.map((e) => [{ text: e.period, generated: false }, ...dims.map((x) => fixtureText(e.dims[x])), fixtureText(e.value)]),
        },
      };
    }),
    sql: kpiSqlFile(k, project).sql,
    file: d.file,
  };
}

function rowsTable(name: string, rows: Record<string, unknown>[]): TableView {
  const columns = fixtureColumns(rows);
  return { name, columns, rows: rows.map((r) => columns.map((c) => fixtureText(Object.hasOwn(r, c) ? r[c] : undefined))) };
}

/** Paragraphs as written (a blank line between them); line breaks inside one read as spaces. */
function paragraphs(s: string): string[] {
  return s.replace(/\r\n?/g, '\n').trim().split(/\n\s*\n/).map(oneLine).filter(Boolean);
}

// ---- the index ----

interface IndexView extends Frame {
  count: number;
  source: string | null;
  asOf: string;
  noValues: string;
  filters: { id: string; label: string; options: { value: string; label: string }[] }[];
  rows: IndexRow[];
}

interface IndexRow {
  id: string;
  name: string;
  short: string | null;
  question: string;
  tier: string;
  roles: string;
  owner: string;
  unit: string;
  values: ValuesView | null;
}

/** What the index's script filters on: one entry per row, in the rows' order. */
export interface SearchEntry {
  id: string;
  /** Lower-case text that search words are looked for in: id, name, short name, question, description, tags. */
  text: string;
  tier: string;
  roles: string[];
  owner: string;
  unit: string;
}

export function searchText(k: CheckedKpi): string {
  const d = k.def;
  return oneLine([d.id.value, d.name, d.short ?? '', d.question, d.description, ...d.tags].join(' ')).toLowerCase();
}

function indexPage(kpis: CheckedKpi[], data: SiteData): IndexView {
  const sorted = [...kpis].sort((a, b) => tierRank(a) - tierRank(b) || compare(topicOf(a), topicOf(b)) || compare(idOf(a), idOf(b)));
  const entries: SearchEntry[] = sorted.map((k) => ({ id: idOf(k), text: searchText(k), tier: k.def.tier, roles: [...k.def.roles], owner: k.def.owner, unit: k.def.unit.value }));
  const option = (value: string, label = value) => ({ value, label });
  const present = (values: string[]) => unique(values).sort(compare).map((v) => option(v));
  return {
    ...frame('Catalog', '', { kpis: entries }),
    count: kpis.length,
    source: data.kind === 'values' ? data.source : null,
    asOf: data.kind === 'values' ? asOf(data.series) : '',
    noValues: data.kind === 'none' ? data.reason : '',
    filters: [
      { id: 'tier', label: 'Tier', options: TIERS.filter((t) => kpis.some((k) => k.def.tier === t.id)).map((t) => option(t.id, t.title)) },
      { id: 'role', label: 'Dashboard', options: ROLES.filter((r) => kpis.some((k) => k.def.roles.includes(r.id))).map((r) => option(r.id, r.title)) },
      { id: 'owner', label: 'Owner', options: present(kpis.map((k) => k.def.owner)) },
      { id: 'unit', label: 'Unit', options: present(kpis.map((k) => k.def.unit.value)) },
    ],
    rows: sorted.map((k) => ({
      id: idOf(k),
      name: k.def.name,
      short: k.def.short,
      question: oneLine(k.def.question),
      tier: k.def.tier,
      roles: k.def.roles.join(', '),
      owner: k.def.owner,
      unit: k.def.unit.value,
      values: data.kind === 'values' ? valuesView(k, data.series.get(idOf(k))) : null,
    })),
  };
}

// ---- the lineage graph ----

interface LineageView extends Frame {
  graph: LineageLayout;
  nodes: (LineageLayout['nodes'][number] & { href: string | null; title: string; textX: number; textY: number })[];
  tables: number;
  kpis: number;
}

function lineagePage(kpis: CheckedKpi[]): LineageView {
  const input = {
    tables: unique(kpis.flatMap((k) => k.reads.map((r) => r.table))),
    kpis: kpis.map((k) => ({ id: idOf(k), label: clip(k.def.name, 30), reads: directTables(k, kpis), dependsOn: k.dependsOn })),
  };
  const graph = layoutLineage(input);
  const names = new Map(kpis.map((k) => [idOf(k), fullName(k)]));
  return {
    ...frame('Lineage', '', null),
    graph,
    nodes: graph.nodes.map((n) => ({
      ...n,
      href: n.kind === 'kpi' ? `kpi/${n.name}.html` : null,
      title: n.kind === 'kpi' ? `${names.get(n.name)} (${n.name})` : `table ${n.name}`,
      textX: n.x + 8,
      textY: n.y + graph.node.height / 2 + 4,
    })),
    tables: input.tables.length,
    kpis: kpis.length,
  };
}

/**
 * The tables a KPI's own aggregates read: the parts of its formula that are another KPI (inlined by
 * the checker) are that KPI's reads, drawn as an edge from it instead.
 */
export function directTables(k: CheckedKpi, all: CheckedKpi[]): string[] {
  const deps = new Set(all.filter((o) => k.dependsOn.includes(idOf(o))).map((o) => JSON.stringify(o.value)));
  const tables = new Set<string>();
  const visit = (e: IrExpr): void => {
    if (deps.has(JSON.stringify(e))) return;
    if (e.kind === 'aggregate') tables.add(e.spec.table);
    // A related aggregate reads its table and the tables its path to the outer row goes through.
    if (e.kind === 'related') for (const step of e.spec.path) tables.add(step.fromTable);
    if (e.kind === 'column') {
      tables.add(e.table);
      for (const step of e.path) tables.add(step.fromTable);
    }
    irChildren(e).forEach(visit);
  };
  visit(k.value);
  return [...tables].sort(compare);
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}
