// Service delivery: tickets, the work orders they (and installs and maintenance) cause, and the
// technicians' visits. Tickets are generated first without outcomes, then work orders and visits,
// then the tickets' resolution, which waits on their repair work orders.

import { meanDemandWeight } from './random.js';
import type { Params, Sql, Step } from './step.js';
import { HISTORY_END, HISTORY_END_TS, HISTORY_START, HISTORY_START_TS, choose, lookup, numberedByDay } from './sql.js';

/** Tickets opened in this window meet a backlog: slower resolution and closing (a stressed quarter). */
const STRESS = `(opened_at >= TIMESTAMP '2024-01-08' AND opened_at < TIMESTAMP '2024-04-01')`;

export const ticketBase: Step = {
  table: null,
  label: 'ticket arrivals',
  async run(sql: Sql, p: Params) {
    // Tickets arrive per asset while it is installed, at a rate that depends on the product line
    // and the asset's own frailty, thinned by season and weekday. Growth follows the installed base.
    await sql.exec(`
CREATE TEMP TABLE ticket_src AS
WITH a AS (
  SELECT id AS asset_id, customer_id, region, product_line, monitored,
    CAST(greatest(installed_at, ${HISTORY_START}) AS TIMESTAMP) AS w0,
    datediff('day', greatest(installed_at, ${HISTORY_START}), least(coalesce(decommissioned_at, ${HISTORY_END}), ${HISTORY_END})) AS days,
    CAST(round(1000 * ${lookup('product_line', { chillers: 1.35, compressors: 1.2, generators: 0.8, pumps: 0.9, hvac: 1.1 })}
      * exp(0.5 * nrm(id, 'tk.frailty') - 0.125)) AS BIGINT) AS weight
  FROM asset_info
)
SELECT * FROM a WHERE days > 0`);
    const total = await sql.integer(`SELECT CAST(coalesce(sum(weight * days), 0) AS BIGINT) FROM ticket_src`);
    const perWeightDay = total > 0 ? (p.tickets * 1000) / (total * meanDemandWeight()) : 0;
    await sql.exec(`
CREATE TEMP TABLE ticket_base AS
WITH e AS (
  SELECT *, unnest(range(CAST(floor(${perWeightDay.toPrecision(17)} * weight / 1000.0 * days + rnd(asset_id, 'tk.n')) AS BIGINT))) AS j
  FROM ticket_src
), c AS (
  SELECT *, w0 + to_days(CAST(floor(rnd2(asset_id, j, 'tk.day') * days) AS INTEGER)) AS day_ts FROM e
), k AS (
  SELECT *, plus_hours(day_ts, CASE WHEN rnd2(asset_id, j, 'tk.office') < 0.78 THEN 7.5 + 10.5 * rnd2(asset_id, j, 'tk.hour')
    ELSE 24 * rnd2(asset_id, j, 'tk.hour') END) AS opened_at
  FROM c WHERE rnd2(asset_id, j, 'tk.keep') < season(day_ts) * weekday_weight(day_ts)
), n AS (
  SELECT id, asset_id, customer_id, region, product_line, monitored, opened_at
  FROM ${numberedByDay('k', 'CAST(opened_at AS DATE)', 'opened_at, asset_id, j')} AS k
), g AS (
  SELECT *,
    CASE WHEN monitored THEN ${choose("rnd(id, 'tk.category')", { how_to: 0.36, defect: 0.21, request: 0.13, incident: 0.3 })}
         ELSE ${choose("rnd(id, 'tk.category')", { how_to: 0.45, defect: 0.22, request: 0.16, incident: 0.17 })} END AS category
  FROM n
), h AS (
  SELECT *,
    monitored AND category IN ('incident', 'defect') AND rnd(id, 'tk.proactive') < 0.5 AS detected_proactively,
    CASE category
      WHEN 'incident' THEN ${choose("rnd(id, 'tk.priority')", { critical: 0.25, high: 0.45, medium: 0.25, low: 0.05 })}
      WHEN 'defect' THEN ${choose("rnd(id, 'tk.priority')", { critical: 0.05, high: 0.3, medium: 0.45, low: 0.2 })}
      WHEN 'request' THEN ${choose("rnd(id, 'tk.priority')", { medium: 0.5, low: 0.5 })}
      ELSE ${choose("rnd(id, 'tk.priority')", { medium: 0.35, low: 0.65 })} END AS priority
  FROM g
)
SELECT *,
  CASE WHEN detected_proactively THEN 'monitoring'
       ELSE ${choose("rnd(id, 'tk.channel')", { phone: 0.35, email: 0.25, portal: 0.25, chat: 0.15 })} END AS channel,
  CASE category WHEN 'how_to' THEN false WHEN 'request' THEN rnd(id, 'tk.visit') < 0.22
       WHEN 'defect' THEN rnd(id, 'tk.visit') < 0.7
       ELSE rnd(id, 'tk.visit') < CASE WHEN detected_proactively THEN 0.55 ELSE 0.72 END END AS needs_visit,
  ${STRESS} AS stressed,
  plus_hours(opened_at, lognorm(id, 'wo.triage', 0.35, 0.7)) AS work_order_at
FROM h`);
    await sql.exec(`DROP TABLE ticket_src`);
  },
};

