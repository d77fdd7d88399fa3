// Money: the revenue ledger and the service costs not booked on work orders or tickets.

import type { Step } from './step.js';
import { HISTORY_END, HISTORY_MONTHS, HISTORY_START, lookup, numberedByDay } from './sql.js';

export const revenue: Step = {
  table: 'revenue',
  label: 'revenue',
  async run(sql) {
    // Recurring: each active customer's monthly recurring revenue, booked on the first of every
    // month it is active (on its start date in its first month), at the amount of its
    // customer_health row in force that day. Service: each completed work order with a charge.
    // Product: each product sale. The kind travels as a number (0 product, 1 recurring, 2
    // service) and the source id as src, so the sort for ids moves narrow rows.
    //
    // The rows of a customer's history tile its life and change only on the first of a month
    // (after its start), so each booking day falls in exactly one row: the row's first month
    // (its valid_from's) to the month before its valid_to (or the churn month, when it ends on a
    // churn day after the first).
    await sql.exec(`
INSERT INTO revenue BY NAME
WITH hr AS (
  SELECT customer_id, valid_from, monthly_recurring_revenue,
    greatest(0, datediff('month', ${HISTORY_START}, valid_from)) AS m_lo,
    CASE WHEN valid_to IS NULL THEN ${HISTORY_MONTHS}
         ELSE least(${HISTORY_MONTHS}, datediff('month', ${HISTORY_START}, valid_to - 1) + 1) END AS m_hi
  FROM customer_health
), months AS (
  SELECT customer_id, valid_from, monthly_recurring_revenue, unnest(range(m_lo, greatest(m_lo, m_hi))) AS m FROM hr
), recurring AS (
  SELECT customer_id, CAST(greatest(valid_from, ${HISTORY_START} + to_months(CAST(m AS INTEGER))) AS DATE) AS booked_at,
    monthly_recurring_revenue AS amount, 1 AS k, customer_id * 100 + m AS src
  FROM months
), service AS (
  SELECT customer_id, CAST(completed_at AS DATE) AS booked_at, revenue AS amount, 2 AS k, id AS src
  FROM wo_plan
  WHERE status = 'completed' AND revenue > 0
), product AS (
  SELECT customer_id, CAST(sold_at AS DATE) AS booked_at, amount, 0 AS k, id AS src
  FROM product_sales
), a AS (
  SELECT * FROM recurring UNION ALL SELECT * FROM service UNION ALL SELECT * FROM product
)
SELECT id, customer_id, booked_at, amount,
  list_extract(['product', 'recurring', 'service'], k + 1) AS kind,
  CASE WHEN k = 2 THEN src END AS work_order_id, CASE WHEN k = 0 THEN src END AS sale_id
FROM ${numberedByDay('a', 'booked_at', 'booked_at, k, src')} AS a`);
    await sql.exec(`DROP TABLE wo_plan`);
  },
};

export const serviceCosts: Step = {
  table: 'service_costs',
  label: 'service_costs',
  async run(sql) {
    await sql.exec(`
INSERT INTO service_costs BY NAME
WITH quarters AS (
  SELECT customer_id, kind, monitored_from, monitored_to, unnest(range(16)) AS q FROM monitored_systems
), licences AS (
  -- Monitoring licences, billed to us quarterly per customer for the systems live at quarter start.
  SELECT customer_id, CAST(${HISTORY_START} + to_months(CAST(3 * q AS INTEGER)) AS DATE) AS booked_at,
    sum(CASE kind WHEN 'network' THEN 195 ELSE 54 END) AS amount, 'licences' AS category, false AS defect_related,
    NULL::BIGINT AS ticket_id, customer_id * 100 + q AS src
  FROM quarters
  WHERE monitored_from <= ${HISTORY_START} + to_months(CAST(3 * q AS INTEGER))
    AND (monitored_to IS NULL OR monitored_to > ${HISTORY_START} + to_months(CAST(3 * q AS INTEGER)))
  GROUP BY customer_id, q
), gateways AS (
  -- Monitoring hardware when a system is connected.
  SELECT customer_id, monitored_from AS booked_at,
    CASE kind WHEN 'network' THEN 1800 ELSE 350 END * exp(0.15 * nrm(id, 'sc.gateway')) AS amount,
    'hardware' AS category, false AS defect_related, NULL::BIGINT AS ticket_id, id AS src
  FROM monitored_systems WHERE monitored_from >= ${HISTORY_START}
), warranty AS (
  -- Replacement units swapped under warranty for defects.
  SELECT customer_id, CAST(resolved_at AS DATE) AS booked_at, lognorm(id, 'sc.swap', 900, 0.6) AS amount,
    'hardware' AS category, true AS defect_related, id AS ticket_id, id AS src
  FROM tickets WHERE category = 'defect' AND needs_visit AND resolved_at IS NOT NULL AND rnd(id, 'sc.swap') < 0.15
), pools AS (
  SELECT product_line, region, category = 'defect' AS defect, month(opened_at) AS mo, year(opened_at) AS yr, count(*) AS n
  FROM ticket_base GROUP BY ALL
), parts_pool AS (
  -- Warranty parts consumed from stock for defects, per product line and month (no single customer).
  SELECT NULL::BIGINT AS customer_id, make_date(yr, mo, 1) AS booked_at, sum(n) * 55.0 AS amount, 'parts' AS category,
    true AS defect_related, NULL::BIGINT AS ticket_id, hash(product_line) % 1000000 AS src
  FROM pools WHERE defect GROUP BY product_line, yr, mo
), standby AS (
  -- On-call and monitoring-centre labour per region and month, in proportion to ticket load.
  SELECT NULL::BIGINT AS customer_id, make_date(yr, mo, 1) AS booked_at, sum(n) * 9.0 AS amount, 'labour' AS category,
    false AS defect_related, NULL::BIGINT AS ticket_id, hash(region) % 1000000 AS src
  FROM pools GROUP BY region, yr, mo
), meetings AS (
  -- Travel to customer meetings (not on any work order).
  SELECT customer_id, CAST(occurred_at AS DATE) AS booked_at, lognorm(id, 'sc.travel', 90, 0.5) AS amount, 'travel' AS category,
    false AS defect_related, NULL::BIGINT AS ticket_id, id AS src
  FROM engagements WHERE channel = 'meeting'
), a AS (
  SELECT 0 AS part, * FROM licences UNION ALL SELECT 1 AS part, * FROM gateways UNION ALL SELECT 2 AS part, * FROM warranty
  UNION ALL SELECT 3 AS part, * FROM parts_pool UNION ALL SELECT 4 AS part, * FROM standby UNION ALL SELECT 5 AS part, * FROM meetings
), kept AS (
  SELECT * FROM a WHERE booked_at < ${HISTORY_END}
)
SELECT id, customer_id, booked_at, amount, category, defect_related, ticket_id
FROM ${numberedByDay('kept', 'booked_at', `booked_at, ${lookup('category', { hardware: 0, labour: 1, licences: 2, parts: 3, travel: 4 })}, part, src`)} AS a`);
    await sql.exec(`DROP TABLE ticket_base`);
  },
};
