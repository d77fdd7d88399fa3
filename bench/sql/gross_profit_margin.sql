-- gross_profit_margin: revenue booked in the quarter less the cost of goods sold (as cogs computes
-- it), over that revenue.
WITH periods AS (
  SELECT period
  FROM (SELECT unnest(range(date_trunc('quarter', $from::TIMESTAMP), date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS period) AS t
),
rev AS (
  SELECT date_trunc('quarter', booked_at)::TIMESTAMP AS period, sum(amount) AS amount
  FROM revenue
  WHERE booked_at >= date_trunc('quarter', $from::DATE) AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
),
field AS (
  SELECT date_trunc('quarter', completed_at) AS period, sum(labour_cost + parts_cost) AS cost
  FROM work_orders
  WHERE completed_at >= date_trunc('quarter', $from::TIMESTAMP) AND completed_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
desk AS (
  SELECT date_trunc('quarter', resolved_at) AS period, sum(service_cost) AS cost
  FROM tickets
  WHERE resolved_at >= date_trunc('quarter', $from::TIMESTAMP) AND resolved_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
),
other AS (
  SELECT date_trunc('quarter', booked_at)::TIMESTAMP AS period, sum(amount) AS cost
  FROM service_costs
  WHERE category IN ('labour', 'parts', 'licences', 'hardware')
    AND booked_at >= date_trunc('quarter', $from::DATE) AND booked_at < date_trunc('quarter', $to::DATE) + INTERVAL 3 MONTH
  GROUP BY 1
),
equipment AS (
  SELECT date_trunc('quarter', sold_at) AS period, sum(cost) AS cost
  FROM product_sales
  WHERE sold_at >= date_trunc('quarter', $from::TIMESTAMP) AND sold_at < date_trunc('quarter', $to::TIMESTAMP) + INTERVAL 3 MONTH
  GROUP BY 1
)
SELECT p.period::DATE AS period,
  (r.amount - (coalesce(f.cost, 0) + coalesce(d.cost, 0) + coalesce(o.cost, 0) + coalesce(e.cost, 0))) / nullif(r.amount, 0) AS value
FROM periods AS p
LEFT JOIN rev AS r USING (period)
LEFT JOIN field AS f USING (period)
LEFT JOIN desk AS d USING (period)
LEFT JOIN other AS o USING (period)
LEFT JOIN equipment AS e USING (period)
ORDER BY 1;