const MEDIAN_LEAD_HOURS = { critical: 3, high: 4, medium: 8, low: 16 };
const REGION_DELAY = { north: 1.3, south: 0.9, east: 1.1, west: 1.0, central: 0.8 };

export const workOrderBase: Step = {
  table: null,
  label: 'work order sources',
  async run(sql: Sql, p: Params) {
    const repairs = await sql.integer(`SELECT count(*) FROM ticket_base WHERE needs_visit AND work_order_at < ${HISTORY_END_TS}`);
    const installs = await sql.integer(`SELECT count(*) FROM asset_info WHERE installed_at >= ${HISTORY_START}`);
    const maintenance = Math.max(0, p.rows - repairs - installs);
    // Preventive maintenance: contracted assets about twice a year, others now and then, on
    // weekdays, fewer in August and late December. Candidates are oversampled, then exactly the
    // number that brings work orders to the requested total is drawn from them. Only the keys
    // and the draw are kept here; the asset's attributes are joined back when work orders are made.
    await sql.exec(`
CREATE TEMP TABLE maintenance_candidates AS
WITH s AS (
  SELECT id AS asset_id, CAST(greatest(installed_at, ${HISTORY_START}) AS TIMESTAMP) AS w0,
    datediff('day', greatest(installed_at, ${HISTORY_START}), least(coalesce(decommissioned_at, ${HISTORY_END}), ${HISTORY_END})) AS days,
    CASE WHEN under_contract THEN 2.0 ELSE 0.35 END AS per_year
  FROM asset_info
), e AS (
  SELECT asset_id, w0, days, unnest(range(CAST(floor(per_year * 3.0 * days / 365.25 + rnd(asset_id, 'mt.n')) AS BIGINT))) AS j
  FROM s WHERE days > 0
), c AS (
  SELECT asset_id, j, w0 + to_days(CAST(floor(rnd2(asset_id, j, 'mt.day') * days) AS INTEGER)) AS day_ts FROM e
)
SELECT asset_id, j, day_ts, rnd2(asset_id, j, 'mt.pick') AS pick FROM c
WHERE dayofweek(day_ts) BETWEEN 1 AND 5
  AND rnd2(asset_id, j, 'mt.keep') < CASE WHEN month(day_ts) = 8 THEN 0.45 WHEN month(day_ts) = 12 AND day(day_ts) > 18 THEN 0.3 ELSE 1 END`);
    // Exactly `maintenance` candidates with the smallest pick values: keep a little more than
    // needed by threshold, then drop the surplus with the largest values (a small top-N, where
    // sorting all candidates would be slow).
    const candidates = await sql.integer(`SELECT count(*) FROM maintenance_candidates`);
    const threshold = candidates > 0 ? Math.min(1, (maintenance / candidates) * 1.01 + 0.001) : 0;
    await sql.exec(`CREATE TEMP TABLE maintenance_pick AS SELECT * FROM maintenance_candidates WHERE pick < ${threshold}`);
    const kept = await sql.integer(`SELECT count(*) FROM maintenance_pick`);
    if (kept > maintenance) {
      await sql.exec(`
DELETE FROM maintenance_pick WHERE (asset_id, j) IN (
  SELECT (asset_id, j) FROM maintenance_pick ORDER BY pick DESC, asset_id DESC, j DESC LIMIT ${kept - maintenance})`);
    } else if (kept < maintenance) {
      await sql.exec(`
INSERT INTO maintenance_pick SELECT * FROM maintenance_candidates WHERE pick >= ${threshold}
ORDER BY pick, asset_id, j LIMIT ${maintenance - kept}`);
    }
    await sql.exec(`DROP TABLE maintenance_candidates`);
  },
};

