// Customers, technicians and technicians' timesheets.

import type { Params, Sql, Step } from './step.js';
import { HISTORY_DAYS, HISTORY_END, HISTORY_MONTHS, HISTORY_START, choose, lookup, pickFrom } from './sql.js';

const COMPANY_WORDS = ['Alder', 'Brandt', 'Castell', 'Dorn', 'Ebert', 'Falk', 'Greif', 'Hansa', 'Iser', 'Jura', 'Kessler',
  'Lindner', 'Mohr', 'Nordwerk', 'Oster', 'Pfalz', 'Quell', 'Rhein', 'Stein', 'Thal', 'Ulm', 'Vogt', 'Weser', 'Zeller'];
const SECTORS = ['Foods', 'Logistics', 'Pharma', 'Plastics', 'Metals', 'Hospital', 'Data Centre', 'Hotels', 'Retail',
  'Motors', 'Chemicals', 'Print', 'Textiles', 'Brewing', 'Glass', 'Cold Storage'];
const LEGAL_FORMS = ['GmbH', 'AG', 'KG', 'SE', 'Ltd', 'BV'];
const FIRST_NAMES = ['Anna', 'Ben', 'Clara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Katrin', 'Luca',
  'Mara', 'Noah', 'Olga', 'Paul', 'Rosa', 'Sven', 'Tara', 'Uwe', 'Vera', 'Wim', 'Yara', 'Zoe'];
const LAST_NAMES = ['Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Jansen', 'Kowalski', 'Lang',
  'Meyer', 'Novak', 'Olsen', 'Peters', 'Rossi', 'Schmidt', 'Toth', 'Vos', 'Weber', 'Young'];

const REGION_WEIGHTS = { north: 0.18, south: 0.22, east: 0.17, west: 0.21, central: 0.22 };

/** New customers and hires arrive with a density rising linearly over the history (growth). */
const growthDay = (u: string): string => `CAST(floor(1461 * (sqrt(1 + 3 * ${u}) - 1)) AS INTEGER)`;

export const customers: Step = {
  table: 'customers',
  label: 'customers',
  async run(sql: Sql, p: Params) {
    await sql.exec(`
INSERT INTO customers BY NAME
WITH b AS (
  SELECT i AS id, rnd(i, 'cu.old') < 0.5 AS old, rnd(i, 'cu.region') AS u_region, rnd(i, 'cu.segment') AS u_segment,
    rnd(i, 'cu.channel') AS u_channel, rnd(i, 'cu.created') AS u_created, rnd(i, 'cu.churn') AS u_churn,
    rnd(i, 'cu.health') AS u_health, nrm(i, 'cu.mrr') AS n_mrr,
    rnd(i, 'cu.n1') AS u_n1, rnd(i, 'cu.n2') AS u_n2, rnd(i, 'cu.n3') AS u_n3
  FROM range(1, ${p.customers + 1}) t(i)
), c AS (
  SELECT *,
    ${choose('u_region', REGION_WEIGHTS)} AS region,
    ${choose('u_segment', { enterprise: 0.13, mid_market: 0.33, small_business: 0.54 })} AS segment,
    ${choose('u_health', { healthy: 0.78, at_risk: 0.15, angry: 0.07 })} AS health,
    CASE WHEN old THEN DATE '2015-01-01' + CAST(floor(u_created * 2557) AS INTEGER)
         ELSE ${HISTORY_START} + ${growthDay('u_created')} END AS created_at
  FROM b
), d AS (
  SELECT *,
    CASE segment
      WHEN 'enterprise' THEN ${choose('u_channel', { direct: 0.8, partner: 0.2 })}
      WHEN 'mid_market' THEN ${choose('u_channel', { direct: 0.45, partner: 0.4, online: 0.15 })}
      ELSE ${choose('u_channel', { direct: 0.15, partner: 0.35, online: 0.5 })} END AS channel,
    -- Monthly churn hazard: unhappy and small customers leave sooner.
    ${lookup('health', { healthy: 0.0075, at_risk: 0.028, angry: 0.06 })}
      * ${lookup('segment', { enterprise: 0.5, mid_market: 0.9, small_business: 1.3 })} AS hazard
  FROM c
), e AS (
  SELECT *, greatest(created_at, ${HISTORY_START}) + CAST(1 + floor(-ln(u_churn) / hazard * 30.44) AS INTEGER) AS churn_day
  FROM d
)
SELECT id,
  ${pickFrom('u_n1', COMPANY_WORDS)} || ' ' || ${pickFrom('u_n2', SECTORS)} || ' ' || ${pickFrom('u_n3', LEGAL_FORMS)} AS name,
  region, segment, channel, created_at,
  CASE WHEN churn_day < ${HISTORY_END} THEN churn_day END AS churned_at,
  health,
  CAST(${lookup('segment', { enterprise: 1150, mid_market: 320, small_business: 85 })} * exp(0.45 * n_mrr - 0.1) AS DECIMAL(18,2))
    AS monthly_recurring_revenue
FROM e`);
  },
};

