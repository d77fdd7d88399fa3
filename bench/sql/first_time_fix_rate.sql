-- first_time_fix_rate: the share of completed work orders fixed on the first visit, by quarter of completion.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', completed_at) AS period, count(*) FILTER (WHERE status = 'completed' AND resolved_on_first_visit) AS hits, count(*) FILTER (WHERE status = 'completed') AS n
  FROM work_orders
  WHERE completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hits / nullif(r.n, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
