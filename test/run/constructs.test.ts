// Language constructs checked end to end on DuckDB with hand-computed fixtures of a small project.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/index.js';
import { runFixtures } from '../../src/run/fixtures.js';

const PROJECT = resolve(import.meta.dirname, '..', 'projects', 'constructs');

describe('the constructs project: lifespans, windows, semi-additive snapshots, offsets, discrete percentiles, empty periods, --grain none', () => {
  it('compute the hand-computed values', async () => {
    const project = compileProject(PROJECT);
    expect(project.diagnostics).toEqual([]);
    const results = await runFixtures(project.value);
    expect(results.map((r) => [r.kpi, r.failures, r.diagnostics])).toEqual(
      [
        'account_balances', 'account_balances', 'account_balances', 'balance_snapshots', 'monitored_hours', 'month_opening_sales', 'order_value_median',
        'orders_yoy', 'orders_yoy', 'revenue_all_time', 'revenue_or_zero', 'revenue_or_zero', 'revenue_rolling_3m', 'revenue_ytd', 'revenue_ytd',
        'still_open_share', 'trailing_customers',
      ].map((id) => [id, [], []]),
    );
    expect(results.every((r) => r.passed)).toBe(true);
  });
});
