-- customers_at_risk_rate: of the customers active at the quarter's end, the share whose health is at risk.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
at_end AS (
  SELECT p.period, count(*) FILTER (WHERE c.health = 'at_risk') AS at_risk, count(*) AS active
  FROM periods AS p
  JOIN customers AS c ON c.created_at < p.period_end AND coalesce(c.churned_at, DATE 'infinity') >= p.period_end
  GROUP BY 1
)
SELECT p.period::DATE AS period, e.at_risk / nullif(e.active, 0) AS value
FROM periods AS p
LEFT JOIN at_end AS e USING (period)
ORDER BY 1;
