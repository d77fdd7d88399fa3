-- resource_utilization_rate: billable hours over paid hours on the timesheets of the quarter.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
h AS (
  SELECT date_trunc('quarter', work_date)::TIMESTAMP AS period, sum(billable_hours) AS a, sum(paid_hours) AS b
  FROM timesheets
  WHERE work_date >= date_trunc('quarter', $from::DATE) AND work_date < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, h.a / nullif(h.b, 0) AS value
FROM periods AS p
LEFT JOIN h USING (period)
ORDER BY 1;
