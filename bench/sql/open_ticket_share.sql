-- open_ticket_share: of the tickets opened in the quarter, the share still open at its end.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
t AS (
  SELECT date_trunc('quarter', opened_at) AS period,
    count(*) FILTER (WHERE closed_at IS NULL OR closed_at >= date_trunc('quarter', opened_at) + INTERVAL 3 MONTH) AS still_open,
    count(*) AS n
  FROM tickets
  WHERE opened_at >= date_trunc('quarter', $from::TIMESTAMP) AND opened_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, t.still_open / nullif(t.n, 0) AS value
FROM periods AS p
LEFT JOIN t USING (period)
ORDER BY 1;
