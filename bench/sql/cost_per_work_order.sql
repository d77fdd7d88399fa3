-- cost_per_work_order: labour, parts and travel of the work orders completed in the quarter, per
-- completed work order.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
wo AS (
  SELECT date_trunc('quarter', completed_at) AS period, sum(labour_cost + parts_cost + travel_cost) AS cost, count(*) AS n
  FROM work_orders
  WHERE status = 'completed'
    AND completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, w.cost / nullif(w.n, 0) AS value
FROM periods AS p
LEFT JOIN wo AS w USING (period)
ORDER BY 1;
