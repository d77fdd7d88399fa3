-- emergency_dispatch_rate: the share of the work orders created in the quarter that are emergencies.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
w AS (
  SELECT date_trunc('quarter', created_at) AS period, count(*) FILTER (WHERE emergency) AS emergencies, count(*) AS n
  FROM work_orders
  WHERE created_at >= date_trunc('quarter', $from::TIMESTAMP) AND created_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, w.emergencies / nullif(w.n, 0) AS value
FROM periods AS p
LEFT JOIN w USING (period)
ORDER BY 1;
