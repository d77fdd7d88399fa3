import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, buildTemp, openDb } from './helpers.js';

// The customer health history and the tickets' customer impact time: the rules their schema
// descriptions state, checked on a small build.
describe('customer health history and customer impact (5,000 work orders)', () => {
  let db: Db;
  let cleanup: () => void;
  beforeAll(async () => {
    const built = await buildTemp(5000, 11);
    cleanup = built.cleanup;
    db = await openDb(built.path);
  }, 60_000);
  afterAll(() => {
    db?.close();
    cleanup?.();
  });

  it('gives every customer rows without gap or overlap from created_at, closing at churn or open', async () => {
    const [row] = await db.rows(`
      WITH h AS (
        SELECT h.*, c.created_at, c.churned_at,
          lag(valid_to) OVER w AS previous_to, lead(valid_from) OVER w AS next_from,
          row_number() OVER w AS k, count(*) OVER (PARTITION BY customer_id) AS n
        FROM customer_health h JOIN customers c ON c.id = h.customer_id
        WINDOW w AS (PARTITION BY customer_id ORDER BY valid_from))
      SELECT
        (SELECT count(*) FROM customers WHERE id NOT IN (SELECT customer_id FROM customer_health)) AS without_rows,
        count(*) FILTER (WHERE k = 1 AND valid_from <> created_at) AS first_not_at_start,
        count(*) FILTER (WHERE k > 1 AND valid_from IS DISTINCT FROM previous_to) AS gaps_or_overlaps,
        count(*) FILTER (WHERE k < n AND valid_to IS DISTINCT FROM next_from) AS inner_open,
        count(*) FILTER (WHERE k = n AND valid_to IS DISTINCT FROM churned_at) AS last_not_at_churn,
        count(*) FILTER (WHERE valid_to <= valid_from) AS empty_rows,
        count(*) FILTER (WHERE k > 1 AND day(valid_from) <> 1) AS change_not_on_the_first,
        count(*) FILTER (WHERE churned_at IS NOT NULL AND k = n) AS churned,
        count(*) FILTER (WHERE k > 1) AS changes
      FROM h`);
    expect(Number(row.without_rows)).toBe(0);
    expect(Number(row.first_not_at_start)).toBe(0);
    expect(Number(row.gaps_or_overlaps)).toBe(0);
    expect(Number(row.inner_open)).toBe(0);
    expect(Number(row.last_not_at_churn)).toBe(0);
    expect(Number(row.empty_rows)).toBe(0);
    expect(Number(row.change_not_on_the_first)).toBe(0);
    // Churned customers and changes of health or price exist, so the rules above were exercised.
    expect(Number(row.churned)).toBeGreaterThan(20);
    expect(Number(row.changes)).toBeGreaterThan(1000);
  });

  it('ends with the current health and revenue of customers, and every row changes something', async () => {
    const [row] = await db.rows(`
      WITH h AS (
        SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY valid_from DESC) AS back,
          lag(health) OVER w AS previous_health, lag(monthly_recurring_revenue) OVER w AS previous_mrr
        FROM customer_health WINDOW w AS (PARTITION BY customer_id ORDER BY valid_from))
      SELECT
        count(*) FILTER (WHERE back = 1 AND (h.health <> c.health OR h.monthly_recurring_revenue <> c.monthly_recurring_revenue)) AS last_differs,
        count(*) FILTER (WHERE previous_health = h.health AND previous_mrr = h.monthly_recurring_revenue) AS no_change,
        count(*) FILTER (WHERE previous_health <> h.health) AS health_changes,
        count(*) FILTER (WHERE previous_mrr <> h.monthly_recurring_revenue) AS price_changes
      FROM h JOIN customers c ON c.id = h.customer_id`);
    expect(Number(row.last_differs)).toBe(0);
    expect(Number(row.no_change)).toBe(0);
    expect(Number(row.health_changes)).toBeGreaterThan(500);
    expect(Number(row.price_changes)).toBeGreaterThan(500);
  });

  it('is in force for exactly the active customers at every month end', async () => {
    const rows = await db.rows(`
      WITH m AS (SELECT DATE '2022-02-01' + to_months(CAST(i AS INTEGER)) AS e FROM range(48) t(i)),
      h AS (SELECT m.e, h.customer_id FROM m JOIN customer_health h ON h.valid_from < m.e AND (h.valid_to IS NULL OR h.valid_to >= m.e)),
      c AS (SELECT m.e, c.id AS customer_id FROM m JOIN customers c ON c.created_at < m.e AND (c.churned_at IS NULL OR c.churned_at >= m.e))
      SELECT coalesce(h.e, c.e) AS e FROM h FULL JOIN c ON h.e = c.e AND h.customer_id = c.customer_id
      WHERE h.customer_id IS NULL OR c.customer_id IS NULL`);
    expect(rows).toEqual([]);
  });

  it('books as recurring revenue, each month, the revenue of the row in force on the booking day', async () => {
    const [row] = await db.rows(`
      SELECT count(*) AS booked,
        count(*) FILTER (WHERE h.id IS NULL) AS outside_history,
        count(*) FILTER (WHERE r.amount <> h.monthly_recurring_revenue) AS other_amount
      FROM revenue r
      LEFT JOIN customer_health h ON h.customer_id = r.customer_id
        AND h.valid_from <= r.booked_at AND (h.valid_to IS NULL OR h.valid_to > r.booked_at)
      WHERE r.kind = 'recurring'`);
    expect(Number(row.booked)).toBeGreaterThan(3000); // 250 customers, about half active in a given month
    expect(Number(row.outside_history)).toBe(0);
    expect(Number(row.other_amount)).toBe(0);
    // One booking per customer and month it is active in (the other direction).
    const missing = await db.value(`
      WITH m AS (SELECT DATE '2022-01-01' + to_months(CAST(i AS INTEGER)) AS s FROM range(48) t(i))
      SELECT count(*) FROM m JOIN customers c ON c.created_at < m.s + INTERVAL 1 MONTH AND (c.churned_at IS NULL OR c.churned_at > m.s)
      WHERE NOT EXISTS (SELECT 1 FROM revenue r WHERE r.kind = 'recurring' AND r.customer_id = c.id
        AND r.booked_at >= m.s AND r.booked_at < m.s + INTERVAL 1 MONTH)`);
    expect(missing).toBe(0);
  });

  it("scores surveys and engagements by the health in force at the time, not today's", async () => {
    // Customers whose health changed: answers given while not healthy (healthy today) against answers
    // given while healthy (not healthy today). With today's health the order would be the other way.
    const at = (t: string) => `h.customer_id = x.customer_id AND h.valid_from <= CAST(${t} AS DATE) AND coalesce(h.valid_to, DATE '9999-12-31') > CAST(${t} AS DATE)`;
    const [nps] = await db.rows(`
      SELECT avg(x.nps_score) FILTER (WHERE h.health <> 'healthy' AND c.health = 'healthy') AS unhealthy_then,
        avg(x.nps_score) FILTER (WHERE h.health = 'healthy' AND c.health <> 'healthy') AS healthy_then,
        count(*) FILTER (WHERE h.health <> c.health) AS changed
      FROM surveys x JOIN customers c ON c.id = x.customer_id JOIN customer_health h ON ${at('x.answered_at')}
      WHERE x.nps_score IS NOT NULL`);
    expect(Number(nps.changed)).toBeGreaterThan(50);
    expect(Number(nps.healthy_then) - Number(nps.unhealthy_then)).toBeGreaterThan(0.5);
    const [sentiment] = await db.rows(`
      SELECT avg(CASE WHEN x.sentiment = 'negative' THEN 1 ELSE 0 END) FILTER (WHERE h.health <> 'healthy' AND c.health = 'healthy') AS unhealthy_then,
        avg(CASE WHEN x.sentiment = 'negative' THEN 1 ELSE 0 END) FILTER (WHERE h.health = 'healthy' AND c.health <> 'healthy') AS healthy_then
      FROM engagements x JOIN customers c ON c.id = x.customer_id JOIN customer_health h ON ${at('x.occurred_at')}`);
    // Negative sentiment: 7% of a healthy customer's engagements, 25-50% otherwise.
    expect(Number(sentiment.unhealthy_then) - Number(sentiment.healthy_then)).toBeGreaterThan(0.1);
  });

  it('puts the customer impact of reported tickets at or before opening, and of proactive ones before resolution or nowhere', async () => {
    const [row] = await db.rows(`
      SELECT
        count(*) FILTER (WHERE NOT detected_proactively AND (customer_impact_at IS NULL OR customer_impact_at > opened_at)) AS reported_bad,
        count(*) FILTER (WHERE detected_proactively AND customer_impact_at <= opened_at) AS proactive_before_detection,
        count(*) FILTER (WHERE detected_proactively AND customer_impact_at >= coalesce(resolved_at, TIMESTAMP '2026-01-01')) AS proactive_after_resolution,
        count(*) FILTER (WHERE detected_proactively AND customer_impact_at IS NULL) AS proactive_never,
        count(*) FILTER (WHERE detected_proactively AND customer_impact_at IS NOT NULL) AS proactive_impacted
      FROM tickets`);
    expect(Number(row.reported_bad)).toBe(0);
    expect(Number(row.proactive_before_detection)).toBe(0);
    expect(Number(row.proactive_after_resolution)).toBe(0);
    // Proactive tickets: often never felt by the customer, some felt before the fix.
    expect(Number(row.proactive_never)).toBeGreaterThan(2 * Number(row.proactive_impacted));
    expect(Number(row.proactive_impacted)).toBeGreaterThan(0);
  });
});
