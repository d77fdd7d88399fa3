-- engaged_customer_rate: distinct customers with an engagement in the quarter over the customers
-- active during it.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
engaged AS (
  SELECT date_trunc('quarter', occurred_at) AS period, count(DISTINCT customer_id) AS n
  FROM engagements
  WHERE occurred_at >= date_trunc('quarter', $from::TIMESTAMP) AND occurred_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
active AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN customers AS c ON c.created_at < p.period_end AND coalesce(c.churned_at, DATE 'infinity') > p.period
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(e.n, 0) / nullif(a.n, 0) AS value
FROM periods AS p
LEFT JOIN engaged AS e USING (period)
LEFT JOIN active AS a USING (period)
ORDER BY 1;
