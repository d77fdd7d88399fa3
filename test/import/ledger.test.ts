// The `ledger` project (test/import/projects/ledger): cumulative metrics, offsets, non-additive
// measures, a discrete percentile and fill_nulls_with. Expected values computed by hand from
// data/*.csv as MetricFlow computes them (a period MetricFlow has no row for is null here).
//
// transactions (id: account, day, amount, kind):
//   1 a1 2023-12-30 +100 dep | 2 a2 01-02 +50 dep | 3 a1 01-05 -30 wd | 4 a3 01-05 +200 dep
//   5 a2 01-09 +20 dep | 6 a1 01-31 +10 dep | 7 a3 02-01 -50 wd | 8 a2 02-03 +40 dep
//   9 a1 02-20 +60 dep | 10 a3 03-15 +80 dep | 11 a2 03-20 -15 wd | 12 a1 05-10 -20 wd
//   by month: Dec 100, Jan 250, Feb 50, Mar 65, Apr nothing, May -20.
// balances (account, day, balance): a1 01-15 100, a2 01-15 50, a1 01-31 70, a3 01-20 200,
//   a2 02-10 90, a1 02-28 130, a3 02-28 150. Branches: a1, a3 north; a2 south.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRows, importProject, type Imported } from './helpers.js';

let ledger: Imported;
const JAN_1_TO_10 = { from: '2024-01-01', to: '2024-01-10' };
const JAN_TO_MAY = { from: '2024-01-01', to: '2024-05-31' };

beforeAll(() => {
  ledger = importProject('ledger');
});
afterAll(() => ledger.dispose());

const days = (values: Record<string, (number | null)[]>) =>
  Array.from({ length: 10 }, (_, i) => ({ period: `2024-01-${String(i + 1).padStart(2, '0')}`, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[i]])) }));

