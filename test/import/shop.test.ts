// The `shop` project (test/import/projects/shop): orders by customers, customers in regions.
// Every expected value below is computed by hand from data/*.csv, as MetricFlow would answer the
// same query (a period MetricFlow leaves out, having no row for it, is null here).
//
// orders (id: customer, ordered_at, status, food, amount, discount):
//   Jan: 1 (c1, 01-03, completed, food, 20), 2 (c2, 01-07 12:30, completed, 80, -5),
//        3 (c1, 01-15, cancelled, food, 15), 4 (c3, 01-28, completed, 60, -10)
//   Feb: 5 (c3, completed, food, 30), 6 (c4, completed, 120, -20), 7 (c2, returned, food, 45)
//   Mar: 8 (c1, completed, food, 25, -2.5), 9 (c5, completed, 50), 10 (c4, cancelled, 70),
//        11 (c5, 03-30 23:30, completed, food, 35)
// customers: c1 retail NL, c2 business NL, c3 retail BE, c4 business BE, c5 retail NL;
//   signed up 2023-12-15, 01-05, 01-20, 02-10, 03-01.
// delivered: o1 01-05, o2 01-08, o4 02-02, o5 02-03, o6 02-15, o8 03-06, o9 03-12, o11 04-01.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRows, importProject, type Imported } from './helpers.js';

const Q1 = { from: '2024-01-01', to: '2024-03-31' };
let shop: Imported;

beforeAll(() => {
  shop = importProject('shop');
});
afterAll(() => shop.dispose());

