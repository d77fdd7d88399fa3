-- cost_to_serve: all direct delivery cost of the quarter (field work by completion, service desk by
-- resolution, other service costs by booking) per customer served in the quarter (a completed work
-- order on one of its assets, a resolved ticket or a direct cost with an amount).
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
field AS (
  SELECT date_trunc('quarter', completed_at) AS period, sum(labour_cost + parts_cost + travel_cost) AS cost
  FROM work_orders
  WHERE completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
desk AS (
  SELECT date_trunc('quarter', resolved_at) AS period, sum(service_cost) AS cost
  FROM tickets
  WHERE resolved_at >= date_trunc('quarter', $from::TIMESTAMP) AND resolved_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
other AS (
  SELECT date_trunc('quarter', booked_at)::TIMESTAMP AS period, sum(amount) AS cost
  FROM service_costs
  WHERE booked_at >= date_trunc('quarter', $from::DATE) AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
),
served AS (
  SELECT period, count(DISTINCT customer_id) AS customers
  FROM (
    SELECT date_trunc('quarter', w.completed_at) AS period, a.customer_id
    FROM work_orders AS w JOIN assets AS a ON a.id = w.asset_id
    WHERE w.completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND w.completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
    UNION ALL
    SELECT date_trunc('quarter', resolved_at), customer_id
    FROM tickets
    WHERE resolved_at >= date_trunc('quarter', $from::TIMESTAMP) AND resolved_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
    UNION ALL
    SELECT date_trunc('quarter', booked_at)::TIMESTAMP, customer_id
    FROM service_costs
    WHERE amount IS NOT NULL AND booked_at >= date_trunc('quarter', $from::DATE) AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  ) AS activity
  JOIN customers AS c ON c.id = activity.customer_id
  WHERE c.created_at < period + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period,
  (coalesce(f.cost, 0) + coalesce(d.cost, 0) + coalesce(o.cost, 0)) / nullif(a.customers, 0) AS value
FROM periods AS p
LEFT JOIN field AS f USING (period)
LEFT JOIN desk AS d USING (period)
LEFT JOIN other AS o USING (period)
LEFT JOIN served AS a USING (period)
ORDER BY 1;
