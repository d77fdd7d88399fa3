-- installed_base_coverage_rate: at the quarter's end, installed assets with a contract or a monitoring
-- row in force (each asset once), over all installed assets.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
covering AS (
  SELECT p.period, c.asset_id
  FROM periods AS p
  JOIN contracts AS c ON c.start_date < p.period_end AND coalesce(c.end_date, DATE 'infinity') >= p.period_end
  WHERE c.asset_id IS NOT NULL
  UNION
  SELECT p.period, m.asset_id
  FROM periods AS p
  JOIN monitored_systems AS m ON m.monitored_from < p.period_end AND coalesce(m.monitored_to, DATE 'infinity') >= p.period_end
  WHERE m.asset_id IS NOT NULL
),
installed AS (
  SELECT p.period, count(*) AS n, count(cv.asset_id) AS covered
  FROM periods AS p
  JOIN assets AS a ON a.installed_at < p.period_end AND coalesce(a.decommissioned_at, DATE 'infinity') >= p.period_end
  LEFT JOIN covering AS cv ON cv.period = p.period AND cv.asset_id = a.id
  GROUP BY 1
)
SELECT p.period::DATE AS period, i.covered / nullif(i.n, 0) AS value
FROM periods AS p
LEFT JOIN installed AS i USING (period)
ORDER BY 1;
