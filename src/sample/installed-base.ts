// The installed base: assets, the product sales that put them there, their service contracts,
// the systems under remote monitoring, monitoring incidents and failure predictions.

import type { Params, Sql, Step } from './step.js';
import { HISTORY_END, HISTORY_END_TS, HISTORY_START, choose, lookup, numberedByDay } from './sql.js';

const PRODUCT_LINES = { chillers: 0.14, compressors: 0.2, generators: 0.16, pumps: 0.28, hvac: 0.22 };
export const LIST_PRICE = { chillers: 42000, compressors: 16000, generators: 28000, pumps: 5500, hvac: 11000 };

export const assetBase: Step = {
  table: null,
  label: 'installed base',
  async run(sql: Sql, p: Params) {
    // Each customer owns a few assets, more for bigger customers. The first is installed when the
    // customer is won, the others later in its life (earlier ones more likely).
    const mix = 0.13 * 13 + 0.33 * 5 + 0.54 * 2;
    const scale = p.assetsPerCustomer / mix;
    await sql.exec(`
CREATE TEMP TABLE asset_base AS
WITH c AS (
  SELECT id AS customer_id, region, segment, health, created_at, churned_at,
    CAST(floor(${lookup('segment', { enterprise: 13, mid_market: 5, small_business: 2 })} * ${scale.toFixed(6)}
      * exp(0.6 * nrm(id, 'as.count') - 0.18) + rnd(id, 'as.count.r')) AS BIGINT) AS n
  FROM customers
), e AS (
  SELECT customer_id, region, segment, health, created_at, churned_at, unnest(range(greatest(n, 1))) AS j FROM c
), n AS (
  SELECT row_number() OVER (ORDER BY customer_id, j) AS id, * FROM e
), a AS (
  SELECT *, ${choose("rnd(id, 'as.line')", PRODUCT_LINES)} AS product_line,
    CASE WHEN j = 0 THEN created_at
         ELSE created_at + CAST(floor(pow(rnd(id, 'as.installed'), 2)
           * datediff('day', created_at, least(coalesce(churned_at, DATE '2025-12-31'), DATE '2025-12-31'))) AS INTEGER)
    END AS installed_at
  FROM n
), b AS (
  SELECT *,
    least(churned_at, installed_at + CAST(greatest(1, lognorm(id, 'as.life', 4400, 0.35)) AS INTEGER)) AS end_day,
    rnd(id, 'as.monitored') < ${lookup('product_line', { chillers: 0.5, compressors: 0.42, generators: 0.45, pumps: 0.18, hvac: 0.33 })}
      * CASE WHEN installed_at >= DATE '2020-01-01' THEN 1.25 ELSE 0.75 END AS monitored,
    CAST(${lookup('product_line', LIST_PRICE)} * exp(0.2 * nrm(id, 'as.price')) AS DECIMAL(18,2)) AS list_price
  FROM a
)
SELECT id, customer_id, region, segment, health, product_line, installed_at,
  CASE WHEN end_day < ${HISTORY_END} THEN end_day END AS decommissioned_at, monitored, list_price
FROM b`);
  },
};

