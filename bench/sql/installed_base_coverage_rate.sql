-- installed_base_coverage_rate: at the quarter's end, installed assets under an active contract plus
-- monitored assets never under contract, over all installed assets.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
contracted AS (
  SELECT p.period, count(DISTINCT c.asset_id) AS n
  FROM periods AS p
  JOIN contracts AS c ON c.start_date < p.period_end AND coalesce(c.end_date, DATE 'infinity') >= p.period_end
  JOIN assets AS a ON a.id = c.asset_id
  WHERE a.installed_at < p.period_end AND (a.decommissioned_at IS NULL OR a.decommissioned_at >= p.period_end)
  GROUP BY 1
),
monitored AS (
  SELECT p.period, count(DISTINCT m.asset_id) AS n
  FROM periods AS p
  JOIN monitored_systems AS m ON m.monitored_from < p.period_end AND coalesce(m.monitored_to, DATE 'infinity') >= p.period_end
  JOIN assets AS a ON a.id = m.asset_id
  WHERE NOT a.under_contract AND a.installed_at < p.period_end AND (a.decommissioned_at IS NULL OR a.decommissioned_at >= p.period_end)
  GROUP BY 1
),
installed AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN assets AS a ON a.installed_at < p.period_end AND coalesce(a.decommissioned_at, DATE 'infinity') >= p.period_end
  GROUP BY 1
)
SELECT p.period::DATE AS period, (coalesce(c.n, 0) + coalesce(m.n, 0)) / nullif(i.n, 0) AS value
FROM periods AS p
LEFT JOIN contracted AS c USING (period)
LEFT JOIN monitored AS m USING (period)
LEFT JOIN installed AS i USING (period)
ORDER BY 1;
