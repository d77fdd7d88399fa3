-- mean_time_to_repair: mean hours from the failure report to service restored, over the repair
-- work orders completed in the quarter.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
w AS (
  SELECT date_trunc('quarter', completed_at) AS period, avg(epoch(restored_at - failure_reported_at) / 3600) AS hours
  FROM work_orders
  WHERE type = 'repair' AND status = 'completed'
    AND completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, w.hours AS value
FROM periods AS p
LEFT JOIN w USING (period)
ORDER BY 1;
