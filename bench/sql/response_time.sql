-- response_time: mean hours from a ticket's opening to the first technician's arrival over all its
-- work orders' visits, for tickets needing a visit, by quarter of that first arrival.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
first_arrival AS (
  SELECT w.ticket_id, min(v.arrived_at) AS arrived_at
  FROM visits AS v
  JOIN work_orders AS w ON w.id = v.work_order_id
  WHERE w.ticket_id IS NOT NULL
  GROUP BY 1
),
r AS (
  SELECT date_trunc('quarter', f.arrived_at) AS period, avg(epoch(f.arrived_at - t.opened_at) / 3600) AS hours
  FROM first_arrival AS f
  JOIN tickets AS t ON t.id = f.ticket_id
  WHERE t.needs_visit
    AND f.arrived_at >= date_trunc('quarter', $from::TIMESTAMP) AND f.arrived_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hours AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
