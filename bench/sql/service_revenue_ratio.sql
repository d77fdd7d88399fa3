-- service_revenue_ratio: service and recurring revenue over all revenue booked in the quarter.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', booked_at)::TIMESTAMP AS period,
    coalesce(sum(amount) FILTER (WHERE kind IN ('service', 'recurring')), 0) AS service, sum(amount) AS total
  FROM revenue
  WHERE booked_at >= date_trunc('quarter', $from::DATE) AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.service / nullif(r.total, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
