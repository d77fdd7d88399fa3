-- service_revenue_yoy_growth: service and recurring revenue of the quarter against the same quarter a year before.
WITH r AS (
  SELECT date_trunc('quarter', booked_at)::TIMESTAMP AS period, sum(amount) AS amount
  FROM revenue
  WHERE kind IN ('service', 'recurring')
    AND booked_at >= date_trunc('quarter', $from::DATE) - INTERVAL 12 MONTH AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
),
periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
)
SELECT p.period::DATE AS period, ((now.amount - last.amount) / nullif(last.amount, 0))::DOUBLE AS value
FROM periods AS p
LEFT JOIN r AS now ON now.period = p.period
LEFT JOIN r AS last ON last.period = p.period - INTERVAL 12 MONTH
ORDER BY 1;
