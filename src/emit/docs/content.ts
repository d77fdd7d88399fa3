// What the Markdown catalog and the HTML site both say about a KPI, as plain text: tiers and roles,
// units, targets and benchmarks in words, formulas on one line, fixtures as cells. Each renderer
// escapes this text for its own format (markdown.ts for the docs, Handlebars for the site).

import type { CheckedKpi } from '../../check/check.js';
import type { Fixture } from '../../check/check.js';

export const TIERS = [
  { id: 'strategic', title: 'Strategic', who: 'Owned by executives: profitability, growth and retention.' },
  { id: 'tactical', title: 'Tactical', who: 'Owned by service managers: reliability and customer experience.' },
  { id: 'operational', title: 'Operational', who: 'Owned by dispatchers and technicians: daily execution.' },
  { id: 'emerging', title: 'Emerging', who: 'AI and predictive readiness: tracked in parallel, not as operational goals.' },
] as const;

export const ROLES = [
  { id: 'exec', title: 'Executive' },
  { id: 'manager', title: 'Service manager' },
  { id: 'dispatcher', title: 'Dispatcher' },
  { id: 'technician', title: 'Technician' },
] as const;

export function idOf(k: CheckedKpi): string {
  return k.def.id.value;
}

/** "First Time Fix Rate (FTFR)". */
export function fullName(k: CheckedKpi): string {
  return k.def.short ? `${k.def.name} (${k.def.short})` : k.def.name;
}

/** The KPI's first tag names its topic (`field-service`, `revenue`); the catalog reads better grouped by it. */
export function topicOf(k: CheckedKpi): string {
  return k.def.tags[0] ?? '';
}

export function tierRank(k: CheckedKpi): number {
  return TIERS.findIndex((t) => t.id === k.def.tier);
}

// ---- words for values ----

export function unitText(k: CheckedKpi): string {
  const d = k.def;
  if (d.unitLabel) return `${d.unit.value} (${d.unitLabel})`;
  if (d.unit.value === 'currency' && d.currency) return `currency (${d.currency})`;
  return d.unit.value;
}

export function targetText(k: CheckedKpi, t: { good: number; warn: number }): string {
  const v = (n: number) => formatNumber(k, n);
  return k.def.better === 'higher'
    ? `good at ${v(t.good)} or more; warning from ${v(t.warn)} up to ${v(t.good)}; bad below ${v(t.warn)}`
    : `good at ${v(t.good)} or less; warning above ${v(t.good)} up to ${v(t.warn)}; bad above ${v(t.warn)}`;
}

export function benchmarkText(k: CheckedKpi, b: { value: number | null; text: string | null }): string {
  return [b.value !== null ? formatNumber(k, b.value) : null, b.text].filter((x): x is string => !!x).join(' — ');
}

/** "by work_orders.completed_at, quarter by default". */
export function periodsText(k: CheckedKpi): string {
  const d = k.def;
  return `${d.time ? `by ${d.time.value.table}.${d.time.value.column}, ` : ''}${d.grain} by default`;
}

/** A value in the KPI's unit, exact (targets are read as written), grouped by thousands. */
export function formatNumber(k: CheckedKpi, n: number): string {
  const d = k.def;
  const exact = (x: number) => {
    const s = String(Number(x.toPrecision(12)));
    if (/e/i.test(s)) return s;
    const [int, frac] = s.split('.');
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return frac ? `${grouped}.${frac}` : grouped;
  };
  switch (d.unit.value) {
    case 'percent':
      return `${exact(n * 100)}%`;
    case 'currency':
      return d.currency ? `${exact(n)} ${d.currency}` : exact(n);
    case 'hours':
    case 'minutes':
    case 'days':
      return `${exact(n)} ${d.unitLabel ?? d.unit.value}`;
    case 'ratio':
    case 'count':
    case 'score':
      return d.unitLabel ? `${exact(n)} ${d.unitLabel}` : exact(n);
    default: {
      const never: never = d.unit.value;
      return never;
    }
  }
}

// ---- fixtures as worked examples ----

/** "grain quarter; from 2025-01-01 to 2025-06-30; by region". */
export function fixtureSettings(t: Fixture): string {
  const settings = [`grain ${t.grain}`, ...(t.from || t.to ? [`from ${t.from ?? 'the first period of the data'} to ${t.to ?? 'the last'}`] : []), ...(t.by.length ? [`by ${t.by.join(', ')}`] : [])];
  return settings.join('; ');
}

/** The columns of a fixture's rows, in the order they first appear. */
export function fixtureColumns(rows: Record<string, unknown>[]): string[] {
  return unique(rows.flatMap((r) => Object.keys(r)));
}

/** The dimensions a fixture's expectations name, in the order they first appear. */
export function fixtureDimensions(t: Fixture): string[] {
  return unique([...t.by, ...t.expect.flatMap((e) => Object.keys(e.dims))]);
}

/** A fixture value as written in a table cell; `null` is the word, a missing field is empty. */
export function fixtureText(v: unknown): { text: string; generated: boolean } {
  if (v === null) return { text: 'null', generated: true };
  if (v === undefined) return { text: '', generated: true };
  if (v instanceof Date) return { text: v.toISOString(), generated: false };
  if (typeof v === 'object') return { text: JSON.stringify(v), generated: false };
  return { text: String(v), generated: false };
}

// ---- small text helpers ----

/** A formula on one line, for a table cell: comments (`--` to the end of the line) dropped, spaces collapsed. */
export function formulaLine(formula: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < formula.length; i++) {
    const c = formula[i];
    if (c === "'") quoted = !quoted;
    if (!quoted && c === '-' && formula[i + 1] === '-') {
      while (i < formula.length && formula[i] !== '\n' && formula[i] !== '\r') i++;
      out += ' ';
      continue;
    }
    out += c;
  }
  return oneLine(out);
}

export function firstSentence(s: string): string {
  const flat = oneLine(s);
  const m = /^(.+?[.!?])\s+(?=[A-Z])/.exec(flat);
  return m ? m[1] : flat;
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Code-point order, the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
