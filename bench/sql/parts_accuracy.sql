-- parts_accuracy: of the visits scheduled in the quarter that needed parts, the share that had them on hand.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', window_start) AS period, count(*) FILTER (WHERE parts_needed AND parts_on_hand) AS hits, count(*) FILTER (WHERE parts_needed) AS n
  FROM visits
  WHERE window_start >= date_trunc('quarter', $from::TIMESTAMP) AND window_start < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hits / nullif(r.n, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
