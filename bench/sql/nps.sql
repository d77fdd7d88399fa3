-- nps: promoters (9-10) minus detractors (0-6), as a percentage of the NPS answers given in the quarter.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
s AS (
  SELECT date_trunc('quarter', answered_at) AS period,
    count(*) FILTER (WHERE nps_score >= 9) AS promoters,
    count(*) FILTER (WHERE nps_score <= 6) AS detractors,
    count(nps_score) AS answered
  FROM surveys
  WHERE answered_at >= date_trunc('quarter', $from::TIMESTAMP) AND answered_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, 100 * (s.promoters - s.detractors) / nullif(s.answered, 0) AS value
FROM periods AS p
LEFT JOIN s USING (period)
ORDER BY 1;
