// Related aggregates (an aggregate inside another's argument or where) checked end to end on DuckDB
// with the hand-computed fixtures of test/projects/related: exists tests, the union of two related
// tables, min/max of timestamps across a two-step path, no time clause, `on`, `at end`/`at start`,
// `during`, `over 3 months`, related sums averaged, no related rows, null references, outer period
// aggregates against outer snapshots and windows, previous(), --by, --grain none, period_start()/
// period_end() and rows on period boundaries.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/index.js';
import { runFixtures } from '../../src/run/fixtures.js';

const PROJECT = resolve(import.meta.dirname, '..', 'projects', 'related');

/** Each KPI of the project, once per fixture, in the order runFixtures reports them. */
const RELATED_FIXTURES = [
  'active_customers', 'active_customers', 'alarm_sites', 'contract_sites_during', 'contract_sites_during', 'contract_sites_opened', 'contract_sites_opened',
  'covered_sites', 'covered_sites', 'covered_sites_change', 'days_to_first_visit', 'days_to_first_visit', 'first_month_visits', 'first_month_visits',
  'job_cost_per_site', 'job_cost_per_site', 'visit_profile',
];

describe('the related project: related aggregates, hand-computed', () => {
  it('compute the hand-computed values', async () => {
    const project = compileProject(PROJECT);
    expect(project.diagnostics).toEqual([]);
    const results = await runFixtures(project.value);
    expect(results.map((r) => [r.kpi, r.failures, r.diagnostics])).toEqual(RELATED_FIXTURES.map((id) => [id, [], []]));
    expect(results.every((r) => r.passed)).toBe(true);
  });
});