/**
 * A CTE body adding visit `j` (1-based) to the rows of `from`, which already have `ws{j}` (its
 * window start): arrival, departure, travel, and `ready{j+1}`, the earliest time a return visit
 * could start.
 */
function visitStage(j: number, from: string): string {
  return `
SELECT *, plus_hours(ws${j}, arrive_offset${j}) AS arr${j}, plus_hours(ws${j}, arrive_offset${j} + dur${j}) AS dep${j},
  plus_hours(ws${j}, arrive_offset${j} + dur${j} + lognorm2(id, ${j}, 'vi.gap', 10, 0.5)) AS ready${j + 1}
FROM (
  SELECT *,
    window_hours * pow(rnd2(id, ${j}, 'vi.arrive'), 1.3) * 0.95
      + CASE WHEN rnd2(id, ${j}, 'vi.late') < late_p THEN window_hours + lognorm2(id, ${j}, 'vi.late.h', 0.5, 0.7) ELSE 0 END AS arrive_offset${j},
    lognorm2(id, ${j}, 'vi.duration', duration_median, duration_sigma) * ${j === 1 ? 1 : 0.8} AS dur${j},
    lognorm2(id, ${j}, 'vi.travel', travel_median, 0.45) AS trav${j}
  FROM ${from})`;
}

