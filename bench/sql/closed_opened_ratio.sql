-- closed_opened_ratio: tickets closed in the quarter over tickets opened in it.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
closed AS (
  SELECT date_trunc('quarter', closed_at) AS period, count(*) AS n
  FROM tickets
  WHERE closed_at >= date_trunc('quarter', $from::TIMESTAMP) AND closed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
opened AS (
  SELECT date_trunc('quarter', opened_at) AS period, count(*) AS n
  FROM tickets
  WHERE opened_at >= date_trunc('quarter', $from::TIMESTAMP) AND opened_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(c.n, 0) / nullif(o.n, 0) AS value
FROM periods AS p
LEFT JOIN closed AS c USING (period)
LEFT JOIN opened AS o USING (period)
ORDER BY 1;
