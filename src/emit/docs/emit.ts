// Checked KPIs → the Markdown catalog: a page per KPI (`docs/<id>.md`) and an index (`docs/index.md`).
// The pages are laid out by Handlebars templates kept in `templates/`; this file builds what they
// print, as Markdown in which every piece of text from a KPI file is already escaped (see markdown.ts).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { CheckedKpi, CheckedProject } from '../../check/check.js';
import { kpiSqlFile } from '../sql/kpi-file.js';
import { explain, namesFor, type Piece } from './explain.js';
import { cell, code, codeBlock, fragment, generated, inline, join as joinMd, link, table, text, yamlString, type Md } from './markdown.js';
import { benchmarkText, compare, firstSentence, fixtureColumns, fixtureDimensions, fixtureSettings, fixtureText, formulaLine, fullName, idOf, oneLine, periodsText, ROLES, targetText, tierRank, TIERS, topicOf, unique, unitText } from './content.js';

/** Paths relative to `generated/`: `docs/<id>.md` per KPI and `docs/index.md`, sorted by path. */
export function renderDocsOutputs(project: CheckedProject): Map<string, string> {
  const kpis = [...project.kpis].sort((a, b) => compare(idOf(a), idOf(b)));
  const catalog = catalogOf(kpis);
  const templates = loadTemplates();
  const out = new Map<string, string>();
  for (const k of kpis) out.set(`docs/${idOf(k)}.md`, templates.kpi(kpiPage(k, catalog, project)));
  out.set('docs/index.md', templates.index(indexPage(kpis)));
  return new Map([...out.entries()].sort(([a], [b]) => compare(a, b)));
}

// ---- templates ----

interface Templates {
  kpi: (page: KpiPage) => string;
  index: (page: IndexPage) => string;
}

let cached: Templates | null = null;

function loadTemplates(): Templates {
  if (cached) return cached;
  const dir = templatesDir();
  // Our own instance: no helpers or partials leak in from other users of Handlebars.
  const hb = Handlebars.create();
  // noEscape: the view holds Markdown that is escaped already; strict: a misspelt field is an error.
  const compile = (name: string) => hb.compile(readFileSync(join(dir, name), 'utf8'), { noEscape: true, strict: true });
  cached = { kpi: compile('kpi.md.hbs'), index: compile('index.md.hbs') };
  return cached;
}

/**
 * `tsc` does not copy the `.hbs` files to `dist/`, so they are read from the package's `src/`
 * whether this module runs from `src/` (tests) or from `dist/` (the built CLI).
 */
function templatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, 'templates', 'kpi.md.hbs'))) return join(here, 'templates');
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'emit', 'docs', 'templates');
    if (dirname(dir) === dir) throw new Error(`the docs templates were not found above ${here}`);
  }
}

// ---- the page of one KPI ----

interface KpiPage {
  frontMatter: { id: string; title: string; sidebarLabel: string; description: string; tags: string[] };
  title: Md;
  question: Md;
  description: Md;
  facts: { label: Md; value: Md }[];
  formula: Md;
  formulaWords: Md;
  measures: Md | null;
  pitfalls: Md | null;
  reads: { table: Md; columns: Md }[];
  buildsOn: Md[];
  builtOn: Md[];
  related: Md[];
  examples: Example[];
  sql: Md | null;
  source: Md;
}

interface Example {
  number: number;
  name: Md;
  settings: Md;
  given: { table: Md; rows: Md }[];
  expect: Md;
}

/** The KPIs by id, and who builds on whom, looked up once for every page (in id order). */
interface Catalog {
  ids: Set<string>;
  byId: Map<string, CheckedKpi>;
  builtOn: Map<string, CheckedKpi[]>;
}

function catalogOf(kpis: CheckedKpi[]): Catalog {
  const byId = new Map(kpis.map((k) => [idOf(k), k]));
  const builtOn = new Map<string, CheckedKpi[]>();
  for (const k of kpis) {
    for (const dep of k.dependsOn) {
      const list = builtOn.get(dep);
      if (list) list.push(k);
      else builtOn.set(dep, [k]);
    }
  }
  return { ids: new Set(byId.keys()), byId, builtOn };
}

function kpiPage(k: CheckedKpi, catalog: Catalog, project: CheckedProject): KpiPage {
  const d = k.def;
  const id = idOf(k);
  const { ids } = catalog;
  const dependsOn = k.dependsOn.flatMap((o) => catalog.byId.get(o) ?? []);
  // A measure's own value is always spelled out at its top, so one set of names serves the
  // formula and every measure.
  const names = namesFor(
    k.measures.map((m) => ({ name: m.name, value: m.value })),
    dependsOn.map((o) => ({ id: idOf(o), value: o.value })),
  );
  const measures = k.measures.map((m) => [inline(m.name), code(formulaLine(m.text), true), words(explain(m.value, names), ids)]);
  const tags = unique([d.tier, ...d.tags]);
  return {
    frontMatter: {
      id: yamlString(id),
      title: yamlString(d.name),
      sidebarLabel: yamlString(d.short ?? d.name),
      description: yamlString(oneLine(d.question)),
      tags: tags.map(yamlString),
    },
    title: inline(fullName(k)),
    question: inline(d.question),
    description: text(d.description),
    facts: facts(k),
    formula: codeBlock(d.formula.text.trim(), 'text'),
    formulaWords: words(explain(k.value, names), ids),
    measures: measures.length === 0 ? null : table([generated('Measure'), generated('Formula'), generated('In plain words')], measures),
    pitfalls: d.pitfalls ? text(d.pitfalls) : null,
    reads: k.reads.map((r) => ({ table: code(r.table), columns: r.columns.length ? joinMd(r.columns.map((c) => code(c)), ', ') : generated('(rows only)') })),
    buildsOn: k.dependsOn.map((o) => kpiLink(o, catalog)),
    builtOn: (catalog.builtOn.get(id) ?? []).map((o) => kpiLink(idOf(o), catalog)),
    related: d.related.map((r) => kpiLink(r.value, catalog)),
    examples: d.tests.map((t, i) => example(t, i + 1)),
    sql: sqlOf(k, project),
    source: code(d.file),
  };
}

