-- job_completion_rate: of the work orders scheduled to start in the quarter, the share completed
-- before the quarter ended.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
w AS (
  SELECT date_trunc('quarter', scheduled_start) AS period,
    count(*) FILTER (WHERE status = 'completed' AND completed_at < date_trunc('quarter', scheduled_start) + INTERVAL 3 MONTH) AS done,
    count(*) AS n
  FROM work_orders
  WHERE scheduled_start >= date_trunc('quarter', $from::TIMESTAMP) AND scheduled_start < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, w.done / nullif(w.n, 0) AS value
FROM periods AS p
LEFT JOIN w USING (period)
ORDER BY 1;