export const workOrders: Step = {
  table: 'work_orders',
  label: 'work_orders',
  async run(sql: Sql) {
    // One streaming query: the sources get ids in order of creation (type and priority travel
    // through that sort as small numbers: 0 install, 1 maintenance, 2 repair; 0 critical .. 3
    // low), then a technician, then the chain of up to three visits, each starting after the
    // previous one ends. Every stage is its own projection, so each value is computed once; only
    // the result (wo_plan) is materialised, with just the columns that work_orders, visits,
    // tickets and revenue read.
    await sql.exec(`
CREATE TEMP TABLE wo_plan AS
WITH r AS (
  SELECT 2 AS type_code, t.id AS src_key, t.id AS ticket_id, t.asset_id, ${lookup('t.priority', { critical: 0, high: 1, medium: 2, low: 3 })} AS priority_code, t.stressed,
    t.opened_at AS failure_reported_at, t.work_order_at AS created_at, NULL::TIMESTAMP AS fixed_start
  FROM ticket_base t WHERE t.needs_visit AND t.work_order_at < ${HISTORY_END_TS}
), i AS (
  SELECT 0 AS type_code, id AS src_key, NULL::BIGINT AS ticket_id, id AS asset_id, 2 AS priority_code, false AS stressed,
    NULL::TIMESTAMP AS failure_reported_at,
    greatest(${HISTORY_START_TS}, plus_hours(CAST(installed_at AS TIMESTAMP), -24 * (5 + floor(rnd(id, 'in.lead') * 20)) + 10)) AS created_at,
    plus_hours(CAST(installed_at AS TIMESTAMP), 8 + 3 * rnd(id, 'in.hour')) AS fixed_start
  FROM asset_info WHERE installed_at >= ${HISTORY_START}
), mt AS (
  SELECT 1 AS type_code, asset_id * 1000 + j AS src_key, NULL::BIGINT AS ticket_id, asset_id, 3 AS priority_code,
    false AS stressed, NULL::TIMESTAMP AS failure_reported_at,
    greatest(${HISTORY_START_TS}, plus_hours(day_ts, -24 * (7 + floor(rnd2(asset_id, j, 'mt.lead') * 28)) + 9)) AS created_at,
    plus_hours(day_ts, 8 + floor(rnd2(asset_id, j, 'mt.hour') * 8)) AS fixed_start
  FROM maintenance_pick
), u AS (
  SELECT * FROM r UNION ALL SELECT * FROM i UNION ALL SELECT * FROM mt
), n AS (
  SELECT * EXCLUDE (src_key) FROM ${numberedByDay('u', 'CAST(created_at AS DATE)', 'created_at, type_code, src_key')} AS u
), b AS (
  -- The technician: one of those in the work order's region who can take work that month.
  SELECT n.* EXCLUDE (type_code, priority_code),
    list_extract(['install', 'maintenance', 'repair'], type_code + 1) AS type,
    list_extract(['critical', 'high', 'medium', 'low'], priority_code + 1) AS priority,
    a.customer_id, a.region, a.product_line, a.under_contract, a.list_price,
    CAST(datediff('month', ${HISTORY_START_TS}, n.created_at) AS BIGINT) AS mo
  FROM n JOIN asset_info a ON a.id = n.asset_id
), k AS (
  SELECT b.*, CAST(floor(rnd(b.id, 'wo.tech') * c.n) AS BIGINT) AS slot
  FROM b JOIN tech_count c ON c.region = b.region AND c.m = b.mo
), tk AS (
  SELECT k.*, s.technician_id FROM k JOIN tech_slot s ON s.region = k.region AND s.m = k.mo AND s.k = k.slot
), e AS (
  SELECT *,
    (type = 'repair' AND (priority = 'critical' OR (priority = 'high' AND rnd(id, 'wo.emergency') < 0.25)))
      OR rnd(id, 'wo.emergency2') < 0.01 AS emergency,
    ${lookup('region', REGION_DELAY)} * CASE WHEN month(created_at) IN (12, 1, 2) THEN 1.2 ELSE 1 END
      * CASE WHEN stressed THEN 1.6 ELSE 1 END AS delay_factor
  FROM tk
), a AS (
  SELECT id, ticket_id, asset_id, customer_id, technician_id, type, region, product_line, under_contract, list_price, emergency,
    created_at, failure_reported_at,
    CASE WHEN type <> 'repair' THEN fixed_start
         WHEN emergency THEN plus_hours(created_at, lognorm(id, 'wo.lead', 2.5, 0.5) * delay_factor)
         ELSE plus_hours(created_at, lognorm(id, 'wo.lead', ${lookup('priority', MEDIAN_LEAD_HOURS)}, 0.5) * delay_factor) END AS ready1,
    CASE WHEN emergency THEN 2 ELSE 4 END AS window_hours,
    ${lookup('region', { north: 0.15, south: 0.07, east: 0.11, west: 0.09, central: 0.06 })} + CASE WHEN stressed THEN 0.08 ELSE 0 END AS late_p,
    ${lookup('type', { repair: 1.7, install: 4.5, maintenance: 1.4 })}
      * CASE WHEN type = 'install' THEN ${lookup('product_line', { chillers: 1.6, generators: 1.3, pumps: 0.6 })} ELSE 1 END AS duration_median,
    ${lookup('type', { repair: 0.5, install: 0.3, maintenance: 0.35 })} AS duration_sigma,
    ${lookup('region', { north: 48, south: 34, east: 38, west: 36, central: 24 })} AS travel_median,
    rnd(id, 'wo.cancel') < ${lookup('type', { repair: 0.035, install: 0.02, maintenance: 0.06 })} AS cancel_draw,
    rnd(id, 'wo.ftf') < ${lookup('type', { repair: 0.69, install: 0.8, maintenance: 0.82 })}
      + ${lookup('region', { north: -0.06, south: 0.04, east: -0.01, west: 0.01, central: 0.03 }, 0)}
      + CASE WHEN type = 'repair' THEN ${lookup('product_line', { chillers: -0.06, compressors: -0.02, pumps: 0.05 }, 0)} ELSE 0 END
      - CASE WHEN stressed THEN 0.06 ELSE 0 END - CASE WHEN emergency THEN 0.04 ELSE 0 END AS fixed_first
  FROM e
), v0 AS (
  SELECT *,
    CASE WHEN cancel_draw THEN 0 WHEN fixed_first THEN 1 WHEN rnd(id, 'wo.visits') < 0.85 THEN 2 ELSE 3 END AS planned_visits,
    CASE WHEN type = 'repair' AND NOT emergency THEN business_slot(ready1, rnd(id, 'wo.slot')) ELSE ready1 END AS ws1
  FROM a
), v1 AS (${visitStage(1, 'v0')}
), v2 AS (${visitStage(2, `(SELECT *, business_slot(ready2, rnd2(id, 2, 'vi.slot')) AS ws2 FROM v1)`)}
), v3 AS (${visitStage(3, `(SELECT *, business_slot(ready3, rnd2(id, 3, 'vi.slot')) AS ws3 FROM v2)`)}
), f AS (
  SELECT *, ws1 AS scheduled_start,
    created_at + to_seconds(CAST(floor(rnd(id, 'wo.cancel.at') * datediff('second', created_at, ws1)) AS BIGINT)) AS cancel_at,
    CASE planned_visits WHEN 1 THEN dep1 WHEN 2 THEN dep2 WHEN 3 THEN dep3 END AS last_departure,
    (planned_visits >= 1 AND ws1 < ${HISTORY_END_TS})::INTEGER
      + (planned_visits >= 2 AND dep1 < ${HISTORY_END_TS} AND ws2 < ${HISTORY_END_TS})::INTEGER
      + (planned_visits >= 3 AND dep2 < ${HISTORY_END_TS} AND ws3 < ${HISTORY_END_TS})::INTEGER AS visit_count,
    (CASE WHEN planned_visits >= 1 THEN dur1 ELSE 0 END + CASE WHEN planned_visits >= 2 THEN dur2 ELSE 0 END
      + CASE WHEN planned_visits >= 3 THEN dur3 ELSE 0 END) AS onsite_hours,
    (CASE WHEN planned_visits >= 1 THEN trav1 ELSE 0 END + CASE WHEN planned_visits >= 2 THEN trav2 ELSE 0 END
      + CASE WHEN planned_visits >= 3 THEN trav3 ELSE 0 END) AS travel_total,
    CASE type
      WHEN 'repair' THEN CASE WHEN rnd(id, 'wo.parts') < 0.62 THEN lognorm(id, 'wo.parts.eur', 160, 0.9) ELSE 0 END
      WHEN 'install' THEN lognorm(id, 'wo.parts.eur', 300, 0.4)
      ELSE CASE WHEN rnd(id, 'wo.parts') < 0.45 THEN lognorm(id, 'wo.parts.eur', 40, 0.7) ELSE 0 END END AS parts_planned,
    CASE WHEN type = 'repair' AND NOT emergency
           THEN created_at + to_seconds(CAST(floor((0.1 + 0.4 * rnd(id, 'wo.dispatch')) * datediff('second', created_at, ws1)) AS BIGINT))
         WHEN type = 'repair' THEN least(ws1, plus_hours(created_at, lognorm(id, 'wo.dispatch', 0.2, 0.6)))
         ELSE greatest(created_at, plus_hours(ws1, -24 * (1 + 2 * rnd(id, 'wo.dispatch')))) END AS dispatch_draw
  FROM v3
), g AS (
  SELECT *,
    CASE WHEN cancel_draw AND cancel_at < ${HISTORY_END_TS} THEN 'cancelled'
         WHEN NOT cancel_draw AND last_departure < ${HISTORY_END_TS} THEN 'completed' ELSE 'scheduled' END AS status
  FROM f
), c AS (
  SELECT *,
    CASE WHEN status = 'completed' THEN last_departure END AS completed_at,
    CAST(round(onsite_hours * 62, 2) AS DECIMAL(18,2)) AS labour_planned,
    CAST(round(parts_planned, 2) AS DECIMAL(18,2)) AS parts_rounded,
    CAST(round(travel_total * 1.1, 2) AS DECIMAL(18,2)) AS travel_planned,
    round(onsite_hours * 62, 2) AS labour_d, round(parts_planned, 2) AS parts_d,
    dispatch_draw >= ${HISTORY_END_TS} OR (cancel_draw AND cancel_at < dispatch_draw) AS not_dispatched
  FROM g
)
SELECT id, ticket_id, asset_id, customer_id, technician_id, type, status, emergency, created_at,
  CASE WHEN not_dispatched THEN NULL ELSE dispatch_draw END AS dispatched_at,
  CASE WHEN not_dispatched THEN NULL
       ELSE rnd(id, 'wo.accept') < 0.93 - CASE WHEN emergency THEN 0.07 ELSE 0 END
         + ${lookup('region', { north: -0.03, south: 0.02, east: 0.0, west: 0.01, central: 0.01 }, 0)} END AS accepted,
  scheduled_start, completed_at,
  CASE status WHEN 'completed' THEN completed_at WHEN 'cancelled' THEN cancel_at END AS closed_at,
  failure_reported_at,
  CASE WHEN type = 'repair' THEN completed_at END AS restored_at,
  status = 'completed' AND planned_visits = 1 AS resolved_on_first_visit,
  visit_count,
  CASE WHEN status = 'completed' THEN labour_planned ELSE 0 END AS labour_cost,
  CASE WHEN status = 'completed' THEN parts_rounded ELSE 0 END AS parts_cost,
  CASE WHEN status = 'completed' THEN travel_planned ELSE 0 END AS travel_cost,
  -- In double precision, rounded to cents once (decimal products would need 128-bit arithmetic).
  CAST(CASE WHEN status = 'cancelled' THEN 0
       WHEN type = 'repair' AND under_contract THEN labour_d * 0.5 + parts_d * 1.25 + CASE WHEN emergency THEN 150 ELSE 0 END
       WHEN type = 'repair' THEN (labour_d + parts_d) * 1.6 + CASE WHEN emergency THEN 190 ELSE 95 END
       WHEN type = 'install' THEN 450 + CAST(list_price AS DOUBLE) * 0.025
       WHEN under_contract THEN 0
       ELSE (labour_d + parts_d) * 1.5 + 60 END AS DECIMAL(18,2)) AS revenue,
  planned_visits, window_hours, ws1, ws2, ws3, arr1, arr2, arr3, dep1, dep2, dep3, trav1, trav2, trav3
FROM c`);
    await sql.exec(`DROP TABLE maintenance_pick`);
    await sql.exec(`DROP TABLE tech_slot`);
    await sql.exec(`DROP TABLE tech_count`);
    await sql.exec(`DROP TABLE asset_info`);
    await sql.exec(`
INSERT INTO work_orders BY NAME
SELECT * EXCLUDE (customer_id, planned_visits, window_hours, ws1, ws2, ws3, arr1, arr2, arr3, dep1, dep2, dep3, trav1, trav2, trav3)
FROM wo_plan`);
  },
};