export const productSales: Step = {
  table: 'product_sales',
  label: 'product_sales',
  async run(sql: Sql) {
    // One sale per asset installed in the history, a few weeks before installation.
    await sql.exec(`
INSERT INTO product_sales BY NAME
WITH s AS (
  SELECT a.id AS asset_id, a.customer_id, a.region, a.list_price, c.channel AS customer_channel,
    plus_hours(CAST(greatest(c.created_at, a.installed_at - CAST(7 + floor(rnd(a.id, 'ps.lead') * 50) AS INTEGER)) AS TIMESTAMP),
      9 + 8 * rnd(a.id, 'ps.hour')) AS sold_at,
    rnd(a.id, 'ps.channel') AS u_channel, rnd(a.id, 'ps.attach') AS u_attach
  FROM asset_base a JOIN customers c ON c.id = a.customer_id
  WHERE a.installed_at >= ${HISTORY_START}
), t AS (
  SELECT *, CASE WHEN u_channel < 0.85 THEN customer_channel
    ELSE ${choose('(u_channel - 0.85) / 0.15', { direct: 1, partner: 1, online: 1 })} END AS channel
  FROM s WHERE sold_at >= ${HISTORY_START}
)
SELECT id, customer_id, asset_id, sold_at,
  CAST(list_price * (0.92 + 0.1 * rnd(asset_id, 'ps.discount')) AS DECIMAL(18,2)) AS amount,
  CAST(list_price * (0.56 + 0.1 * rnd(asset_id, 'ps.cost')) AS DECIMAL(18,2)) AS cost,
  region, channel,
  u_attach < ${lookup('channel', { direct: 0.66, partner: 0.44, online: 0.3 })}
    + ${lookup('region', { north: 0.04, south: -0.05, east: 0.0, west: 0.03, central: -0.02 }, 0)}
    + 0.03 * (year(sold_at) - 2022) AS contract_attached
FROM ${numberedByDay('t', 'CAST(sold_at AS DATE)', 'sold_at, asset_id')} AS t`);
  },
};

export const contracts: Step = {
  table: 'contracts',
  label: 'contracts',
  async run(sql: Sql) {
    // A chain of fixed-term contracts per covered asset: each term is renewed or not; the chain
    // stops at the first term not renewed or when the asset is decommissioned. Only terms that
    // overlap the history are kept.
    await sql.exec(`
CREATE TEMP TABLE contract_terms AS
WITH a AS (
  SELECT ab.id AS asset_id, ab.customer_id, ab.health, ab.region, ab.list_price, ab.installed_at,
    ab.decommissioned_at, coalesce(ab.decommissioned_at, ${HISTORY_END}) AS end_of_life, s.id AS sale_id,
    CASE WHEN s.id IS NOT NULL THEN s.contract_attached
         WHEN ab.installed_at >= ${HISTORY_START} THEN rnd(ab.id, 'co.has') < 0.45
         ELSE rnd(ab.id, 'co.has') < 0.55 END AS has_contract,
    CASE WHEN rnd(ab.id, 'co.term') < 0.5 THEN 12 WHEN rnd(ab.id, 'co.term') < 0.8 THEN 24 ELSE 36 END AS term_months,
    CASE WHEN s.id IS NOT NULL THEN ab.installed_at
         ELSE ab.installed_at + CAST(floor(rnd(ab.id, 'co.delay') * 90) AS INTEGER) END AS first_start
  FROM asset_base ab LEFT JOIN product_sales s ON s.asset_id = ab.id
), t AS (
  SELECT *, unnest(range(datediff('month', first_start, ${HISTORY_END}) // term_months + 1)) AS j
  FROM a WHERE has_contract AND first_start < end_of_life
), d AS (
  SELECT *, CAST(first_start + to_months(CAST(j * term_months AS INTEGER)) AS DATE) AS start_date,
    CAST(first_start + to_months(CAST((j + 1) * term_months AS INTEGER)) AS DATE) AS natural_end,
    rnd2(asset_id, j, 'co.renew') < ${lookup('health', { healthy: 0.9, at_risk: 0.7, angry: 0.5 })}
      + ${lookup('region', { north: -0.02, south: 0.03, east: -0.04, west: 0.01, central: 0.02 }, 0)} AS renew_draw
  FROM t
), e AS (
  SELECT *, coalesce(bool_and(renew_draw) OVER (PARTITION BY asset_id ORDER BY j
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), true) AS reached
  FROM d
)
SELECT asset_id, customer_id, j, term_months, start_date, least(natural_end, end_of_life) AS end_date,
  CAST(natural_end - 45 AS DATE) AS renewal_due_at,
  renew_draw AND (decommissioned_at IS NULL OR natural_end < decommissioned_at) AND natural_end - 45 < ${HISTORY_END} AS renewed,
  CASE WHEN j = 0 THEN sale_id END AS sale_id,
  CAST(list_price * 0.011 * exp(0.2 * nrm(asset_id, 'co.value')) * pow(1.03, j) AS DECIMAL(18,2)) AS monthly_value
FROM e
WHERE reached AND start_date < end_of_life AND start_date < ${HISTORY_END} AND least(natural_end, end_of_life) >= ${HISTORY_START}`);
    await sql.exec(`
INSERT INTO contracts BY NAME
SELECT id, customer_id, asset_id, sale_id, start_date, end_date, monthly_value, renewal_due_at, renewed, term_months
FROM ${numberedByDay('contract_terms', 'start_date', 'start_date, asset_id, j')} AS c`);
  },
};

