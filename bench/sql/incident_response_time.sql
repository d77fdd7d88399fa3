-- incident_response_time: mean minutes from the start of an incident to the first response, by quarter of response.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', responded_at) AS period, avg(epoch(responded_at - started_at) / 60) AS value
  FROM incidents
  WHERE responded_at >= date_trunc('quarter', $from::TIMESTAMP) AND responded_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
