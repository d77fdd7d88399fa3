// Related aggregates (an aggregate inside another's argument or where) checked end to end on DuckDB
// with the hand-computed fixtures of test/projects/related: exists tests, the union of two related
// tables, min/max of timestamps across a two-step path, no time clause, `on`, `at end`/`at start`,
// `during`, `over 3 months`, related sums averaged, no related rows, null references, outer period
// aggregates against outer snapshots and windows, previous(), --by, --grain none, period_start()/
// period_end() and rows on period boundaries.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject, emitSql, planQuery } from '../../src/index.js';
import { duckdbScratch } from '../../src/run/duckdb.js';
import { runFixtures } from '../../src/run/fixtures.js';
import { RELATED_FIXTURES } from '../projects/related/fixtures.js';

const PROJECT = resolve(import.meta.dirname, '..', 'projects', 'related');

describe('the related project: related aggregates, hand-computed', () => {
  it('compute the hand-computed values', async () => {
    const project = compileProject(PROJECT);
    expect(project.diagnostics).toEqual([]);
    const results = await runFixtures(project.value);
    expect(results.map((r) => [r.kpi, r.failures, r.diagnostics])).toEqual(RELATED_FIXTURES.map((id) => [id, [], []]));
    expect(results.every((r) => r.passed)).toBe(true);
  });
});

describe('--where on a KPI with a related aggregate', () => {
  it("filters the outer rows only: the jobs' own region column is not filtered", async () => {
    const project = compileProject(PROJECT).value;
    const given = project.kpis.find((k) => k.def.id.value === 'job_cost_per_site')!.def.tests[0].given;
    const plan = planQuery(project, { ids: ['job_cost_per_site'], grain: 'month', where: "region = 'north'" });
    expect(plan.diagnostics).toEqual([]);
    const db = await duckdbScratch();
    try {
      await db.loadTables(project.sources, given);
      const rows = await db.runQuery(emitSql(plan.value!, { dialect: db.dialect, mode: 'bound' }, { from: '2025-01-01', to: '2025-03-31' }));
      // The north sites are 1, 2 and 5 (closed 01-20). Jan: site 1's jobs 1 (north team, 100) and 2
      // (south team, 50: kept, --where does not reach the related rows) -> 150; site 2: null -> avg 150,
      // with zeros (150 + 0) / 2 = 75 -> 150075. Feb: site 1: job 9, 20; site 2: null -> 20, 10 -> 20010.
      // Mar: no job -> null.
      expect(rows.map((r) => [String(r.period), r.job_cost_per_site])).toEqual([
        ['2025-01-01', 150075],
        ['2025-02-01', 20010],
        ['2025-03-01', null],
      ]);
    } finally {
      await db.close();
    }
  });
});
