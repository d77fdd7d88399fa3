// The customers' health and monthly recurring revenue over time (customer_health).
//
// Customer success reviews every customer's health once a month, so a health status holds from
// the first of a month (or from the day the customer started) to the first of a later month, or
// to the day the customer churned, where the history closes. Prices change once a year, on the
// first of the month the customer started in (indexation, now and then an upsell or downsell),
// so the monthly recurring revenue changes there too. A row holds one (health, revenue) pair:
// its lifespan [valid_from, valid_to) runs from one change to the next.
//
// The customers table already holds each customer's current health and revenue (its last row)
// and its churn day, which the churn hazard drew from that health. So the history is drawn
// backwards from there: the last spell has the customer's health and ends at its churn (or
// stays open); before it, healthy spells alternate with spells of trouble (at risk, angry, or
// one then the other), each spell a whole number of months, until the customer's start. The
// revenue likewise runs backwards from the current revenue, undoing each anniversary's change.

import type { Params, Sql, Step } from './step.js';
import { HISTORY_END, numberedByDay } from './sql.js';

/** Months are numbered from January 2000, so a month number turns back into its first day exactly. */
const EPOCH = "DATE '2000-01-01'";
const monthNo = (d: string): string => `datediff('month', ${EPOCH}, ${d})`;
const monthStart = (n: string): string => `CAST(${EPOCH} + to_months(CAST(${n} AS INTEGER)) AS DATE)`;

/** Mean months a spell lasts: long healthy stretches, short troubles. */
const MEAN_MONTHS = { healthy: 22, at_risk: 3, angry: 2 };

/**
 * A spell of trouble, in forward order: at risk and back (0), at risk then angry (1), angry
 * then at risk (2), angry and back (3). Cumulative weights for the draw.
 */
const TROUBLE_CUMULATIVE = [0.55, 0.75, 0.9];

/** A geometric number of whole months (at least 1) with the given mean, from a uniform draw. */
function months(u: string, mean: number): string {
  return `CAST(1 + floor(ln(${u}) / ln(${(1 - 1 / mean).toFixed(6)})) AS INTEGER)`;
}

