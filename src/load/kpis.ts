// KPI files: kpis/<group>/<id>.yaml → KpiDef.

import { basename, dirname } from 'node:path';
import type { Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Fixture, FixtureExpectation, FormulaText, Grain, KpiDef, KpiUnit, Role, Tier } from './types.js';
import { reservedName } from './names.js';
import { validateAgainst } from './validate.js';
import { keyNode, nodeAtPath, scalarOrigin, spanOfNode, type YamlFile } from './yaml.js';

interface RawFixture {
  name: string;
  given: Record<string, Record<string, unknown>[]>;
  grain?: Grain | 'none';
  periods?: 'all' | 'data';
  from?: string;
  to?: string;
  by?: string[];
  expect: ({ period: string; value: number | null } & Record<string, unknown>)[];
}

interface RawKpi {
  id: string;
  name: string;
  short?: string;
  description: string;
  question: string;
  tier: Tier;
  roles: Role[];
  owner: string;
  tags?: string[];
  unit: KpiUnit;
  unit_label?: string;
  currency?: string;
  better: 'higher' | 'lower';
  format?: string;
  empty?: number | null;
  formula: string;
  measures?: Record<string, string>;
  time?: string;
  grain?: Grain;
  dimensions?: string[];
  target?: { good: number; warn: number };
  benchmark?: { value?: number; text?: string };
  pitfalls?: string;
  related?: string[];
  tests?: RawFixture[];
}

export function loadKpi(yaml: YamlFile): { value: KpiDef | null; diagnostics: Diagnostic[] } {
  const data = yaml.doc.toJS() as unknown;
  const diagnostics = validateAgainst('kpi', yaml, data);
  if (diagnostics.length > 0) return { value: null, diagnostics };
  const raw = data as RawKpi;
  const span = (path: (string | number)[]) => spanOfNode(yaml, nodeAtPath(yaml.doc, path).node);
  const located = <T>(value: T, path: (string | number)[]) => ({ value, span: span(path) });
  const formula = (path: string[], text: string): FormulaText => {
    const node = nodeAtPath(yaml.doc, path).node as Node;
    return { text, origin: scalarOrigin(yaml, node, text), span: spanOfNode(yaml, node) };
  };
  const time = raw.time ? raw.time.split('.') : null;
  const kpi: KpiDef = {
    id: located(raw.id, ['id']),
    name: raw.name,
    short: raw.short ?? null,
    description: raw.description.trim(),
    question: raw.question.trim(),
    tier: raw.tier,
    roles: raw.roles,
    owner: raw.owner,
    tags: raw.tags ?? [],
    unit: located(raw.unit, ['unit']),
    unitLabel: raw.unit_label ?? null,
    currency: raw.currency ?? null,
    better: raw.better,
    format: raw.format ?? null,
    empty: raw.empty ?? null,
    formula: formula(['formula'], raw.formula),
    measures: Object.entries(raw.measures ?? {}).map(([name, text]) => ({
      name: { value: name, span: spanOfNode(yaml, keyNode(yaml.doc, ['measures'], name)) },
      formula: formula(['measures', name], text),
    })),
    time: time ? located({ table: time[0], column: time[1] }, ['time']) : null,
    grain: raw.grain ?? 'quarter',
    dimensions: (raw.dimensions ?? []).map((d, i) => located(d, ['dimensions', i])),
    target: raw.target ?? null,
    benchmark: raw.benchmark ? { value: raw.benchmark.value ?? null, text: raw.benchmark.text ?? null } : null,
    pitfalls: raw.pitfalls?.trim() ?? null,
    related: (raw.related ?? []).map((r, i) => located(r, ['related', i])),
    tests: (raw.tests ?? []).map((t, i) => fixture(t, i, raw.grain ?? 'quarter', span)),
    file: yaml.file,
    group: basename(dirname(yaml.file)),
  };
  for (const name of [kpi.id, ...kpi.measures.map((m) => m.name)]) {
    const d = reservedName(name.value, name === kpi.id ? 'a KPI id' : 'a measure name', yaml.file, name.span);
    if (d) diagnostics.push(d);
  }
  const expectedName = `${raw.id}.yaml`;
  if (basename(yaml.file) !== expectedName) {
    diagnostics.push({
      severity: 'error',
      code: 'KPI0110',
      message: `the KPI id '${raw.id}' differs from the file name '${basename(yaml.file)}'`,
      file: yaml.file,
      span: kpi.id.span,
      hint: `rename the file to ${expectedName}, or change the id to match it`,
    });
  }
  return { value: kpi, diagnostics };
}

function fixture(t: RawFixture, i: number, grain: Grain, span: (path: (string | number)[]) => Fixture['span']): Fixture {
  const expect: FixtureExpectation[] = t.expect.map((e, j) => {
    const dims: FixtureExpectation['dims'] = {};
    for (const [k, v] of Object.entries(e)) {
      if (k !== 'period' && k !== 'value') dims[k] = v as FixtureExpectation['dims'][string];
    }
    return { period: e.period, value: e.value, dims, span: span(['tests', i, 'expect', j]) };
  });
  return {
    name: t.name,
    given: t.given,
    grain: t.grain ?? grain,
    periods: t.periods ?? 'all',
    by: t.by ?? [],
    from: t.from ?? null,
    to: t.to ?? null,
    expect,
    span: span(['tests', i, 'name']),
  };
}