describe('kpi import metricflow: the ledger project on DuckDB', () => {
  it('warns once per cumulative metric whose period_agg is first (the default)', () => {
    expect(ledger.diagnostics.map((d) => [d.code, d.severity, d.file, d.span?.line])).toEqual([
      ['KPI0721', 'warning', 'models/metrics.yml', 26],
      ['KPI0721', 'warning', 'models/metrics.yml', 36],
    ]);
  });

  it('gives a sum of a column without a unit the unit score (a plain number), and a count count', () => {
    const unit = (id: string) => ledger.project.kpis.find((k) => k.def.id.value === id)!.def.unit.value;
    expect([unit('revenue'), unit('revenue_7d'), unit('txn_count'), unit('deposit_per_txn')]).toEqual(['score', 'score', 'count', 'score']);
  });

  it('cumulative metrics by day: a 7-day window, month to date, all time, and a distinct count over the window', async () => {
    // 7 days up to day d: days d-6..d. 01-05: txns 1, 2, 3, 4 = 320; 01-06 drops txn 1 (12-30); 01-09 drops txn 2.
    // Month to date: nothing on 01-01 (MetricFlow has no row); all time starts with txn 1 in December.
    // Accounts in the window: 01-05 {a1, a2, a3}, never the sum of daily counts (which would be 4).
    expectRows(await ledger.run({ ids: ['revenue_7d', 'revenue_mtd', 'revenue_all_time', 'active_accounts_7d'], grain: 'day' }, JAN_1_TO_10), days({
      revenue_7d: [100, 150, 150, 150, 320, 220, 220, 220, 190, 190],
      revenue_mtd: [null, 50, 50, 50, 220, 220, 220, 220, 240, 240],
      revenue_all_time: [100, 150, 150, 150, 320, 320, 320, 320, 340, 340],
      active_accounts_7d: [1, 2, 2, 2, 3, 3, 3, 3, 3, 3],
    }));
  });

  it('cumulative metrics with period_agg last by month and quarter: the value on the period\'s last day', async () => {
    // Month to date on the last day is the month; all time: 100 + 250, + 50, + 65, April adds nothing, + -20.
    expectRows(await ledger.run({ ids: ['revenue_mtd', 'balance_running'], grain: 'month' }, JAN_TO_MAY), [
      { period: '2024-01-01', revenue_mtd: 250, balance_running: 350 },
      { period: '2024-02-01', revenue_mtd: 50, balance_running: 400 },
      { period: '2024-03-01', revenue_mtd: 65, balance_running: 465 },
      { period: '2024-04-01', revenue_mtd: null, balance_running: 465 },
      { period: '2024-05-01', revenue_mtd: -20, balance_running: 445 },
    ]);
    // Deposits month to date, on the month's last day: 50+200+20+10, 40+60, 80.
    expectRows(await ledger.run({ ids: ['deposits_mtd'], grain: 'month' }, { from: '2024-01-01', to: '2024-03-31' }), [
      { period: '2024-01-01', deposits_mtd: 280 },
      { period: '2024-02-01', deposits_mtd: 100 },
      { period: '2024-03-01', deposits_mtd: 80 },
    ]);
    // The 7 days up to 01-31 hold txn 6 only.
    expectRows(await ledger.run({ ids: ['revenue_7d'], grain: 'month' }, { from: '2024-01-01', to: '2024-01-31' }), [{ period: '2024-01-01', revenue_7d: 10 }]);
    expectRows(await ledger.run({ ids: ['revenue_mtd', 'balance_running'], grain: 'quarter' }, { from: '2024-01-01', to: '2024-03-31' }), [
      { period: '2024-01-01', revenue_mtd: 65, balance_running: 465 },
    ]);
  });

  it('offset_window: the month before, read before the range; offset_to_grain: the first day of the month', async () => {
    // Jan 250 - Dec 100; Feb 50 - 250; Mar 65 - 50; April has no revenue and May no previous month: null.
    expectRows(await ledger.run({ ids: ['revenue_mom'], grain: 'month' }, JAN_TO_MAY), [
      { period: '2024-01-01', revenue_mom: 150 },
      { period: '2024-02-01', revenue_mom: -200 },
      { period: '2024-03-01', revenue_mom: 15 },
      { period: '2024-04-01', revenue_mom: null },
      { period: '2024-05-01', revenue_mom: null },
    ]);
    // 02-01: -50 - (-50); 02-02 has no revenue; 02-03: 40 - (-50).
    expectRows(await ledger.run({ ids: ['revenue_vs_month_start'], grain: 'day' }, { from: '2024-02-01', to: '2024-02-03' }), [
      { period: '2024-02-01', revenue_vs_month_start: 0 },
      { period: '2024-02-02', revenue_vs_month_start: null },
      { period: '2024-02-03', revenue_vs_month_start: 90 },
    ]);
  });

  it('non-additive measures: the last snapshot, each account\'s last, the first', async () => {
    // Jan: last day 01-31 holds a1 70; per account a1 70 + a2 50 + a3 200; first day 01-15: 100 + 50.
    // Feb: last day 02-28: 130 + 150; per account 130 + 90 + 150; first day 02-10: 90. March: no snapshot.
    expectRows(await ledger.run({ ids: ['total_balance', 'account_balance', 'opening_balance'], grain: 'month' }, { from: '2024-01-01', to: '2024-03-31' }), [
      { period: '2024-01-01', total_balance: 70, account_balance: 320, opening_balance: 150 },
      { period: '2024-02-01', total_balance: 280, account_balance: 370, opening_balance: 90 },
      { period: '2024-03-01', total_balance: null, account_balance: null, opening_balance: null },
    ]);
    // Over the whole range: the last day is 02-28; each account's own last snapshot: 130, 90, 150.
    expectRows(await ledger.run({ ids: ['total_balance', 'account_balance'], grain: 'none' }, { from: '2024-01-01', to: '2024-03-31' }), [
      { period: '2024-01-01', total_balance: 280, account_balance: 370 },
    ]);
    // By branch, each account's last: Jan north a1 70 + a3 200, south a2 50; Feb north 130 + 150, south 90.
    expectRows(await ledger.run({ ids: ['account_balance'], grain: 'month', by: ['branch'] }, { from: '2024-01-01', to: '2024-02-29' }), [
      { period: '2024-01-01', branch: 'north', account_balance: 270 },
      { period: '2024-01-01', branch: 'south', account_balance: 50 },
      { period: '2024-02-01', branch: 'north', account_balance: 280 },
      { period: '2024-02-01', branch: 'south', account_balance: 90 },
    ]);
    // Without window_groupings the last day is the period's, across branches (MetricFlow's semi-additive
    // join groups by the queried time only): 01-31 and 02-28 hold north accounts only, so south has no row.
    expectRows(await ledger.run({ ids: ['total_balance'], grain: 'month', by: ['branch'] }, { from: '2024-01-01', to: '2024-02-29' }), [
      { period: '2024-01-01', branch: 'north', total_balance: 70 },
      { period: '2024-02-01', branch: 'north', total_balance: 280 },
    ]);
  });

  it('a discrete percentile: the first amount whose cumulative share reaches 0.35', async () => {
    // Jan sorted -30 10 20 50 200: shares .2 .4 → 10; Feb -50 40 60: 1/3 < .35, 2/3 → 40; Mar -15 80: .5 → -15.
    expectRows(await ledger.run({ ids: ['txn_amount_p35'], grain: 'month' }, { from: '2024-01-01', to: '2024-03-31' }), [
      { period: '2024-01-01', txn_amount_p35: 10 },
      { period: '2024-02-01', txn_amount_p35: 40 },
      { period: '2024-03-01', txn_amount_p35: -15 },
    ]);
  });

  it('fill_nulls_with: with join_to_timespine every month shows the fill; without, only months with rows; as an input, null where it has no rows', async () => {
    // Deposits: Jan 50+200+20+10, Feb 40+60, Mar 80, Apr no rows at all, May a withdrawal only: 0 when
    // queried (MetricFlow fills every row of the query; it has an April row only if another metric of the
    // query has one, and then shows 0 too), null as an input. Per transaction: 280/5, 100/3, 80/2; April
    // and May null.
    expectRows(await ledger.run({ ids: ['revenue_filled', 'deposits_filled', 'txn_count', 'deposit_per_txn'], grain: 'month' }, JAN_TO_MAY), [
      { period: '2024-01-01', revenue_filled: 250, deposits_filled: 280, txn_count: 5, deposit_per_txn: 56 },
      { period: '2024-02-01', revenue_filled: 50, deposits_filled: 100, txn_count: 3, deposit_per_txn: 100 / 3 },
      { period: '2024-03-01', revenue_filled: 65, deposits_filled: 80, txn_count: 2, deposit_per_txn: 40 },
      { period: '2024-04-01', revenue_filled: 0, deposits_filled: 0, txn_count: null, deposit_per_txn: null },
      { period: '2024-05-01', revenue_filled: -20, deposits_filled: 0, txn_count: 1, deposit_per_txn: null },
    ]);
  });
});
