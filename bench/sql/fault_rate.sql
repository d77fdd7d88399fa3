-- fault_rate: tickets opened in the quarter per asset installed at its end.
WITH periods AS (
  SELECT period, period + INTERVAL 3 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
opened AS (
  SELECT date_trunc('quarter', opened_at) AS period, count(*) AS n
  FROM tickets
  WHERE opened_at >= date_trunc('quarter', $from::TIMESTAMP) AND opened_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
installed AS (
  SELECT p.period, count(*) AS n
  FROM periods AS p
  JOIN assets AS a ON a.installed_at < p.period_end AND coalesce(a.decommissioned_at, DATE 'infinity') >= p.period_end
  GROUP BY 1
)
SELECT p.period::DATE AS period, coalesce(o.n, 0) / nullif(i.n, 0) AS value
FROM periods AS p
LEFT JOIN opened AS o USING (period)
LEFT JOIN installed AS i USING (period)
ORDER BY 1;
