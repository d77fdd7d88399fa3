-- field_engineer_utilization: repair and maintenance visits arrived in the quarter plus installs
-- completed in it, per technician employed during the quarter.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
service_visits AS (
  SELECT date_trunc('quarter', v.arrived_at) AS period, count(*) AS n
  FROM visits AS v
  JOIN work_orders AS w ON w.id = v.work_order_id
  WHERE w.type IN ('repair', 'maintenance')
    AND v.arrived_at >= date_trunc('quarter', $from::TIMESTAMP) AND v.arrived_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
installs AS (
  SELECT date_trunc('quarter', completed_at) AS period, count(*) AS n
  FROM work_orders
  WHERE type = 'install' AND status = 'completed'
    AND completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
engineers AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN technicians AS t ON t.hired_at < p.period_end AND coalesce(t.left_at, DATE 'infinity') > p.period
  GROUP BY 1
)
SELECT p.period::DATE AS period, (coalesce(v.n, 0) + coalesce(i.n, 0)) / nullif(e.n, 0) AS value
FROM periods AS p
LEFT JOIN service_visits AS v USING (period)
LEFT JOIN installs AS i USING (period)
LEFT JOIN engineers AS e USING (period)
ORDER BY 1;