export const visits: Step = {
  table: 'visits',
  label: 'visits',
  async run(sql: Sql) {
    const pick = (col: string): string => `CASE visit_number WHEN 1 THEN ${col}1 WHEN 2 THEN ${col}2 ELSE ${col}3 END`;
    await sql.exec(`
INSERT INTO visits BY NAME
WITH e AS (
  SELECT id, technician_id, planned_visits, window_hours, type, ws1, ws2, ws3, arr1, arr2, arr3, dep1, dep2, dep3,
    trav1, trav2, trav3, unnest(range(1, visit_count + 1)) AS visit_number
  FROM wo_plan WHERE visit_count > 0
), v AS (
  SELECT id AS work_order_id, technician_id, visit_number, planned_visits, window_hours, type,
    ${pick('ws')} AS window_start, ${pick('arr')} AS arrive, ${pick('dep')} AS depart, ${pick('trav')} AS travel
  FROM e
), p AS (
  SELECT *,
    CASE WHEN visit_number > 1 THEN rnd2(work_order_id, visit_number, 'vi.parts') < 0.7
         WHEN planned_visits > 1 THEN rnd2(work_order_id, 1, 'vi.parts') < 0.8
         ELSE rnd2(work_order_id, 1, 'vi.parts') < ${lookup('type', { repair: 0.45, install: 0.9, maintenance: 0.2 })} END AS parts_needed,
    rnd2(work_order_id, visit_number, 'vi.on_hand') < CASE WHEN visit_number = 1 AND planned_visits > 1 THEN 0.15
      WHEN visit_number > 1 THEN 0.95 ELSE 0.96 END AS on_hand_draw
  FROM v
)
SELECT id, work_order_id, technician_id, visit_number,
  window_start, plus_hours(window_start, window_hours) AS window_end,
  plus_hours(window_start, window_hours - 0.5) AS promised_arrival_at,
  CASE WHEN arrive < ${HISTORY_END_TS} THEN arrive END AS arrived_at,
  CASE WHEN depart < ${HISTORY_END_TS} THEN depart END AS departed_at,
  round(travel, 2) AS travel_minutes, parts_needed,
  CASE WHEN parts_needed THEN on_hand_draw END AS parts_on_hand
FROM ${numberedByDay('p', 'CAST(window_start AS DATE)', 'window_start, work_order_id, visit_number')} AS p`);
  },
};

