-- response_time: mean hours from a ticket's opening to the technician's arrival on the first visit
-- of its work order, by quarter of arrival.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', v.arrived_at) AS period, avg(epoch(v.arrived_at - t.opened_at) / 3600) AS hours
  FROM visits AS v
  JOIN work_orders AS w ON w.id = v.work_order_id
  JOIN tickets AS t ON t.id = w.ticket_id
  WHERE v.visit_number = 1 AND t.needs_visit
    AND v.arrived_at >= date_trunc('quarter', $from::TIMESTAMP) AND v.arrived_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hours AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
