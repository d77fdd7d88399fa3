// What a change does to the catalog: KPIs added, removed and changed (fields, formula, unit), the
// SQL diff, and the values before and after, as Markdown for a review comment.

import type { CheckedKpi, CheckedProject } from '../check/check.js';
import { unifiedDiff } from './text-diff.js';

export interface ValueRow {
  period: string;
  before: number | null;
  after: number | null;
}

export interface KpiChange {
  id: string;
  name: string;
  fields: { field: string; before: string; after: string }[];
  sqlDiff: string;
  values: ValueRow[] | null;
}

export interface CatalogDiff {
  added: CheckedKpi[];
  removed: CheckedKpi[];
  changed: KpiChange[];
}

/** The fields a reviewer reads, as text, so that any difference shows. */
function fieldsOf(k: CheckedKpi): Record<string, string> {
  const d = k.def;
  return {
    name: d.name,
    short: d.short ?? '',
    description: d.description,
    question: d.question,
    tier: d.tier,
    roles: d.roles.join(', '),
    owner: d.owner,
    unit: d.unit.value + (d.currency ? ` ${d.currency}` : ''),
    better: d.better,
    formula: d.formula.text.trim(),
    measures: d.measures.map((m) => `${m.name.value}: ${m.formula.text.trim()}`).join('\n'),
    time: d.time ? `${d.time.value.table}.${d.time.value.column}` : '',
    grain: d.grain,
    dimensions: d.dimensions.map((x) => x.value).join(', '),
    target: d.target ? `good ${d.target.good}, warn ${d.target.warn}` : '',
    benchmark: d.benchmark ? [d.benchmark.value, d.benchmark.text].filter((x) => x !== null).join(' — ') : '',
    pitfalls: d.pitfalls ?? '',
    related: d.related.map((r) => r.value).join(', '),
    fixtures: String(d.tests.length),
  };
}

export function diffCatalogs(base: CheckedProject, head: CheckedProject, sqlOf: (side: 'base' | 'head', id: string) => string): CatalogDiff {
  const baseIds = new Map(base.kpis.map((k) => [k.def.id.value, k]));
  const headIds = new Map(head.kpis.map((k) => [k.def.id.value, k]));
  const added = head.kpis.filter((k) => !baseIds.has(k.def.id.value));
  const removed = base.kpis.filter((k) => !headIds.has(k.def.id.value));
  const changed: KpiChange[] = [];
  for (const h of head.kpis) {
    const b = baseIds.get(h.def.id.value);
    if (!b) continue;
    const [fb, fh] = [fieldsOf(b), fieldsOf(h)];
    const fields = Object.keys(fh).filter((f) => fb[f] !== fh[f]).map((field) => ({ field, before: fb[field], after: fh[field] }));
    const sqlDiff = unifiedDiff(sqlOf('base', h.def.id.value), sqlOf('head', h.def.id.value));
    if (fields.length > 0 || sqlDiff) changed.push({ id: h.def.id.value, name: h.def.name, fields, sqlDiff, values: null });
  }
  return { added, removed, changed };
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, '<br>') || '–';
}

function num(v: number | null): string {
  return v === null ? '–' : Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

export function renderDiffMarkdown(diff: CatalogDiff, ref: string): string {
  const out: string[] = [`## KPI changes against \`${ref}\``, ''];
  if (!diff.added.length && !diff.removed.length && !diff.changed.length) return `${out.join('\n')}No KPI changes.\n`;
  out.push(`${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed.`, '');
  if (diff.added.length) {
    out.push('### Added', '', '| KPI | unit | formula |', '|---|---|---|');
    for (const k of diff.added) out.push(`| **${cell(k.def.name)}** (\`${k.def.id.value}\`) | ${k.def.unit.value} | \`${cell(k.def.formula.text.trim())}\` |`);
    out.push('');
  }
  if (diff.removed.length) {
    out.push('### Removed', '');
    for (const k of diff.removed) out.push(`- **${k.def.name}** (\`${k.def.id.value}\`)`);
    out.push('');
  }
  for (const c of diff.changed) {
    out.push(`### Changed: ${c.name} (\`${c.id}\`)`, '');
    if (c.fields.length) {
      out.push('| field | before | after |', '|---|---|---|');
      for (const f of c.fields) out.push(`| ${f.field} | ${cell(f.before)} | ${cell(f.after)} |`);
      out.push('');
    }
    if (c.values && c.values.length) {
      out.push('Values on the sample data:', '', '| period | before | after | change |', '|---|---:|---:|---:|');
      for (const v of c.values) {
        const delta = v.before !== null && v.after !== null ? num(v.after - v.before) : '–';
        out.push(`| ${v.period} | ${num(v.before)} | ${num(v.after)} | ${delta} |`);
      }
      out.push('');
    }
    if (c.sqlDiff) out.push('<details><summary>SQL diff</summary>', '', '```diff', c.sqlDiff, '```', '', '</details>', '');
  }
  return `${out.join('\n')}\n`;
}
