-- proactive_resolution_rate: the share of the tickets resolved in the quarter that were detected proactively and resolved before the customer was affected.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', resolved_at) AS period,
    count(*) FILTER (WHERE detected_proactively AND (customer_impact_at IS NULL OR resolved_at < customer_impact_at)) AS hits,
    count(*) AS n
  FROM tickets
  WHERE resolved_at >= date_trunc('quarter', $from::TIMESTAMP) AND resolved_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hits / nullif(r.n, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
