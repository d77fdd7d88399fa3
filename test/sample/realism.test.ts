import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, buildTemp, openDb } from './helpers.js';

// Hand-written SQL for a few catalog KPIs over the whole history of a default-sized build:
// the sample data must look like a plausible service business.
describe('sample data realism (200,000 work orders)', () => {
  let db: Db;
  let cleanup: () => void;
  beforeAll(async () => {
    const built = await buildTemp(200_000, 42);
    cleanup = built.cleanup;
    db = await openDb(built.path);
  }, 120_000);
  afterAll(() => {
    db?.close();
    cleanup?.();
  });

  it('first time fix rate is 72-83%', async () => {
    const v = await db.value(
      `SELECT count(*) FILTER (WHERE resolved_on_first_visit) / count(*) FROM work_orders WHERE status = 'completed'`,
    );
    expect(v).toBeGreaterThan(0.72);
    expect(v).toBeLessThan(0.83);
  });

  it('mean time to repair is 4-48 hours', async () => {
    const v = await db.value(
      `SELECT avg(epoch(restored_at - failure_reported_at) / 3600) FROM work_orders WHERE type = 'repair' AND status = 'completed'`,
    );
    expect(v).toBeGreaterThan(4);
    expect(v).toBeLessThan(48);
  });

  it('tickets closed ÷ opened per quarter is near 1, with one stressed quarter', async () => {
    const rows = await db.rows(`
      SELECT o.q, c.n / o.n AS ratio
      FROM (SELECT date_trunc('quarter', opened_at) AS q, count(*) AS n FROM tickets GROUP BY 1) o
      LEFT JOIN (SELECT date_trunc('quarter', closed_at) AS q, count(*) AS n FROM tickets WHERE closed_at IS NOT NULL GROUP BY 1) c
        ON c.q = o.q
      ORDER BY o.q`);
    const ratios = rows.map((r) => Number(r.ratio));
    expect(ratios).toHaveLength(16);
    const normal = ratios.filter((r) => r >= 0.85 && r <= 1.15).length;
    expect(normal).toBeGreaterThanOrEqual(13);
    expect(Math.min(...ratios)).toBeLessThan(0.9);
  });

  it('network uptime is 99.5-99.99%', async () => {
    const v = await db.value(`
      SELECT 1 - (SELECT sum(outage_minutes) FROM incidents)
        / (SELECT sum(datediff('minute', greatest(monitored_from, DATE '2022-01-01'),
                                         least(coalesce(monitored_to, DATE '2026-01-01'), DATE '2026-01-01')))
           FROM monitored_systems)`);
    expect(v).toBeGreaterThan(0.995);
    expect(v).toBeLessThan(0.9999);
  });

  it('NPS is 20-60', async () => {
    const v = await db.value(`
      SELECT 100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6)) / count(nps_score)
      FROM surveys`);
    expect(v).toBeGreaterThan(20);
    expect(v).toBeLessThan(60);
  });

  it('SLA compliance is 80-95%', async () => {
    const v = await db.value(
      `SELECT count(*) FILTER (WHERE resolved_at <= sla_due_at) / count(*) FROM tickets WHERE resolved_at IS NOT NULL`,
    );
    expect(v).toBeGreaterThan(0.8);
    expect(v).toBeLessThan(0.95);
  });

  it('technician utilization is 60-85%', async () => {
    const v = await db.value(`SELECT sum(billable_hours) / sum(available_hours) FROM timesheets`);
    expect(v).toBeGreaterThan(0.6);
    expect(v).toBeLessThan(0.85);
  });

  it('service gross margin is 20-50%', async () => {
    // Service revenue = billed field work + recurring contract fees; direct cost = work order
    // costs + ticket handling costs + the other service costs.
    const v = await db.value(`
      SELECT (r - c) / r FROM (SELECT
        (SELECT sum(amount) FROM revenue WHERE kind IN ('service', 'recurring')) AS r,
        (SELECT sum(labour_cost + parts_cost + travel_cost) FROM work_orders)
          + (SELECT sum(service_cost) FROM tickets) + (SELECT sum(amount) FROM service_costs) AS c)`);
    expect(v).toBeGreaterThan(0.2);
    expect(v).toBeLessThan(0.5);
  });

  it('monthly customer churn is 0.5-3%', async () => {
    const v = await db.value(`
      WITH m AS (SELECT DATE '2022-01-01' + to_months(CAST(i AS INTEGER)) AS s FROM range(48) t(i))
      SELECT avg(lost / active) FROM (
        SELECT (SELECT count(*) FROM customers WHERE churned_at >= m.s AND churned_at < m.s + INTERVAL 1 MONTH) AS lost,
               (SELECT count(*) FROM customers WHERE created_at <= m.s AND (churned_at IS NULL OR churned_at > m.s)) AS active
        FROM m)`);
    expect(v).toBeGreaterThan(0.005);
    expect(v).toBeLessThan(0.03);
  });

  it('customers at risk are 5-20% of active customers at every quarter end, with their revenue share alike', async () => {
    const rows = await db.rows(`
      WITH q AS (SELECT DATE '2022-04-01' + to_months(CAST(3 * i AS INTEGER)) AS e FROM range(16) t(i))
      SELECT q.e,
        count(*) FILTER (WHERE h.health = 'at_risk') / count(*) AS share,
        count(*) FILTER (WHERE h.health = 'angry') / count(*) AS angry,
        sum(h.monthly_recurring_revenue) FILTER (WHERE h.health = 'at_risk') / sum(h.monthly_recurring_revenue) AS revenue_share
      FROM q JOIN customer_health h ON h.valid_from < q.e AND (h.valid_to IS NULL OR h.valid_to >= q.e)
      GROUP BY 1 ORDER BY 1`);
    expect(rows).toHaveLength(16);
    for (const r of rows) {
      expect(Number(r.share)).toBeGreaterThan(0.05);
      expect(Number(r.share)).toBeLessThan(0.2);
      expect(Number(r.angry)).toBeGreaterThan(0.01);
      expect(Number(r.angry)).toBeLessThan(Number(r.share));
      expect(Number(r.revenue_share)).toBeGreaterThan(0.04);
      expect(Number(r.revenue_share)).toBeLessThan(0.25);
    }
    // A history, not today's health restated: the shares move from quarter to quarter.
    expect(new Set(rows.map((r) => Number(r.share).toFixed(3))).size).toBeGreaterThan(8);
  });

  it('proactive resolution (detected and resolved before the customer was affected) is 5-15% of resolved tickets', async () => {
    const [row] = await db.rows(`
      SELECT count(*) FILTER (WHERE detected_proactively AND (customer_impact_at IS NULL OR resolved_at < customer_impact_at)) / count(*) AS prr,
        count(*) FILTER (WHERE detected_proactively) / count(*) AS detected
      FROM tickets WHERE resolved_at IS NOT NULL`);
    expect(Number(row.prr)).toBeGreaterThan(0.05);
    expect(Number(row.prr)).toBeLessThan(0.15);
    expect(Number(row.prr)).toBeLessThan(Number(row.detected));
  });

  it('shows seasonality and growth in repairs', async () => {
    const [row] = await db.rows(`
      SELECT count(*) FILTER (WHERE month(created_at) IN (1, 2)) / count(*) FILTER (WHERE month(created_at) = 8) / 2 AS winter_vs_august,
             count(*) FILTER (WHERE year(created_at) = 2025) / count(*) FILTER (WHERE year(created_at) = 2022) AS growth
      FROM work_orders WHERE type = 'repair'`);
    expect(Number(row.winter_vs_august)).toBeGreaterThan(1.3);
    expect(Number(row.growth)).toBeGreaterThan(1.2);
  });
});
