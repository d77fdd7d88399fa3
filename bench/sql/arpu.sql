-- arpu: recurring revenue booked in the month over the customers active at some time in it.
WITH periods AS (
  SELECT period, period + INTERVAL 1 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('month', $from::TIMESTAMP), date_trunc('month', $to::TIMESTAMP) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)) AS period) AS t
),
recurring AS (
  SELECT date_trunc('month', booked_at)::TIMESTAMP AS period, sum(amount) AS amount
  FROM revenue
  WHERE kind = 'recurring'
    AND booked_at >= date_trunc('month', $from::DATE) AND booked_at < date_trunc('month', $to::DATE) + INTERVAL 1 MONTH
  GROUP BY 1
),
active AS (
  SELECT p.period, count(*) AS customers
  FROM periods AS p
  JOIN customers AS c ON c.created_at < p.period_end AND coalesce(c.churned_at, DATE 'infinity') > p.period
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.amount / nullif(a.customers, 0) AS value
FROM periods AS p
LEFT JOIN recurring AS r USING (period)
LEFT JOIN active AS a USING (period)
ORDER BY 1;
