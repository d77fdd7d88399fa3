-- service_attach_rate: the share of the quarter's product sales sold with a service contract.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
r AS (
  SELECT date_trunc('quarter', sold_at) AS period, count(*) FILTER (WHERE contract_attached) AS hits, count(*) AS n
  FROM product_sales
  WHERE sold_at >= date_trunc('quarter', $from::TIMESTAMP) AND sold_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period, r.hits / nullif(r.n, 0) AS value
FROM periods AS p
LEFT JOIN r USING (period)
ORDER BY 1;
