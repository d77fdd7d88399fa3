-- customers_at_risk_rate: customer health rows in force at the quarter's end with health at risk, over the customers active then.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
at_risk AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN customer_health AS h ON h.valid_from < p.period_end AND coalesce(h.valid_to, DATE 'infinity') >= p.period_end
  WHERE h.health = 'at_risk'
  GROUP BY 1
),
active AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN customers AS c ON c.created_at < p.period_end AND coalesce(c.churned_at, DATE 'infinity') >= p.period_end
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(r.n, 0) / nullif(coalesce(a.n, 0), 0) AS value
FROM periods AS p
LEFT JOIN at_risk AS r USING (period)
LEFT JOIN active AS a USING (period)
ORDER BY 1;
