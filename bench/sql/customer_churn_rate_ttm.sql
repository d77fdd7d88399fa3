-- customer_churn_rate_ttm: customers lost in the 12 months up to each month's end, over the
-- customers alive at the end of the same month a year before (the window's start).
WITH periods AS (
  SELECT period, period + INTERVAL 1 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('month', $from::TIMESTAMP), date_trunc('month', $to::TIMESTAMP) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)) AS period) AS t
),
lost AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN customers AS c ON c.churned_at >= p.period_end - INTERVAL 12 MONTH AND c.churned_at < p.period_end
  GROUP BY 1
),
base AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN customers AS c ON c.created_at < p.period_end - INTERVAL 12 MONTH AND coalesce(c.churned_at, DATE 'infinity') >= p.period_end - INTERVAL 12 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(l.n, 0) / nullif(b.n, 0) AS value
FROM periods AS p
LEFT JOIN lost AS l USING (period)
LEFT JOIN base AS b USING (period)
ORDER BY 1;
