-- network_uptime: 1 minus the outage minutes of the incidents started in the quarter over the
-- minutes the monitored systems were monitored in it.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
outage AS (
  SELECT date_trunc('quarter', started_at) AS period, sum(outage_minutes) AS minutes
  FROM incidents
  WHERE started_at >= date_trunc('quarter', $from::TIMESTAMP) AND started_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
monitored AS (
  SELECT p.period,
    sum(epoch(least(coalesce(m.monitored_to::TIMESTAMP, p.period_end), p.period_end) - greatest(m.monitored_from::TIMESTAMP, p.period)) / 60) AS minutes
  FROM periods AS p
  JOIN monitored_systems AS m ON m.monitored_from < p.period_end AND coalesce(m.monitored_to, DATE 'infinity') > p.period
  GROUP BY 1
)
SELECT p.period::DATE AS period, 1 - coalesce(o.minutes, 0) / nullif(m.minutes, 0) AS value
FROM periods AS p
LEFT JOIN outage AS o USING (period)
LEFT JOIN monitored AS m USING (period)
ORDER BY 1;
