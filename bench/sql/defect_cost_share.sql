-- defect_cost_share: the share of all direct delivery cost (desk by resolution, field by completion,
-- other by booking) that is caused by defects.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
desk AS (
  SELECT date_trunc('quarter', resolved_at) AS period,
    sum(service_cost) FILTER (WHERE category = 'defect') AS defect, sum(service_cost) AS total
  FROM tickets
  WHERE resolved_at >= date_trunc('quarter', $from::TIMESTAMP) AND resolved_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
field AS (
  SELECT date_trunc('quarter', w.completed_at) AS period,
    sum(w.labour_cost + w.parts_cost + w.travel_cost) FILTER (WHERE t.category = 'defect') AS defect,
    sum(w.labour_cost + w.parts_cost + w.travel_cost) AS total
  FROM work_orders AS w
  LEFT JOIN tickets AS t ON t.id = w.ticket_id
  WHERE w.completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND w.completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
other AS (
  SELECT date_trunc('quarter', booked_at)::TIMESTAMP AS period,
    sum(amount) FILTER (WHERE defect_related) AS defect, sum(amount) AS total
  FROM service_costs
  WHERE booked_at >= date_trunc('quarter', $from::DATE) AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period,
  (coalesce(d.defect, 0) + coalesce(f.defect, 0) + coalesce(o.defect, 0))
    / nullif(coalesce(d.total, 0) + coalesce(f.total, 0) + coalesce(o.total, 0), 0) AS value
FROM periods AS p
LEFT JOIN desk AS d USING (period)
LEFT JOIN field AS f USING (period)
LEFT JOIN other AS o USING (period)
ORDER BY 1;
