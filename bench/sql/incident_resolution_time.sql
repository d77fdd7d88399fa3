-- incident_resolution_time: mean hours from the start of an incident to its resolution, by quarter of resolution.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', resolved_at) AS period, avg(epoch(resolved_at - started_at) / 3600) AS value
  FROM incidents
  WHERE resolved_at >= date_trunc('quarter', $from::TIMESTAMP) AND resolved_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
