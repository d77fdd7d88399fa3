-- recurring_revenue_rate: growth of the recurring revenue booked in the quarter over the quarter before.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP) - INTERVAL 3 MONTH, date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', booked_at)::TIMESTAMP AS period, sum(amount) AS amount
  FROM revenue
  WHERE kind = 'recurring'
    AND booked_at >= date_trunc('quarter', $from::DATE) - INTERVAL 3 MONTH AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
),
growth AS (
  SELECT p.period, (r.amount - lag(r.amount) OVER w) / nullif(lag(r.amount) OVER w, 0) AS value
  FROM periods AS p
  LEFT JOIN r USING (period)
  WINDOW w AS (ORDER BY p.period)
)
SELECT period::DATE AS period, value
FROM growth
WHERE period >= date_trunc('quarter', $from::TIMESTAMP)
ORDER BY 1;
