-- job_acceptance_rate: the share of the work orders dispatched in the quarter that the technician accepted.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', dispatched_at) AS period, count(*) FILTER (WHERE accepted) AS hits, count(*) AS n
  FROM work_orders
  WHERE dispatched_at >= date_trunc('quarter', $from::TIMESTAMP) AND dispatched_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hits / nullif(r.n, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