export const assets: Step = {
  table: 'assets',
  label: 'assets',
  async run(sql: Sql) {
    await sql.exec(`
CREATE TEMP TABLE asset_info AS
SELECT a.*, a.id IN (SELECT asset_id FROM contract_terms) AS under_contract FROM asset_base a`);
    await sql.exec(`
INSERT INTO assets BY NAME
SELECT id, customer_id, product_line, installed_at, decommissioned_at, under_contract, monitored, list_price FROM asset_info`);
    await sql.exec(`DROP TABLE contract_terms`);
    await sql.exec(`DROP TABLE asset_base`);
  },
};

export const monitoredSystems: Step = {
  table: 'monitored_systems',
  label: 'monitored_systems',
  async run(sql: Sql) {
    // Equipment gateways on monitored assets, and customers' own networks for larger customers.
    await sql.exec(`
INSERT INTO monitored_systems BY NAME
WITH equipment AS (
  SELECT customer_id, id AS asset_id, 'equipment' AS kind, id AS src,
    greatest(installed_at, DATE '2018-06-01') + CAST(floor(rnd(id, 'ms.from') * 45) AS INTEGER) AS f,
    CASE WHEN rnd(id, 'ms.stop') < 0.1
      THEN greatest(installed_at, DATE '2018-06-01') + CAST(60 + lognorm(id, 'ms.span', 700, 0.6) AS INTEGER) END AS stop_day,
    decommissioned_at
  FROM asset_info WHERE monitored
), networks AS (
  SELECT id, created_at, churned_at, unnest(range(CASE segment WHEN 'enterprise' THEN 2 ELSE 1 END)) AS j
  FROM customers
  WHERE segment = 'enterprise' OR (segment = 'mid_market' AND rnd(id, 'ms.network') < 0.45)
), network AS (
  SELECT id AS customer_id, NULL::BIGINT AS asset_id, 'network' AS kind, id * 4 + j AS src,
    greatest(created_at, DATE '2019-01-01') + CAST(floor(rnd2(id, j, 'ms.from') * 120) AS INTEGER) AS f,
    NULL::DATE AS stop_day, churned_at AS decommissioned_at
  FROM networks
), s AS (
  SELECT customer_id, asset_id, kind, src, f AS monitored_from,
    CASE WHEN least(coalesce(stop_day, decommissioned_at), coalesce(decommissioned_at, stop_day)) < ${HISTORY_END}
      THEN least(coalesce(stop_day, decommissioned_at), coalesce(decommissioned_at, stop_day)) END AS monitored_to
  FROM (SELECT * FROM equipment UNION ALL SELECT * FROM network)
), kept AS (
  SELECT * FROM s
  WHERE monitored_from < ${HISTORY_END} AND (monitored_to IS NULL OR (monitored_to > monitored_from AND monitored_to > ${HISTORY_START}))
)
SELECT id, customer_id, asset_id, kind, monitored_from, monitored_to
FROM ${numberedByDay('kept', 'monitored_from', `monitored_from, ${lookup('kind', { equipment: 0, network: 1 })}, src`)} AS m`);
  },
};