describe('kpi import metricflow: the shop project on DuckDB', () => {
  it('imports every metric, with no warning', () => {
    expect(shop.diagnostics).toEqual([]);
    expect(shop.project.kpis.map((k) => k.def.id.value)).toEqual([
      'avg_order_value', 'completed_share', 'delivered_orders', 'early_orders', 'february_orders', 'food_order_share', 'food_orders',
      'large_orders', 'largest_order', 'median_order', 'net_revenue', 'new_customers', 'nl_orders', 'order_total', 'ordering_customers',
      'orders', 'orders_per_new_customer', 'p90_order', 'retail_revenue_per_customer', 'revenue_per_customer', 'second_customer_orders', 'small_order_total', 'smallest_order', 'valid_amount',
    ]);
  });

  it("takes the KPI fields from the metric's meta, and units from the columns' meta", () => {
    const def = (id: string) => shop.project.kpis.find((k) => k.def.id.value === id)!.def;
    const total = def('order_total');
    expect([total.tier, total.roles, total.owner, total.question, total.unit.value, total.currency]).toEqual(['strategic', ['exec', 'manager'], 'finance', 'How much do customers order?', 'currency', 'EUR']);
    // A currency per customer is a currency (amount and discount are EUR); count per count a ratio.
    expect(['revenue_per_customer', 'net_revenue', 'valid_amount', 'food_order_share', 'orders'].map((id) => def(id).unit.value)).toEqual(['currency', 'currency', 'currency', 'ratio', 'count']);
  });

  it('simple metrics: sum, sum of 1, sum_boolean, count_distinct by month', async () => {
    // order_total: 20+80+15+60, 30+120+45, 25+50+70+35; food: orders 1, 3 | 5, 7 | 8, 11;
    // customers: {1,2,3} | {3,4,2} | {1,5,4}.
    expectRows(await shop.run({ ids: ['order_total', 'orders', 'food_orders', 'ordering_customers'], grain: 'month' }, Q1), [
      { period: '2024-01-01', order_total: 175, orders: 4, food_orders: 2, ordering_customers: 3 },
      { period: '2024-02-01', order_total: 195, orders: 3, food_orders: 2, ordering_customers: 3 },
      { period: '2024-03-01', order_total: 180, orders: 4, food_orders: 2, ordering_customers: 3 },
    ]);
  });

  it('average, max, min, median, continuous percentile and an expr with coalesce', async () => {
    // Jan sorted 15 20 60 80: median (20+60)/2, p90 at 0.9*3 = 2.7: 60 + 0.7*20 = 74;
    // Feb 30 45 120: p90 at 1.8: 45 + 0.8*75 = 105; Mar 25 35 50 70: median 42.5, p90 50 + 0.7*20 = 64.
    // net: amount - discount: 20+75+15+50, 30+100+45, 22.5+50+70+35.
    expectRows(await shop.run({ ids: ['avg_order_value', 'largest_order', 'smallest_order', 'median_order', 'p90_order', 'net_revenue'], grain: 'month' }, Q1), [
      { period: '2024-01-01', avg_order_value: 43.75, largest_order: 80, smallest_order: 15, median_order: 40, p90_order: 74, net_revenue: 160 },
      { period: '2024-02-01', avg_order_value: 65, largest_order: 120, smallest_order: 30, median_order: 45, p90_order: 105, net_revenue: 175 },
      { period: '2024-03-01', avg_order_value: 45, largest_order: 70, smallest_order: 25, median_order: 42.5, p90_order: 64, net_revenue: 177.5 },
    ]);
  });

  it('ratio and derived metrics, with a filtered input', async () => {
    // completed: 3 of 4 | 2 of 3 | 3 of 4; large (amount >= 50): 80+60 | 120 | 50+70.
    expectRows(await shop.run({ ids: ['food_order_share', 'completed_share', 'revenue_per_customer', 'small_order_total'], grain: 'month' }, Q1), [
      { period: '2024-01-01', food_order_share: 0.5, completed_share: 0.75, revenue_per_customer: 175 / 3, small_order_total: 35 },
      { period: '2024-02-01', food_order_share: 2 / 3, completed_share: 2 / 3, revenue_per_customer: 65, small_order_total: 75 },
      { period: '2024-03-01', food_order_share: 0.5, completed_share: 0.75, revenue_per_customer: 60, small_order_total: 60 },
    ]);
  });

  it('filters: a dimension two entities away, a computed dimension, a time dimension at day and at month grain', async () => {
    // NL customers 1, 2, 5: orders 1, 2, 3 | 7 | 8, 9, 11. Early: ordered on or before 01-07 (order 2 at 12:30 too).
    // A period with no filtered row has no row in MetricFlow: null here.
    expectRows(await shop.run({ ids: ['nl_orders', 'large_orders', 'early_orders', 'february_orders'], grain: 'month' }, Q1), [
      { period: '2024-01-01', nl_orders: 3, large_orders: 2, early_orders: 2, february_orders: null },
      { period: '2024-02-01', nl_orders: 1, large_orders: 1, early_orders: null, february_orders: 3 },
      { period: '2024-03-01', nl_orders: 3, large_orders: 2, early_orders: null, february_orders: null },
    ]);
  });

  it('a ratio of two tables, by month and by a dimension both reach; a derived metric whose filter goes into the metrics it builds on', async () => {
    // Orders 4 | 3 | 4 over sign-ups 2 | 1 | 1. Retail: orders 95 over customers {1, 3}; 30 over {3}; 110 over {1, 5}.
    expectRows(await shop.run({ ids: ['orders_per_new_customer', 'retail_revenue_per_customer'], grain: 'month' }, Q1), [
      { period: '2024-01-01', orders_per_new_customer: 2, retail_revenue_per_customer: 47.5 },
      { period: '2024-02-01', orders_per_new_customer: 3, retail_revenue_per_customer: 30 },
      { period: '2024-03-01', orders_per_new_customer: 4, retail_revenue_per_customer: 55 },
    ]);
    // By segment: Jan retail 3 orders / c3, business 1 / c2; Feb business 2 / c4, no retail sign-up (MetricFlow: no
    // new_customers row, so the ratio is null); Mar retail 3 / c5, no business sign-up.
    expectRows(await shop.run({ ids: ['orders_per_new_customer'], grain: 'month', by: ['segment'] }, Q1), [
      { period: '2024-01-01', segment: 'business', orders_per_new_customer: 1 },
      { period: '2024-01-01', segment: 'retail', orders_per_new_customer: 3 },
      { period: '2024-02-01', segment: 'business', orders_per_new_customer: 2 },
      { period: '2024-02-01', segment: 'retail', orders_per_new_customer: null },
      { period: '2024-03-01', segment: 'business', orders_per_new_customer: null },
      { period: '2024-03-01', segment: 'retail', orders_per_new_customer: 3 },
    ]);
  });

  it('a filter on an entity', async () => {
    // Customer 2 ordered order 2 (January) and order 7 (February).
    expectRows(await shop.run({ ids: ['second_customer_orders'], grain: 'month' }, Q1), [
      { period: '2024-01-01', second_customer_orders: 1 },
      { period: '2024-02-01', second_customer_orders: 1 },
      { period: '2024-03-01', second_customer_orders: null },
    ]);
  });

  it('measures on another time dimension and on another table; create_metric', async () => {
    // delivered by delivered_at (order 11's April delivery lies outside the range); sign-ups: c2, c3 | c4 | c5.
    expectRows(await shop.run({ ids: ['delivered_orders', 'new_customers', 'valid_amount'], grain: 'month' }, Q1), [
      { period: '2024-01-01', delivered_orders: 2, new_customers: 2, valid_amount: 160 },
      { period: '2024-02-01', delivered_orders: 3, new_customers: 1, valid_amount: 150 },
      { period: '2024-03-01', delivered_orders: 2, new_customers: 1, valid_amount: 110 },
    ]);
  });

  it('a dimension reached through an entity (--by segment) and through two (--by country)', async () => {
    expectRows(await shop.run({ ids: ['order_total'], grain: 'month', by: ['segment'] }, Q1), [
      { period: '2024-01-01', segment: 'business', order_total: 80 },
      { period: '2024-01-01', segment: 'retail', order_total: 95 },
      { period: '2024-02-01', segment: 'business', order_total: 165 },
      { period: '2024-02-01', segment: 'retail', order_total: 30 },
      { period: '2024-03-01', segment: 'business', order_total: 70 },
      { period: '2024-03-01', segment: 'retail', order_total: 110 },
    ]);
    expectRows(await shop.run({ ids: ['orders'], grain: 'month', by: ['regions.country'] }, Q1), [
      { period: '2024-01-01', country: 'BE', orders: 1 },
      { period: '2024-01-01', country: 'NL', orders: 3 },
      { period: '2024-02-01', country: 'BE', orders: 2 },
      { period: '2024-02-01', country: 'NL', orders: 1 },
      { period: '2024-03-01', country: 'BE', orders: 1 },
      { period: '2024-03-01', country: 'NL', orders: 3 },
    ]);
  });

  it('--where on a dimension of the table and on one reached through entities', async () => {
    expectRows(await shop.run({ ids: ['order_total'], grain: 'month', where: "status = 'completed'" }, Q1), [
      { period: '2024-01-01', order_total: 160 },
      { period: '2024-02-01', order_total: 150 },
      { period: '2024-03-01', order_total: 110 },
    ]);
    // BE customers 3, 4: orders 4 | 5, 6 | 10.
    expectRows(await shop.run({ ids: ['order_total'], grain: 'month', where: "regions.country = 'BE'" }, Q1), [
      { period: '2024-01-01', order_total: 60 },
      { period: '2024-02-01', order_total: 150 },
      { period: '2024-03-01', order_total: 70 },
    ]);
  });

  it('a quarter grain, a time range, and --grain none', async () => {
    // Q1 amounts sorted: 15 20 25 30 35 45 50 60 70 80 120: median 45, p90 at 9.0: 80; 6 food of 11; 5 customers.
    expectRows(await shop.run({ ids: ['order_total', 'orders', 'ordering_customers', 'food_order_share', 'median_order', 'p90_order', 'avg_order_value'], grain: 'quarter' }, Q1), [
      { period: '2024-01-01', order_total: 550, orders: 11, ordering_customers: 5, food_order_share: 6 / 11, median_order: 45, p90_order: 80, avg_order_value: 50 },
    ]);
    expectRows(await shop.run({ ids: ['order_total', 'completed_share'], grain: 'month' }, { from: '2024-02-01', to: '2024-02-29' }), [
      { period: '2024-02-01', order_total: 195, completed_share: 2 / 3 },
    ]);
    expectRows(await shop.run({ ids: ['order_total', 'ordering_customers', 'early_orders'], grain: 'none' }, Q1), [
      { period: '2024-01-01', order_total: 550, ordering_customers: 5, early_orders: 2 },
    ]);
  });
});
