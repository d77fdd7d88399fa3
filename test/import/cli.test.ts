// `kpi import metricflow` as a user runs it: the built binary, its exit codes, the files it writes
// (byte-identical on a second import), and `kpi check` / `kpi run` on what it wrote.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECTS } from './helpers.js';

const BIN = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function kpi(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function fresh(): string {
  const d = mkdtempSync(join(tmpdir(), 'kpi-import-cli-'));
  temp.push(d);
  return d;
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

describe('kpi import metricflow (the command)', () => {
  it('writes source schemas and KPIs that kpi check accepts and kpi run computes, the same bytes each time', () => {
    const out = fresh();
    const r = kpi(['import', 'metricflow', join(PROJECTS, 'shop'), '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(`imported 3 semantic models as source schemas and 24 metrics as KPIs into ${out}\n`);
    const written = files(out);
    expect(Object.keys(written).filter((f) => f.startsWith('schemas'))).toEqual(['schemas/sources/customers.yaml', 'schemas/sources/orders.yaml', 'schemas/sources/regions.yaml']);
    expect(Object.keys(written).filter((f) => f.startsWith('kpis'))).toHaveLength(24);
    const second = fresh();
    expect(kpi(['import', 'metricflow', join(PROJECTS, 'shop'), '--out', second]).code).toBe(0);
    expect(files(second)).toEqual(written);

    const check = kpi(['check', '--root', out]);
    expect(check.code, check.err).toBe(0);
    expect(check.err).toBe('checked 24 KPIs over 3 tables: 0 errors\n');
    // The compiler's outputs: a SQL file, a calculator and a docs page per KPI.
    const compiled = kpi(['compile', '--root', out]);
    expect(compiled.code, compiled.err).toBe(0);
    for (const [dir, ext] of [['sql', '.sql'], ['docs', '.md']] as const) expect(readdirSync(join(out, 'generated', dir)).filter((f) => f.endsWith(ext) && f !== 'index.md')).toHaveLength(24);
    expect(readFileSync(join(out, 'generated', 'sql', 'completed_share.sql'), 'utf8')).toContain('completed_share');
    // Orders by the country their customer's region is in (hand-computed in shop.test.ts).
    const run = kpi(['run', 'orders', 'food_order_share', '--root', out, '--data', join(PROJECTS, 'shop', 'data'), '--grain', 'quarter', '--by', 'country', '--from', '2024-01-01', '--to', '2024-03-31', '--format', 'csv']);
    expect(run.code, run.err).toBe(0);
    // BE: orders 4, 5, 6, 10 (food: 5); NL: 1, 2, 3, 7, 8, 9, 11 (food: 1, 3, 7, 8, 11).
    expect(run.out).toBe('period,country,orders,food_order_share\n2024-01-01,BE,4,0.25\n2024-01-01,NL,7,0.7142857142857143\n');
  });

  it('reads a KPI file it wrote the way a person would', () => {
    const out = fresh();
    expect(kpi(['import', 'metricflow', join(PROJECTS, 'shop'), '--out', out]).code).toBe(0);
    expect(readFileSync(join(out, 'kpis', 'completed_share.yaml'), 'utf8')).toBe(`# Written by kpi import metricflow
# from metric 'completed_share' (models/metrics.yml:95); import again rather than edit.
# yaml-language-server: $schema=../schemas/kpi.schema.json
id: completed_share
name: Completed share
description: Completed share, imported from the MetricFlow ratio metric completed_share.
question: What is the value of Completed share in each period?
tier: operational
roles: [manager]
owner: metricflow-import
tags: [metricflow, metricflow-ratio]
unit: ratio
better: higher
time: orders.ordered_at
grain: day
measures:
  completed_orders: if(orders.count(where status = 'completed') = 0, null, orders.count(where status = 'completed'))
formula: completed_orders / orders
dimensions:
  - orders.order_id
  - orders.customer_id
  - orders.status
  - orders.is_food_order
  - customers.region_id
  - customers.segment
  - regions.country
`);
  });

  it('exits 1 on bad input, shows file, line and the construct, and writes nothing', () => {
    const out = join(fresh(), 'out');
    const r = kpi(['import', 'metricflow', join(PROJECTS, 'bad-untranslatable-sql'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[KPI0707]: the expr of measure 'short_codes' cannot be translated: the SQL function SUBSTRING() has no equivalent in the formula language\n  --> semantic.yml:18:15");
    expect(existsSync(out)).toBe(false);
    const json = kpi(['import', 'metricflow', join(PROJECTS, 'bad-unknown-agg'), '--out', out, '--diagnostics', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).map((d: { code: string; file: string; span: { line: number } }) => [d.code, d.file, d.span.line])).toEqual([['KPI0706', 'semantic.yml', 17]]);
  });
});