export const technicians: Step = {
  table: 'technicians',
  label: 'technicians',
  async run(sql: Sql, p: Params) {
    // The first ten technicians (two per region) are long-serving staff who never leave, so every
    // region has someone to dispatch in every month.
    await sql.exec(`
INSERT INTO technicians BY NAME
WITH b AS (
  SELECT i AS id, i <= 10 AS core, rnd(i, 'te.region') AS u_region, rnd(i, 'te.hired') AS u_hired,
    rnd(i, 'te.old') < 0.6 AS old, rnd(i, 'te.left') AS u_left, rnd(i, 'te.n1') AS u_n1, rnd(i, 'te.n2') AS u_n2
  FROM range(1, ${p.technicians + 1}) t(i)
), c AS (
  SELECT *,
    CASE WHEN core THEN list_extract(['north', 'south', 'east', 'west', 'central'], CAST((id - 1) % 5 + 1 AS INTEGER))
         ELSE ${choose('u_region', REGION_WEIGHTS)} END AS region,
    CASE WHEN core OR old THEN DATE '2012-01-01' + CAST(floor(u_hired * 3652) AS INTEGER)
         ELSE ${HISTORY_START} + ${growthDay('u_hired')} END AS hired_at
  FROM b
), d AS (
  SELECT *, CASE WHEN core THEN NULL
    ELSE greatest(hired_at, ${HISTORY_START}) + CAST(30 + floor(-ln(u_left) / 0.11 * 365.25) AS INTEGER) END AS leave_day
  FROM c
)
SELECT id, ${pickFrom('u_n1', FIRST_NAMES)} || ' ' || ${pickFrom('u_n2', LAST_NAMES)} AS name, region,
  hired_at, CASE WHEN leave_day < ${HISTORY_END} THEN leave_day END AS left_at,
  leave_day IS NULL OR leave_day >= ${HISTORY_END} AS active
FROM d`);
    // Technicians who can take work created in month m of the history: employed for the whole
    // month and the two after it (so return visits never fall after they leave), numbered per region.
    await sql.exec(`
CREATE TEMP TABLE tech_slot AS
SELECT region, m, row_number() OVER (PARTITION BY region, m ORDER BY id) - 1 AS k, id AS technician_id
FROM technicians, range(${HISTORY_MONTHS}) r(m)
WHERE hired_at <= ${HISTORY_START} + to_months(m)
  AND (left_at IS NULL OR left_at >= ${HISTORY_START} + to_months(m + 3))`);
    await sql.exec(`CREATE TEMP TABLE tech_count AS SELECT region, m, count(*) AS n FROM tech_slot GROUP BY region, m`);
  },
};

export const timesheets: Step = {
  table: 'timesheets',
  label: 'timesheets',
  async run(sql: Sql) {
    // One row per technician per weekday employed. Utilisation varies by region (travel-heavy
    // north is lower) and season (winter peak, August holidays).
    // Ids run by technician, then date, and are computed without a sort: weekdays(n), the number
    // of weekdays among the first n days of the history (which starts on a Saturday), gives each
    // row's place within its technician, and a running total over technicians the offset.
    const weekdays = (n: string): string => `(5 * ((${n}) // 7) + list_extract([0, 0, 0, 1, 2, 3, 4], CAST((${n}) % 7 AS INTEGER) + 1))`;
    await sql.exec(`
INSERT INTO timesheets BY NAME
WITH s AS (
  SELECT id, region, greatest(0, datediff('day', ${HISTORY_START}, hired_at)) AS d0,
    CASE WHEN left_at IS NULL THEN ${HISTORY_DAYS} ELSE least(${HISTORY_DAYS}, datediff('day', ${HISTORY_START}, left_at)) END AS d1
  FROM technicians
), o AS (
  SELECT *, sum(cnt) OVER (ORDER BY id) - cnt AS offset_rows
  FROM (SELECT *, CASE WHEN d1 > d0 THEN ${weekdays('d1')} - ${weekdays('d0')} ELSE 0 END AS cnt FROM s)
), e AS (
  SELECT id, region, d0, offset_rows, unnest(range(d0, greatest(d0, d1))) AS n FROM o
), d AS (
  SELECT id AS technician_id, region, CAST(${HISTORY_START} + CAST(n AS INTEGER) AS DATE) AS work_date,
    offset_rows + ${weekdays('n')} - ${weekdays('d0')} + 1 AS row_id
  FROM e
  WHERE n % 7 >= 2
), k AS (
  SELECT *, technician_id * 10000 + datediff('day', ${HISTORY_START}, work_date) AS key,
    CASE WHEN month(work_date) = 8 THEN 0.22 WHEN month(work_date) = 12 AND day(work_date) > 20 THEN 0.3 ELSE 0.045 END AS p_leave
  FROM d
), u AS (
  SELECT *, rnd(key, 'ts.leave') < p_leave AS on_leave, rnd(key, 'ts.training') AS u_training,
    0.74 + ${lookup('region', { north: -0.06, south: 0.02, east: -0.01, west: 0.0, central: 0.05 }, 0)}
      + ${lookup('month(work_date)', { 1: 0.04, 2: 0.04, 12: 0.03, 7: -0.03, 8: -0.06 }, 0)}
      + 0.12 * nrm(key, 'ts.util') AS util
  FROM k
), h AS (
  SELECT *,
    CASE WHEN on_leave THEN 0 WHEN u_training < 0.02 THEN 8 WHEN u_training < 0.1 THEN 1.5 ELSE 0 END AS training_hours
  FROM u
)
SELECT row_id AS id, technician_id, work_date,
  8 AS paid_hours, training_hours,
  CASE WHEN on_leave OR training_hours >= 8 THEN 0 ELSE 7.5 - training_hours END AS available_hours,
  CASE WHEN on_leave OR training_hours >= 8 THEN 0
       ELSE round((7.5 - training_hours) * least(1.0, greatest(0.15, util)) * 4) / 4 END AS billable_hours
FROM h`);
  },
};
