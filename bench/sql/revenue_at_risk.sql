-- revenue_at_risk: monthly recurring revenue of the customer health rows in force at the quarter's end with health at risk.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
at_risk AS (
  SELECT p.period, sum(h.monthly_recurring_revenue) AS mrr
  FROM periods AS p
  JOIN customer_health AS h ON h.valid_from < p.period_end AND coalesce(h.valid_to, DATE 'infinity') >= p.period_end
  WHERE h.health = 'at_risk'
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(a.mrr, 0)::DOUBLE AS value
FROM periods AS p
LEFT JOIN at_risk AS a USING (period)
ORDER BY 1;