export const incidents: Step = {
  table: 'incidents',
  label: 'incidents',
  async run(sql: Sql) {
    await sql.exec(`
INSERT INTO incidents BY NAME
WITH s AS (
  SELECT m.id AS system_id, m.kind, c.region,
    CAST(greatest(m.monitored_from, ${HISTORY_START}) AS TIMESTAMP) AS w0,
    datediff('second', greatest(m.monitored_from, ${HISTORY_START}), least(coalesce(m.monitored_to, ${HISTORY_END}), ${HISTORY_END})) AS secs,
    ${lookup('m.kind', { equipment: 2.2, network: 4.5 })} * ${lookup('c.region', { north: 1.25, south: 0.9, east: 1.1, west: 1.0, central: 0.85 })} AS per_year
  FROM monitored_systems m JOIN customers c ON c.id = m.customer_id
), e AS (
  SELECT *, unnest(range(CAST(floor(per_year * secs / 31557600.0 + rnd(system_id, 'in.n')) AS BIGINT))) AS j
  FROM s WHERE secs > 0
), i AS (
  SELECT system_id, kind, region, j,
    w0 + to_seconds(CAST(floor(rnd2(system_id, j, 'in.start') * secs) AS BIGINT)) AS started_at,
    lognorm2(system_id, j, 'in.respond', 14, 0.8) * ${lookup('region', { north: 1.4, south: 0.9, east: 1.1, west: 1.0, central: 0.8 })} AS respond_min,
    lognorm2(system_id, j, 'in.resolve', 4, 1.0) AS resolve_h,
    rnd2(system_id, j, 'in.outage') < 0.55 AS has_outage,
    lognorm2(system_id, j, 'in.outage.min', 150, 1.1) AS outage_draw,
    rnd2(system_id, j, 'in.silent') < 0.03 AS never_responded,
    rnd2(system_id, j, 'in.breach') < CASE kind WHEN 'network' THEN 0.03 ELSE 0.005 END AS security_breach
  FROM e
), r AS (
  SELECT *, plus_hours(started_at, respond_min / 60) AS respond_ts, plus_hours(started_at, resolve_h) AS resolve_ts FROM i
)
SELECT id, system_id, started_at,
  CASE WHEN NOT never_responded AND respond_ts < ${HISTORY_END_TS} THEN respond_ts END AS responded_at,
  CASE WHEN resolve_ts < ${HISTORY_END_TS} THEN resolve_ts END AS resolved_at,
  CASE WHEN has_outage THEN least(outage_draw, datediff('second', started_at, least(resolve_ts, ${HISTORY_END_TS})) / 60.0) ELSE 0 END
    AS outage_minutes,
  security_breach
FROM ${numberedByDay('r', 'CAST(started_at AS DATE)', 'started_at, system_id, j')} AS r`);
  },
};

export const predictions: Step = {
  table: 'predictions',
  label: 'predictions',
  async run(sql: Sql) {
    // The predictive-maintenance programme starts in 2023 on monitored equipment; the model gets
    // better over time.
    await sql.exec(`
INSERT INTO predictions BY NAME
WITH s AS (
  SELECT asset_id, CAST(greatest(monitored_from, DATE '2023-01-01') AS TIMESTAMP) AS w0,
    datediff('second', greatest(monitored_from, DATE '2023-01-01'), least(coalesce(monitored_to, ${HISTORY_END}), ${HISTORY_END})) AS secs
  FROM monitored_systems WHERE kind = 'equipment'
), e AS (
  SELECT *, unnest(range(CAST(floor(1.1 * secs / 31557600.0 + rnd(asset_id, 'pr.n')) AS BIGINT))) AS j FROM s WHERE secs > 0
), p AS (
  SELECT asset_id, j, w0 + to_seconds(CAST(floor(rnd2(asset_id, j, 'pr.at') * secs) AS BIGINT)) AS predicted_at FROM e
), w AS (
  SELECT *, CAST(predicted_at AS DATE) + CAST(7 + floor(rnd2(asset_id, j, 'pr.lead') * 21) AS INTEGER) AS window_start FROM p
), x AS (
  SELECT *, window_start + CAST(14 + floor(rnd2(asset_id, j, 'pr.len') * 30) AS INTEGER) AS window_end FROM w
)
SELECT id, asset_id, predicted_at, window_start, window_end,
  window_end < ${HISTORY_END} AND rnd2(asset_id, j, 'pr.ok') < 0.42 + 0.12 * datediff('day', DATE '2023-01-01', predicted_at) / 365.25
    AS confirmed
FROM ${numberedByDay('x', 'CAST(predicted_at AS DATE)', 'predicted_at, asset_id, j')} AS x`);
  },
};
