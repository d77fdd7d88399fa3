-- security_breach_rate: security breaches started in the quarter per system monitored during it.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
breaches AS (
  SELECT date_trunc('quarter', started_at) AS period, count(*) AS n
  FROM incidents
  WHERE security_breach
    AND started_at >= date_trunc('quarter', $from::TIMESTAMP) AND started_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
systems AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN monitored_systems AS m ON m.monitored_from < p.period_end AND coalesce(m.monitored_to, DATE 'infinity') > p.period
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(b.n, 0) / nullif(s.n, 0) AS value
FROM periods AS p
LEFT JOIN breaches AS b USING (period)
LEFT JOIN systems AS s USING (period)
ORDER BY 1;
