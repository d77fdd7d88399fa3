-- revenue_at_risk: monthly recurring revenue of the customers at risk and active at the quarter's end.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
at_risk AS (
  SELECT p.period, sum(c.monthly_recurring_revenue) AS mrr
  FROM periods AS p
  JOIN customers AS c ON c.created_at < p.period_end AND coalesce(c.churned_at, DATE 'infinity') >= p.period_end
  WHERE c.health = 'at_risk'
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(a.mrr, 0)::DOUBLE AS value
FROM periods AS p
LEFT JOIN at_risk AS a USING (period)
ORDER BY 1;
