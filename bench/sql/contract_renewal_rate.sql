-- contract_renewal_rate: of the contract terms due for renewal in the quarter (and running past
-- that date), the share that was renewed.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
due AS (
  SELECT date_trunc('quarter', renewal_due_at)::TIMESTAMP AS period,
    count(*) FILTER (WHERE renewed AND end_date > renewal_due_at) AS renewed,
    count(*) FILTER (WHERE end_date > renewal_due_at) AS came_up
  FROM contracts
  WHERE renewal_due_at >= date_trunc('quarter', $from::DATE) AND renewal_due_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, d.renewed / nullif(d.came_up, 0) AS value
FROM periods AS p
LEFT JOIN due AS d USING (period)
ORDER BY 1;
