-- predictive_maintenance_accuracy: the share of the failure predictions made in the quarter that were confirmed.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', predicted_at) AS period, count(*) FILTER (WHERE confirmed) AS hits, count(*) AS n
  FROM predictions
  WHERE predicted_at >= date_trunc('quarter', $from::TIMESTAMP) AND predicted_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hits / nullif(r.n, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
