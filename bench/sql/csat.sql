-- csat: mean CSAT score of the survey answers given in the quarter.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
s AS (
  SELECT date_trunc('quarter', answered_at) AS period, avg(csat_score) AS score
  FROM surveys
  WHERE answered_at >= date_trunc('quarter', $from::TIMESTAMP) AND answered_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, s.score AS value
FROM periods AS p
LEFT JOIN s USING (period)
ORDER BY 1;
