// Bad input to `kpi import metricflow`: each case is a small project (a folder under
// test/import/projects/, or files written here) and the diagnostics it gives: code, severity, file,
// line. An import with an error writes nothing.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importMetricflow, planImport } from '../../src/import/metricflow/import.js';
import { PROJECTS } from './helpers.js';

const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-import-bad-'));
  temp.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

type Found = [code: string, severity: string, file: string | undefined, line: number | undefined];

function diagnosticsOf(dir: string, skipUnsupported = false): Found[] {
  return planImport(dir, { skipUnsupported }).diagnostics.map((d) => [d.code, d.severity, d.file, d.span?.line]);
}

/** A valid semantic model of orders; cases append measures or metrics to it. */
const ORDERS = `semantic_models:
  - name: orders
    model: ref('orders')
    defaults:
      agg_time_dimension: ordered_at
    entities:
      - name: order
        type: primary
        expr: order_id
    dimensions:
      - name: ordered_at
        type: time
        type_params:
          time_granularity: day
      - name: status
        type: categorical
    measures:
      - name: order_count
        agg: sum
        expr: '1'
`;
// ORDERS has 20 lines; what follows starts on line 21.

describe('kpi import metricflow: bad input', () => {
  it('the five projects of test/import/projects/bad-*', () => {
    expect(diagnosticsOf(join(PROJECTS, 'bad-unknown-agg'))).toEqual([['KPI0706', 'error', 'semantic.yml', 17]]);
    expect(diagnosticsOf(join(PROJECTS, 'bad-unresolvable-dimension'))).toEqual([['KPI0709', 'error', 'semantic.yml', 29]]);
    expect(diagnosticsOf(join(PROJECTS, 'bad-untranslatable-sql'))).toEqual([['KPI0707', 'error', 'semantic.yml', 18]]);
    expect(diagnosticsOf(join(PROJECTS, 'bad-metric-cycle'))).toEqual([
      ['KPI0711', 'error', 'semantic.yml', 30],
      ['KPI0720', 'error', 'semantic.yml', 36],
    ]);
    expect(diagnosticsOf(join(PROJECTS, 'bad-conversion'))).toEqual([
      ['KPI0712', 'error', 'semantic.yml', 31],
      ['KPI0720', 'error', 'semantic.yml', 43],
    ]);
  });

  it('names the construct and its column in the messages', () => {
    const [sql] = planImport(join(PROJECTS, 'bad-untranslatable-sql')).diagnostics;
    expect(sql.message).toBe("the expr of measure 'short_codes' cannot be translated: the SQL function SUBSTRING() has no equivalent in the formula language");
    expect(sql.span).toEqual({ line: 18, column: 15, length: 9 });
    const [dim] = planImport(join(PROJECTS, 'bad-unresolvable-dimension')).diagnostics;
    expect(dim.message).toBe("this filter cannot be translated: there is no dimension 'order__colour'");
    expect(dim.span).toEqual({ line: 29, column: 14, length: 32 });
    const [cycle] = planImport(join(PROJECTS, 'bad-metric-cycle')).diagnostics;
    expect(cycle.message).toBe('metrics build on each other in a cycle: baseline → growth → baseline');
  });

  it('--skip-unsupported leaves a conversion metric and what builds on it out, with warnings, and imports the rest', () => {
    expect(diagnosticsOf(join(PROJECTS, 'bad-conversion'), true)).toEqual([
      ['KPI0712', 'warning', 'semantic.yml', 31],
      ['KPI0720', 'warning', 'semantic.yml', 43],
    ]);
    const out = folder({});
    const result = importMetricflow(join(PROJECTS, 'bad-conversion'), { out, skipUnsupported: true });
    expect(result.value?.kpis.map((k) => k.id)).toEqual(['visits']);
    expect(readdirSync(join(out, 'kpis'))).toEqual(['visits.yaml']);
  });

  const cases: { name: string; files: Record<string, string>; expected: Found[] }[] = [
    { name: 'KPI0701 a YAML file that cannot be read', files: { 'models/a.yml': 'semantic_models:\n\t- name: x\n' }, expected: [['KPI0701', 'error', 'models/a.yml', 2]] },
    { name: 'KPI0702 a metric without a type', files: { 'm.yml': `${ORDERS}metrics:\n  - name: orders\n    type_params:\n      measure: order_count\n` }, expected: [['KPI0702', 'error', 'm.yml', 22]] },
    { name: 'KPI0703 no semantic models', files: { 'dbt_project.yml': 'name: empty\n' }, expected: [['KPI0703', 'error', undefined, undefined]] },
    { name: 'KPI0704 a measure declared twice', files: { 'm.yml': `${ORDERS}      - name: order_count\n        agg: sum\n        expr: amount\n` }, expected: [['KPI0704', 'error', 'm.yml', 21]] },
    { name: 'KPI0705 a model that is not ref()', files: { 'm.yml': ORDERS.replace("model: ref('orders')", 'model: orders') }, expected: [['KPI0705', 'error', 'm.yml', 3]] },
    { name: 'KPI0708 a filter on a metric', files: { 'm.yml': `${ORDERS}metrics:\n  - name: orders\n    type: simple\n    type_params:\n      measure: order_count\n    filter: "{{ Metric('orders', group_by=['order']) }} > 2"\n` }, expected: [['KPI0708', 'error', 'm.yml', 26]] },
    { name: 'KPI0710 a metric naming no measure that exists', files: { 'm.yml': `${ORDERS}metrics:\n  - name: orders\n    type: simple\n    type_params:\n      measure: order_cnt\n` }, expected: [['KPI0710', 'error', 'm.yml', 25]] },
    { name: 'KPI0713 an unknown metric type', files: { 'm.yml': `${ORDERS}metrics:\n  - name: orders\n    type: simpel\n    type_params:\n      measure: order_count\n` }, expected: [['KPI0713', 'error', 'm.yml', 23]] },
    { name: 'KPI0714 a window that is not an interval', files: { 'm.yml': `${ORDERS}metrics:\n  - name: orders_2w\n    type: cumulative\n    type_params:\n      measure: order_count\n      cumulative_type_params:\n        window: 2 fortnights\n        period_agg: last\n` }, expected: [['KPI0714', 'error', 'm.yml', 27]] },
    {
      name: 'KPI0715 a non-additive window grouped by two entities',
      files: { 'm.yml': `${ORDERS}      - name: balance\n        agg: sum\n        non_additive_dimension:\n          name: ordered_at\n          window_choice: max\n          window_groupings: [order, customer]\n` },
      expected: [['KPI0715', 'error', 'm.yml', 26]],
    },
    { name: 'KPI0716 a percentile without agg_params', files: { 'm.yml': `${ORDERS}      - name: p90\n        agg: percentile\n        expr: amount\n` }, expected: [['KPI0716', 'error', 'm.yml', 22]] },
    {
      name: 'KPI0717 a dimension of a model no entity leads to',
      files: {
        'm.yml': `${ORDERS}  - name: stores\n    model: ref('stores')\n    entities:\n      - name: store\n        type: primary\n        expr: store_id\n    dimensions:\n      - name: city\n        type: categorical\nmetrics:\n  - name: amsterdam_orders\n    type: simple\n    type_params:\n      measure: order_count\n    filter: "{{ Dimension('store__city') }} = 'Amsterdam'"\n`,
      },
      expected: [['KPI0717', 'error', 'm.yml', 35]],
    },
    {
      name: 'KPI0718 an imported KPI that does not pass kpi check (a count plus a plain number)',
      files: { 'm.yml': `${ORDERS}      - name: amount_total\n        agg: sum\n        expr: amount\nmetrics:\n  - name: orders\n    type: simple\n    type_params:\n      measure: order_count\n  - name: amount_total\n    type: simple\n    type_params:\n      measure: amount_total\n  - name: odd_sum\n    type: derived\n    type_params:\n      expr: orders + amount_total\n      metrics: [orders, amount_total]\n` },
      expected: [['KPI0718', 'error', 'm.yml', 33]],
    },
    {
      name: 'KPI0721 a cumulative metric with the default period_agg, KPI0722 an approximate percentile',
      files: { 'm.yml': `${ORDERS}      - name: p90\n        agg: percentile\n        expr: amount\n        agg_params:\n          percentile: 0.9\n          use_approximate_percentile: true\nmetrics:\n  - name: all_orders\n    type: cumulative\n    type_params:\n      measure: order_count\n` },
      expected: [
        ['KPI0722', 'warning', 'm.yml', 22],
        ['KPI0721', 'warning', 'm.yml', 29],
      ],
    },
    { name: 'KPI0723 a semantic model inside a dbt model (the latest spec)', files: { 'm.yml': `${ORDERS}models:\n  - name: orders\n    semantic_model:\n      enabled: true\n` }, expected: [['KPI0723', 'error', 'm.yml', 23]] },
    { name: 'KPI0724 an entity whose expr is not a column', files: { 'm.yml': ORDERS.replace('expr: order_id', "expr: order_id + 1") }, expected: [['KPI0724', 'error', 'm.yml', 9]] },
    {
      name: 'KPI0725 a slowly changing dimension',
      files: { 'm.yml': `${ORDERS}  - name: prices\n    model: ref('prices')\n    entities:\n      - name: product\n        type: natural\n        expr: product_id\n    dimensions:\n      - name: valid_from\n        type: time\n        type_params:\n          time_granularity: day\n          validity_params:\n            is_start: true\n` },
      expected: [['KPI0725', 'error', 'm.yml', 32]],
    },
    { name: 'KPI0726 a column named like a keyword of the formula language', files: { 'm.yml': ORDERS.replace('name: status', 'name: end') }, expected: [['KPI0726', 'error', 'm.yml', 15]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dir = folder(c.files);
      const out = folder({});
      const result = importMetricflow(dir, { out });
      expect(result.diagnostics.map((d) => [d.code, d.severity, d.file, d.span?.line])).toEqual(c.expected);
      if (c.expected.some(([, severity]) => severity === 'error')) expect(readdirSync(out)).toEqual([]);
    });
  }

  it('KPI0719 a file in the output folder the importer did not write is left alone, and nothing is written', () => {
    const dir = folder({ 'm.yml': `${ORDERS}metrics:\n  - name: orders\n    type: simple\n    type_params:\n      measure: order_count\n` });
    const out = folder({ 'kpis/orders.yaml': 'id: orders\n' });
    const result = importMetricflow(dir, { out });
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.file, d.span?.line])).toEqual([['KPI0719', 'error', 'm.yml', 22]]);
    expect(existsSync(join(out, 'schemas'))).toBe(false);
    // A second import over the importer's own files replaces them.
    const again = folder({});
    expect(importMetricflow(dir, { out: again }).diagnostics).toEqual([]);
    expect(importMetricflow(dir, { out: again }).diagnostics).toEqual([]);
  });
});

describe('kpi import metricflow on damaged projects', () => {
  it('never throws: a line of the shop project deleted or changed gives diagnostics or an import', async () => {
    const fc = await import('fast-check');
    const { readFileSync } = await import('node:fs');
    const semantic = readFileSync(join(PROJECTS, 'shop', 'models', 'shop.yml'), 'utf8').split('\n');
    const metrics = readFileSync(join(PROJECTS, 'shop', 'models', 'metrics.yml'), 'utf8').split('\n');
    const replacement = fc.constantFrom('', '    type: derived', '      - name: x', '        expr: amount +', "    filter: \"{{ Dimension('order__nope') }}\"", '        agg: median', '      measure: orders', '  - name: orders', '    type_params: 3');
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), replacement, (inMetrics, at, line) => {
        const lines = [...(inMetrics ? metrics : semantic)];
        lines[at % lines.length] = line;
        const dir = folder({ 'models/shop.yml': inMetrics ? semantic.join('\n') : lines.join('\n'), 'models/metrics.yml': inMetrics ? lines.join('\n') : metrics.join('\n') });
        const result = planImport(dir);
        for (const d of result.diagnostics) expect(d.code).toMatch(/^KPI07\d\d$/);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 60), seed: 7 },
    );
  });
});
