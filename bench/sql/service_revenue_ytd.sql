-- service_revenue_ytd: service and recurring revenue from January 1st to each month's end.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('month', $from::TIMESTAMP), date_trunc('month', $to::TIMESTAMP) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)) AS period) AS t
),
monthly AS (
  SELECT date_trunc('month', booked_at)::TIMESTAMP AS period, sum(amount) AS amount
  FROM revenue
  WHERE kind IN ('service', 'recurring')
    AND booked_at >= date_trunc('year', $from::DATE) AND booked_at < date_trunc('month', $to::DATE) + INTERVAL 1 MONTH
  GROUP BY 1
),
ytd AS (
  SELECT p.period, sum(m.amount) OVER (PARTITION BY date_trunc('year', p.period) ORDER BY p.period) AS amount, count(m.amount) OVER (PARTITION BY date_trunc('year', p.period) ORDER BY p.period) AS months
  FROM (SELECT period FROM periods UNION SELECT period FROM monthly) AS p
  LEFT JOIN monthly AS m USING (period)
)
SELECT p.period::DATE AS period, CASE WHEN y.months > 0 THEN y.amount::DOUBLE END AS value
FROM periods AS p
JOIN ytd AS y USING (period)
ORDER BY 1;
