-- training_hours_per_technician: training hours on the quarter's timesheets per technician employed
-- during the quarter.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
training AS (
  SELECT date_trunc('quarter', work_date)::TIMESTAMP AS period, sum(training_hours) AS hours
  FROM timesheets
  WHERE work_date >= date_trunc('quarter', $from::DATE) AND work_date < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
),
staff AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN technicians AS t ON t.hired_at < p.period_end AND coalesce(t.left_at, DATE 'infinity') > p.period
  GROUP BY 1
)
SELECT p.period::DATE AS period, tr.hours / nullif(s.n, 0) AS value
FROM periods AS p
LEFT JOIN training AS tr USING (period)
LEFT JOIN staff AS s USING (period)
ORDER BY 1;
