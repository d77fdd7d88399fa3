-- customer_churn_rate: customers lost in the month over the customers active at its start.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('month', $from::TIMESTAMP), date_trunc('month', $to::TIMESTAMP) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)) AS period) AS t
),
lost AS (
  SELECT date_trunc('month', churned_at)::TIMESTAMP AS period, count(*) AS n
  FROM customers
  WHERE churned_at >= date_trunc('month', $from::DATE) AND churned_at < date_trunc('month', $to::DATE) + INTERVAL 1 MONTH
  GROUP BY 1
),
at_start AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN customers AS c ON c.created_at <= p.period AND coalesce(c.churned_at, DATE 'infinity') > p.period
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(l.n, 0) / nullif(s.n, 0) AS value
FROM periods AS p
LEFT JOIN lost AS l USING (period)
LEFT JOIN at_start AS s USING (period)
ORDER BY 1;
