// The differential test on a small project of its own that uses the constructs the catalog does
// not: median and percentile, min/max/avg, count(x), count_distinct, round, abs, least/greatest,
// case, if, coalesce, not/in with nulls, previous() two periods back, `on`, snapshots at start and
// end, overlap_days(), period_start(), dates against timestamps, and a nullable reference.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/index.js';
import { Differential, importGenerated, writeGenerated } from './ts-setup.js';

const RUNS = Number(process.env.KPI_FUZZ_RUNS ?? 25);

const SOURCES: Record<string, string> = {
  jobs: `table: jobs
primary_key: id
time: done_at
lifespan: { from: opened_on, to: closed_on }
columns:
  id: { type: integer }
  site_id: { type: integer, nullable: true, references: sites }
  opened_on: { type: date }
  closed_on: { type: date, nullable: true }
  started_at: { type: timestamp, nullable: true }
  done_at: { type: timestamp, nullable: true }
  hours: { type: decimal, nullable: true, unit: hours }
  visits: { type: integer, nullable: true, unit: count }
  kind: { type: string, nullable: true, values: [a, b, c] }
  urgent: { type: boolean, nullable: true }
`,
  sites: `table: sites
primary_key: id
columns:
  id: { type: integer }
  area: { type: string, nullable: true, values: [x, y] }
  open: { type: boolean }
`,
};

const KPIS: Record<string, [unit: string, formula: string, extra?: string]> = {
  job_median: ['hours', 'jobs.median(hours)'],
  job_p90: ['hours', "jobs.percentile(hours_between(started_at, done_at), 0.9 where urgent or kind not in ['a', 'b'])"],
  job_spread: ['count', 'jobs.max(visits) - jobs.min(visits) + jobs.avg(visits)'],
  job_rounded: ['hours', 'round(jobs.sum(abs(-hours) where not urgent), 1) + coalesce(jobs.min(hours), -1)'],
  job_case: ['hours', "jobs.sum(case when kind = 'a' then hours when kind = 'b' then 2 * hours else 0 end)"],
  job_clamped: ['hours', 'jobs.avg(least(hours, 8) + greatest(hours, 1))'],
  job_if: ['count', 'jobs.count(where if(urgent, visits > 1, visits is null)) + jobs.count(visits)'],
  job_sites: ['count', 'jobs.count_distinct(site_id where sites.open)'],
  job_snapshots: ['count', 'jobs.count(at start) + 10 * jobs.count(at end)'],
  job_overlap: ['days', "jobs.sum(overlap_days() where kind != 'c' during)"],
  job_late_start: ['count', 'jobs.count(where started_at < period_start())'],
  job_growth: ['count', 'jobs.count() - previous(previous(jobs.count()))'],
  job_started_ratio: ['ratio', 'jobs.count(on started_at) / jobs.count()'],
  job_wait: ['minutes', 'jobs.avg(minutes_between(opened_on, started_at) where opened_on <= started_at)'],
  job_logic: ['count', "jobs.count(where urgent and kind = 'a' or not urgent)"],
  job_rolling: ['count', 'jobs.count(over 3 months) + jobs.count(where urgent over 10 days)'],
  job_distinct_window: ['count', 'jobs.count_distinct(site_id over 10 days)'],
  job_to_date: ['hours', 'jobs.sum(hours over year to date) + jobs.sum(hours over month to date)'],
  job_all_time: ['count', "jobs.count(where kind = 'a' over all time)"],
  job_last: ['count', 'jobs.sum(visits at last per site_id) + jobs.count(at last)'],
  job_first: ['hours', 'jobs.max(hours at first) + jobs.sum(hours on started_at at first per kind)'],
  job_offsets: ['count', 'jobs.count() - previous(jobs.count(), 1 year) + start_of(jobs.count(), quarter)'],
  job_offsets_days: ['count', 'previous(jobs.count(), 10 days) + previous(start_of(jobs.count(), month), 2)'],
  job_disc: ['hours', 'jobs.median_disc(hours) + jobs.percentile_disc(hours, 0.3)'],
  job_empty: ['count', 'jobs.count(where urgent) + jobs.sum(visits)', 'empty: 0'],
};

function writeProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'kpi-constructs-'));
  mkdirSync(join(root, 'schemas', 'sources'), { recursive: true });
  mkdirSync(join(root, 'kpis', 'test'), { recursive: true });
  for (const [table, text] of Object.entries(SOURCES)) writeFileSync(join(root, 'schemas', 'sources', `${table}.yaml`), text);
  for (const [id, [unit, formula, extra]] of Object.entries(KPIS)) {
    writeFileSync(
      join(root, 'kpis', 'test', `${id}.yaml`),
      [
        `id: ${id}`,
        `name: ${id}`,
        'description: A construct under test.',
        'question: Does the calculator agree with the SQL?',
        'tier: tactical',
        'roles: [manager]',
        'owner: test',
        `unit: ${unit}`,
        'better: higher',
        `formula: "${formula}"`,
        'grain: month',
        'dimensions: [kind, area]',
        ...(extra ? [extra] : []),
        '',
      ].join('\n'),
    );
  }
  return root;
}

const compiled = compileProject(writeProject());
const differential = new Differential(compiled.value);

beforeAll(async () => {
  await differential.open(await importGenerated(writeGenerated(compiled.value)));
});

afterAll(() => {
  differential.close();
  console.log(`constructs: ${differential.report(RUNS)}`);
});

describe('constructs: calculators agree with the SQL', () => {
  it('the project checks', () => {
    expect(compiled.diagnostics.map((d) => `${d.file}: ${d.message}`)).toEqual([]);
    expect(compiled.value.kpis.map((k) => k.def.id.value).sort()).toEqual(Object.keys(KPIS).sort());
  });
  for (const id of Object.keys(KPIS).sort()) it(id, () => differential.check(id, RUNS));
});
