-- average_travel_time: mean travel minutes of the visits whose window starts in the quarter.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
v AS (
  SELECT date_trunc('quarter', window_start) AS period, avg(travel_minutes) AS minutes
  FROM visits
  WHERE window_start >= date_trunc('quarter', $from::TIMESTAMP) AND window_start < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, v.minutes::DOUBLE AS value
FROM periods AS p
LEFT JOIN v USING (period)
ORDER BY 1;