/** Proactively detected problems: the share that would reach the customer, and when (median hours after detection). */
const IMPACT_P = { visit: 0.5, remote: 0.25 };
const IMPACT_LEAD_HOURS = { visit: 24, remote: 10 };
const RESOLVE_MEDIAN_HOURS = { how_to: 3, request: 30, defect: 20, incident: 6 };
const SLA_HOURS = { critical: 8, high: 24, medium: 72, low: 120 };

export const tickets: Step = {
  table: 'tickets',
  label: 'tickets',
  async run(sql: Sql) {
    await sql.exec(`
INSERT INTO tickets BY NAME
WITH t AS (
  SELECT tb.*, w.status AS wo_status, w.closed_at AS wo_closed
  FROM ticket_base tb LEFT JOIN (SELECT ticket_id, status, closed_at FROM wo_plan WHERE ticket_id IS NOT NULL) w ON w.ticket_id = tb.id
), r AS (
  SELECT *,
    plus_hours(opened_at, CASE channel WHEN 'phone' THEN lognorm(id, 'tk.respond', 4, 0.8) WHEN 'chat' THEN lognorm(id, 'tk.respond', 3, 0.8)
      WHEN 'monitoring' THEN lognorm(id, 'tk.respond', 8, 0.7) ELSE lognorm(id, 'tk.respond', 75, 1.0) END
      * ${lookup('region', REGION_DELAY)} * CASE WHEN stressed THEN 2.5 ELSE 1 END / 60) AS response_ts,
    rnd(id, 'tk.silent') < 0.02 AS silent,
    NOT needs_visit AND rnd(id, 'tk.fcr') < ${lookup('category', { how_to: 0.7, request: 0.35, defect: 0.25, incident: 0.3 })} AS fcr,
    lognorm(id, 'tk.resolve', ${lookup('category', RESOLVE_MEDIAN_HOURS)}, 1.0) * ${lookup('region', REGION_DELAY)}
      * CASE WHEN stressed THEN 3 ELSE 1 END AS resolve_hours,
    lognorm(id, 'tk.close', 20, 0.9) * CASE WHEN stressed THEN 12 ELSE 1 END AS close_hours,
    not needs_visit AND category IN ('how_to', 'request') AND rnd(id, 'tk.no_asset') < CASE category WHEN 'how_to' THEN 0.3 ELSE 0.2 END AS no_asset
  FROM t
), s AS (
  SELECT *,
    CASE WHEN needs_visit THEN CASE wo_status
           WHEN 'completed' THEN plus_hours(wo_closed, lognorm(id, 'tk.after', 0.5, 0.6))
           WHEN 'cancelled' THEN plus_hours(wo_closed, lognorm(id, 'tk.after', 2, 0.6)) END
         WHEN fcr THEN plus_hours(response_ts, lognorm(id, 'tk.fcr.minutes', 12, 0.6) / 60)
         ELSE greatest(plus_hours(opened_at, resolve_hours), plus_hours(response_ts, 0.1)) END AS resolve_ts
  FROM r
), i AS (
  -- When the customer was first affected. A customer who reports a problem noticed it a while
  -- before (questions and requests affect them when they ask). A problem that monitoring or a
  -- prediction found first would reach some customers after a while (sooner and more often
  -- when it needs a technician): it did, unless it was resolved first, and then it never did.
  SELECT *,
    CASE WHEN NOT detected_proactively THEN
           CASE WHEN category IN ('how_to', 'request') THEN opened_at
                ELSE plus_hours(opened_at, -lognorm(id, 'tk.impact', CASE category WHEN 'incident' THEN 0.5 ELSE 8 END, 1.2)) END
         WHEN rnd(id, 'tk.impact.p') < CASE WHEN needs_visit THEN ${IMPACT_P.visit} ELSE ${IMPACT_P.remote} END
           THEN plus_hours(opened_at, lognorm(id, 'tk.impact', CASE WHEN needs_visit THEN ${IMPACT_LEAD_HOURS.visit} ELSE ${IMPACT_LEAD_HOURS.remote} END, 1.0))
    END AS impact_draw
  FROM s
)
SELECT id, customer_id, CASE WHEN no_asset THEN NULL ELSE asset_id END AS asset_id, opened_at,
  CASE WHEN response_ts < ${HISTORY_END_TS} AND NOT silent THEN response_ts END AS first_response_at,
  CASE WHEN resolve_ts < ${HISTORY_END_TS} THEN resolve_ts END AS resolved_at,
  CASE WHEN plus_hours(resolve_ts, close_hours) < ${HISTORY_END_TS} THEN plus_hours(resolve_ts, close_hours) END AS closed_at,
  plus_hours(opened_at, ${lookup('priority', SLA_HOURS)}) AS sla_due_at,
  category, priority, channel,
  fcr AND resolve_ts < ${HISTORY_END_TS} AS resolved_first_contact,
  NOT needs_visit AND resolve_ts < ${HISTORY_END_TS} AS resolved_remotely,
  detected_proactively, needs_visit,
  CAST((lognorm(id, 'tk.handle', CASE WHEN fcr THEN 0.25 ELSE 0.6 END, 0.6) + CASE WHEN needs_visit THEN 0.3 ELSE 0 END) * 48 AS DECIMAL(18,2))
    AS service_cost,
  CASE WHEN NOT detected_proactively OR impact_draw < coalesce(resolve_ts, ${HISTORY_END_TS}) AND impact_draw < ${HISTORY_END_TS}
       THEN impact_draw END AS customer_impact_at
FROM i`);
  },
};
