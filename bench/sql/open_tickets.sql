-- open_tickets: tickets open at the quarter's end.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
open AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN tickets AS t ON t.opened_at < p.period_end AND coalesce(t.closed_at, TIMESTAMP 'infinity') >= p.period_end
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(o.n, 0)::DOUBLE AS value
FROM periods AS p
LEFT JOIN open AS o USING (period)
ORDER BY 1;
