-- schedule_adherence: the share of the visits scheduled in the quarter that started inside their window.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', window_start) AS period, count(*) FILTER (WHERE arrived_at >= window_start AND arrived_at <= window_end) AS hits, count(*) AS n
  FROM visits
  WHERE window_start >= date_trunc('quarter', $from::TIMESTAMP) AND window_start < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hits / nullif(r.n, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
