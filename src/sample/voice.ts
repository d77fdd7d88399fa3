// The customer's voice: survey answers and engagements.

import type { Step } from './step.js';
import { HISTORY_END, HISTORY_END_TS, HISTORY_START, choose, lookup, numberedByDay } from './sql.js';

const HEALTH_EFFECT = { healthy: 0.25, at_risk: -0.5, angry: -1.4 };
const REGION_EFFECT = { north: -0.15, south: 0.1, east: -0.05, west: 0.0, central: 0.1 };

export const surveys: Step = {
  table: 'surveys',
  label: 'surveys',
  async run(sql) {
    // Transactional surveys after a resolved ticket (CSAT always, NPS on half of them) and
    // relationship surveys once a year for some customers (NPS only). Scores follow one latent
    // satisfaction: SLA kept, first-contact resolution, the customer's health when answering (from
    // customer_health; today's health where the history has no row, after a churn) and region.
    await sql.exec(`
INSERT INTO surveys BY NAME
WITH tx AS (
  SELECT t.customer_id, t.id AS ticket_id, 'transactional' AS kind, t.id AS src,
    plus_hours(t.resolved_at, lognorm(t.id, 'sv.delay', 18, 1.0)) AS answered_at,
    CASE WHEN t.resolved_at <= t.sla_due_at THEN 0.45 ELSE -0.75 END
      + CASE WHEN t.resolved_first_contact THEN 0.3 ELSE 0 END
      + ${lookup('coalesce(h.health, c.health)', HEALTH_EFFECT, 0)} + ${lookup('c.region', REGION_EFFECT, 0)} + nrm(t.id, 'sv.z') AS z,
    rnd(t.id, 'sv.nps.asked') < 0.5 AS nps_asked, true AS csat_asked
  FROM tickets t JOIN customers c ON c.id = t.customer_id
  LEFT JOIN customer_health h ON ${healthAt('h', 't.customer_id', 't.resolved_at')}
  WHERE t.resolved_at IS NOT NULL AND rnd(t.id, 'sv.answer') < 0.22
), years AS (
  SELECT id, created_at, churned_at, health, region, unnest(range(4)) AS y FROM customers
), rel0 AS (
  SELECT id, y, health, region,
    plus_hours(CAST(DATE '2022-01-01' + to_years(CAST(y AS INTEGER)) AS TIMESTAMP), 24 * floor(rnd2(id, y, 'sv.rel.day') * 365) + 8 + 10 * rnd2(id, y, 'sv.rel.hour'))
      AS answered_at
  FROM years WHERE rnd2(id, y, 'sv.rel') < 0.4
), rel AS (
  SELECT r.id AS customer_id, NULL::BIGINT AS ticket_id, 'relationship' AS kind, r.id * 4 + r.y AS src, r.answered_at,
    0.1 + ${lookup('coalesce(h.health, r.health)', HEALTH_EFFECT, 0)} + ${lookup('r.region', REGION_EFFECT, 0)} + nrm2(r.id, r.y, 'sv.rel.z') AS z,
    true AS nps_asked, false AS csat_asked
  FROM rel0 r LEFT JOIN customer_health h ON ${healthAt('h', 'r.id', 'r.answered_at')}
), a AS (
  SELECT * FROM tx
  UNION ALL
  SELECT r.customer_id, r.ticket_id, r.kind, r.src, r.answered_at, r.z, r.nps_asked, r.csat_asked
  FROM rel r JOIN customers c ON c.id = r.customer_id
  WHERE r.answered_at >= c.created_at AND (c.churned_at IS NULL OR r.answered_at < c.churned_at)
), kept AS (
  SELECT * FROM a WHERE answered_at < ${HISTORY_END_TS}
)
SELECT id, customer_id, ticket_id, kind, answered_at,
  CASE WHEN nps_asked THEN CAST(least(10, greatest(0, round(7.9 + 1.9 * z))) AS INTEGER) END AS nps_score,
  CASE WHEN csat_asked THEN CAST(least(5, greatest(1, round(4.0 + 0.8 * z))) AS INTEGER) END AS csat_score
FROM ${numberedByDay('kept', 'CAST(answered_at AS DATE)', `answered_at, ${lookup('kind', { relationship: 0, transactional: 1 })}, src`)} AS a`);
  },
};

export const engagements: Step = {
  table: 'engagements',
  label: 'engagements',
  async run(sql) {
    await sql.exec(`
INSERT INTO engagements BY NAME
WITH s AS (
  SELECT id AS customer_id, health,
    CAST(greatest(created_at, ${HISTORY_START}) AS TIMESTAMP) AS w0,
    datediff('day', greatest(created_at, ${HISTORY_START}), least(coalesce(churned_at, ${HISTORY_END}), ${HISTORY_END})) AS days,
    ${lookup('segment', { enterprise: 2.0, mid_market: 0.8, small_business: 0.3 })} * ${lookup('health', { healthy: 1, at_risk: 1.1, angry: 1.3 })}
      AS per_month
  FROM customers
), e AS (
  SELECT *, unnest(range(CAST(floor(per_month * 1.4 * days / 30.44 + rnd(customer_id, 'en.n')) AS BIGINT))) AS j FROM s WHERE days > 0
), c AS (
  SELECT *, w0 + to_days(CAST(floor(rnd2(customer_id, j, 'en.day') * days) AS INTEGER)) AS day_ts FROM e
), k AS (
  SELECT *, plus_hours(day_ts, 8 + 10 * rnd2(customer_id, j, 'en.hour')) AS occurred_at,
    rnd2(customer_id, j, 'en.sentiment') AS u_sentiment
  FROM c
  WHERE rnd2(customer_id, j, 'en.keep') < CASE WHEN month(day_ts) = 8 THEN 0.55 WHEN month(day_ts) = 12 THEN 0.75 ELSE 1 END
    * CASE WHEN dayofweek(day_ts) IN (0, 6) THEN 0.1 ELSE 1 END
), kh AS (
  SELECT k.*, coalesce(h.health, k.health) AS health_then
  FROM k LEFT JOIN customer_health h ON ${healthAt('h', 'k.customer_id', 'k.occurred_at')}
)
SELECT id, customer_id, occurred_at,
  ${choose("rnd2(customer_id, j, 'en.channel')", { email: 0.4, call: 0.25, meeting: 0.15, portal: 0.15, event: 0.05 })} AS channel,
  -- The sentiment follows the customer's health at the time (today's where the history has no row).
  CASE health_then
    WHEN 'healthy' THEN ${choose('u_sentiment', { positive: 0.55, neutral: 0.38, negative: 0.07 })}
    WHEN 'at_risk' THEN ${choose('u_sentiment', { positive: 0.3, neutral: 0.45, negative: 0.25 })}
    ELSE ${choose('u_sentiment', { positive: 0.15, neutral: 0.35, negative: 0.5 })} END AS sentiment
FROM ${numberedByDay('kh', 'CAST(occurred_at AS DATE)', 'occurred_at, customer_id, j')} AS k`);
  },
};

/** The customer_health row (alias `h`) of `customer` in force at instant `at`: [valid_from, valid_to). */
function healthAt(h: string, customer: string, at: string): string {
  // No OR in the condition: it keeps the join a hash join on the customer (an OR made it a nested loop).
  return `${h}.customer_id = ${customer} AND ${h}.valid_from <= CAST(${at} AS DATE) AND coalesce(${h}.valid_to, DATE '9999-12-31') > CAST(${at} AS DATE)`;
}