function facts(k: CheckedKpi): { label: Md; value: Md }[] {
  const d = k.def;
  const f = (label: string, value: Md | null) => (value === null ? [] : [{ label: generated(label), value }]);
  return [
    ...f('Tier', inline(d.tier)),
    ...f('Dashboards', inline(d.roles.join(', '))),
    ...f('Owner', inline(d.owner)),
    ...f('Unit', inline(`${unitText(k)}, ${d.better} is better`)),
    ...f('Target', d.target ? inline(targetText(k, d.target)) : null),
    ...f('Benchmark', d.benchmark ? text(benchmarkText(k, d.benchmark)) : null),
    ...f('Periods', inline(periodsText(k))),
    ...f('Dimensions', d.dimensions.length ? joinMd(d.dimensions.map((x) => code(x.value)), ', ') : null),
    ...f('Tags', d.tags.length ? inline(d.tags.join(', ')) : null),
  ];
}

function example(t: CheckedKpi['def']['tests'][number], number: number): Example {
  // The tables in the order the fixture gives them (dimension tables often come first).
  const given = Object.keys(t.given).map((table) => ({ table: code(table), rows: rowsTable(t.given[table]) }));
  const dims = fixtureDimensions(t);
  const expect = table(
    [generated('period'), ...dims.map((x) => cell(x)), generated('value')],
    t.expect.map((e) => [cell(e.period), ...dims.map((x) => fixtureCell(e.dims[x])), fixtureCell(e.value)]),
  );
  return { number, name: inline(t.name), settings: inline(fixtureSettings(t)), given, expect };
}

/** The rows of a table as given: one column per field, in the order they first appear. */
function rowsTable(rows: Record<string, unknown>[]): Md {
  const columns = fixtureColumns(rows);
  if (columns.length === 0) return generated('(no rows)');
  return table(
    columns.map((c) => cell(c)),
    rows.map((r) => columns.map((c) => (Object.hasOwn(r, c) ? fixtureCell(r[c]) : generated('')))),
  );
}

function fixtureCell(v: unknown): Md {
  const t = fixtureText(v);
  return t.generated ? generated(t.text) : cell(t.text);
}

/** The same text as `generated/sql/<id>.sql`: the plan and the SQL emitter called as `kpi compile` calls them. */
function sqlOf(k: CheckedKpi, project: CheckedProject): Md | null {
  const { sql } = kpiSqlFile(k, project);
  return sql === null ? null : codeBlock(sql, 'sql');
}

/** Plain words as Markdown: names of other KPIs become links to their pages, the rest is escaped text. */
function words(pieces: Piece[], ids: Set<string>): Md {
  return joinMd(
    pieces.map((p) => {
      if (typeof p === 'string') return fragment(p);
      if ('kpi' in p) return ids.has(p.kpi) ? link(p.kpi, `${p.kpi}.md`) : fragment(p.kpi);
      return fragment(p.measure);
    }),
  );
}

function kpiLink(id: string, catalog: Catalog): Md {
  const k = catalog.byId.get(id);
  return k ? link(k.def.name, `${id}.md`) : inline(id);
}

// ---- the index ----

interface IndexPage {
  count: number;
  tiers: { title: Md; who: Md; rows: IndexRow[] }[];
  roles: { title: Md; role: Md; kpis: { link: Md; tier: Md; question: Md }[] }[];
}

interface IndexRow {
  topic: Md;
  question: Md;
  kpi: Md;
  calculation: Md;
  benchmark: Md;
  comments: Md;
}

function indexPage(kpis: CheckedKpi[]): IndexPage {
  const tiers = TIERS.map((t) => ({
    title: generated(t.title),
    who: generated(t.who),
    rows: kpis
      .filter((k) => k.def.tier === t.id)
      .sort((a, b) => compare(topicOf(a), topicOf(b)) || compare(idOf(a), idOf(b)))
      .map(indexRow),
  })).filter((t) => t.rows.length > 0);
  const roles = ROLES.map((r) => ({
    title: generated(r.title),
    role: generated(r.id),
    kpis: kpis
      .filter((k) => k.def.roles.includes(r.id))
      .sort((a, b) => tierRank(a) - tierRank(b) || compare(idOf(a), idOf(b)))
      .map((k) => ({ link: link(k.def.name, `${idOf(k)}.md`), tier: inline(k.def.tier), question: inline(k.def.question) })),
  })).filter((r) => r.kpis.length > 0);
  return { count: kpis.length, tiers, roles };
}

function indexRow(k: CheckedKpi): IndexRow {
  const d = k.def;
  return {
    topic: cell(topicOf(k)),
    question: cell(d.question),
    kpi: link(fullName(k), `${idOf(k)}.md`),
    calculation: code(formulaLine(d.formula.text), true),
    benchmark: d.benchmark ? cell(benchmarkText(k, d.benchmark)) : generated(''),
    comments: d.pitfalls ? cell(firstSentence(d.pitfalls)) : generated(''),
  };
}