export const customerHealth: Step = {
  table: 'customer_health',
  label: 'customer_health',
  async run(sql: Sql, _p: Params) {
    // Phases backwards from the customer's end: phase 0 holds the last spell. A customer whose
    // current health is healthy is in a healthy phase now, the others in a phase of trouble, and
    // the phases alternate before that. A phase of trouble ending in the current health (at
    // risk or angry) is drawn among the kinds that end so. Each phase has one or two spells,
    // numbered backwards within the customer (k) in the next step.
    await sql.exec(`
CREATE TEMP TABLE health_spell AS
WITH c AS (
  SELECT id AS customer_id, health, created_at, churned_at,
    -- Month changes that can start a spell: the first days strictly after created_at and
    -- strictly before the churn (or up to the last month of the history), numbered b0 <= n < e.
    ${monthNo('created_at')} + 1 AS b0,
    CASE WHEN churned_at IS NULL THEN ${monthNo(HISTORY_END)} ELSE ${monthNo('churned_at - 1')} + 1 END AS e
  FROM customers
), ph AS (
  -- Enough phases to reach back to the start: two per healthy stretch and trouble, and a margin.
  SELECT *, unnest(range(phases)) AS j
  FROM (SELECT *, CAST(6 + 2 * ceil(greatest(e - b0, 0) / 24) AS BIGINT) AS phases FROM c)
), kinds AS (
  SELECT *,
    (health = 'healthy') = (j % 2 = 0) AS is_healthy,
    CASE WHEN j > 0 OR health = 'healthy' THEN rnd2(customer_id, j, 'ch.kind')
         WHEN health = 'at_risk' THEN CASE WHEN rnd(customer_id, 'ch.kind0') < 0.15 / 0.70 THEN 0.8 ELSE 0.2 END
         ELSE CASE WHEN rnd(customer_id, 'ch.kind0') < 0.2 / 0.3 THEN 0.7 ELSE 0.95 END END AS u_kind
  FROM ph
), p AS (
  SELECT *,
    CASE WHEN is_healthy THEN -1 WHEN u_kind < ${TROUBLE_CUMULATIVE[0]} THEN 0 WHEN u_kind < ${TROUBLE_CUMULATIVE[1]} THEN 1
         WHEN u_kind < ${TROUBLE_CUMULATIVE[2]} THEN 2 ELSE 3 END AS kind
  FROM kinds
), s AS (
  -- The phase's spells, backwards: i = 0 is its last spell.
  SELECT *, unnest(range(spells)) AS i FROM (SELECT *, CASE WHEN kind IN (1, 2) THEN 2 ELSE 1 END AS spells FROM p)
), h AS (
  SELECT customer_id, created_at, churned_at, b0, e, phases, spells, j, i,
    CASE WHEN kind = -1 THEN 'healthy'
         WHEN kind = 0 OR (kind = 2 AND i = 0) OR (kind = 1 AND i = 1) THEN 'at_risk'
         ELSE 'angry' END AS state
  FROM s
), d AS (
  SELECT *, CASE state
      WHEN 'healthy' THEN ${months(`rnd2(customer_id, 2 * j + i, 'ch.months')`, MEAN_MONTHS.healthy)}
      WHEN 'at_risk' THEN ${months(`rnd2(customer_id, 2 * j + i, 'ch.months')`, MEAN_MONTHS.at_risk)}
      ELSE ${months(`rnd2(customer_id, 2 * j + i, 'ch.months')`, MEAN_MONTHS.angry)} END AS dur
  FROM h
), w AS (
  -- The month number each spell starts on, counting back from e; the spells are numbered
  -- backwards (2j + i), and the last phase drawn holds the earliest spell.
  SELECT *, e - sum(dur) OVER (PARTITION BY customer_id ORDER BY j, i ROWS UNBOUNDED PRECEDING) AS start_no,
    j = phases - 1 AND i = spells - 1 AS earliest
  FROM d
)
-- Spells that end after the customer's start; the one that reaches back to it (or the earliest
-- drawn, stretched) starts on the day the customer did.
SELECT customer_id, churned_at, state AS health,
  CASE WHEN start_no < b0 OR earliest THEN created_at ELSE ${monthStart('start_no')} END AS spell_from
FROM w
WHERE start_no + dur >= b0`);
    // Prices: an anniversary on the first of the customer's starting month, every year after
    // its start, changes the revenue by exp(g): indexation of at least 0.5% (so that each change
    // moves the revenue by a few cents at least), now and then with an upsell or a downsell.
    // Going back from the current revenue, the revenue before anniversary y + 1 is the current
    // one divided by the changes of y + 1 and every later anniversary.
    await sql.exec(`
CREATE TEMP TABLE health_price AS
WITH c AS (
  SELECT id AS customer_id, created_at, churned_at, monthly_recurring_revenue AS mrr, ${monthNo('created_at')} AS m0,
    CASE WHEN churned_at IS NULL THEN ${monthNo(HISTORY_END)} ELSE ${monthNo('churned_at - 1')} + 1 END AS e
  FROM customers
), a AS (
  SELECT *, unnest(range(CAST(ceil((e - m0) / 12) AS BIGINT))) AS y FROM c
), g AS (
  SELECT *,
    CASE WHEN y = 0 THEN 0
      ELSE greatest(0.005, 0.03 + 0.02 * nrm2(customer_id, y, 'ch.price'))
        + CASE WHEN rnd2(customer_id, y, 'ch.sell') < 0.05 THEN ln(1.25) WHEN rnd2(customer_id, y, 'ch.sell') < 0.08 THEN ln(0.8) ELSE 0 END
    END AS g
  FROM a
), l AS (
  SELECT *, coalesce(sum(g) OVER (PARTITION BY customer_id ORDER BY y ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0) AS later
  FROM g
)
SELECT customer_id, churned_at,
  CASE WHEN y = 0 THEN created_at ELSE ${monthStart('m0 + 12 * y')} END AS price_from,
  CASE WHEN later = 0 THEN mrr ELSE CAST(CAST(mrr AS DOUBLE) * exp(-later) AS DECIMAL(18,2)) END AS mrr
FROM l`);
    // The rows: every day where the health or the price changes (both may on one day), with the
    // spell and the price in force from that day carried forward, each row ending where the
    // next begins or, for the last, at the churn.
    await sql.exec(`
INSERT INTO customer_health BY NAME
WITH pts AS (
  SELECT customer_id, valid_from, max(churned_at) AS churned_at, max(health) AS health, max(mrr) AS mrr
  FROM (
    SELECT customer_id, spell_from AS valid_from, churned_at, health, NULL::DECIMAL(18,2) AS mrr FROM health_spell
    UNION ALL
    SELECT customer_id, price_from, churned_at, NULL, mrr FROM health_price)
  GROUP BY customer_id, valid_from
), t AS (
  SELECT customer_id, valid_from,
    last_value(health IGNORE NULLS) OVER w AS health,
    last_value(mrr IGNORE NULLS) OVER w AS monthly_recurring_revenue,
    coalesce(lead(valid_from) OVER w, churned_at) AS valid_to
  FROM pts
  WINDOW w AS (PARTITION BY customer_id ORDER BY valid_from ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT id, customer_id, health, monthly_recurring_revenue, valid_from, valid_to
FROM ${numberedByDay('t', 'valid_from', 'valid_from, customer_id')} AS t`);
    await sql.exec('DROP TABLE health_spell');
    await sql.exec('DROP TABLE health_price');
  },
};
