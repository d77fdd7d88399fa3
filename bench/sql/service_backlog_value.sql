-- service_backlog_value: revenue of the work orders open (created, not closed) at the quarter's end.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
backlog AS (
  SELECT p.period, sum(w.revenue) AS value
  FROM periods AS p
  JOIN work_orders AS w ON w.created_at < p.period_end AND coalesce(w.closed_at, TIMESTAMP 'infinity') >= p.period_end
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(b.value, 0)::DOUBLE AS value
FROM periods AS p
LEFT JOIN backlog AS b USING (period)
ORDER BY 1;
