-- customer_lifetime_value: ARPU times service gross margin over churn, each for the same month.
WITH periods AS (
  SELECT period, period + INTERVAL 1 MONTH AS period_end
  FROM (SELECT unnest(range(date_trunc('month', $from::TIMESTAMP), date_trunc('month', $to::TIMESTAMP) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)) AS period) AS t
),
rev AS (
  SELECT date_trunc('month', booked_at)::TIMESTAMP AS period,
    sum(amount) FILTER (WHERE kind = 'recurring') AS recurring,
    sum(amount) FILTER (WHERE kind IN ('service', 'recurring')) AS service
  FROM revenue
  WHERE booked_at >= date_trunc('month', $from::DATE) AND booked_at < date_trunc('month', $to::DATE) + INTERVAL 1 MONTH
  GROUP BY 1
),
field AS (
  SELECT date_trunc('month', completed_at) AS period,
    sum(coalesce(labour_cost, 0) + coalesce(parts_cost, 0) + coalesce(travel_cost, 0)) AS cost
  FROM work_orders
  WHERE completed_at >= date_trunc('month', $from::TIMESTAMP) AND completed_at < date_trunc('month', $to::TIMESTAMP) + INTERVAL 1 MONTH
  GROUP BY 1
),
desk AS (
  SELECT date_trunc('month', resolved_at) AS period, sum(coalesce(service_cost, 0)) AS cost
  FROM tickets
  WHERE resolved_at >= date_trunc('month', $from::TIMESTAMP) AND resolved_at < date_trunc('month', $to::TIMESTAMP) + INTERVAL 1 MONTH
  GROUP BY 1
),
other AS (
  SELECT date_trunc('month', booked_at)::TIMESTAMP AS period, sum(coalesce(amount, 0)) AS cost
  FROM service_costs
  WHERE booked_at >= date_trunc('month', $from::DATE) AND booked_at < date_trunc('month', $to::DATE) + INTERVAL 1 MONTH
  GROUP BY 1
),
lost AS (
  SELECT date_trunc('month', churned_at)::TIMESTAMP AS period, count(*) AS n
  FROM customers
  WHERE churned_at >= date_trunc('month', $from::DATE) AND churned_at < date_trunc('month', $to::DATE) + INTERVAL 1 MONTH
  GROUP BY 1
),
customers_by_month AS (
  SELECT p.period,
    count(*) FILTER (WHERE c.created_at <= p.period) AS at_start,
    count(*) AS during
  FROM periods AS p
  JOIN customers AS c ON c.created_at < p.period_end AND coalesce(c.churned_at, DATE 'infinity') > p.period
  GROUP BY 1
),
kpis AS (
  SELECT p.period,
    r.recurring / nullif(cm.during, 0) AS arpu,
    (r.service - (coalesce(f.cost, 0) + coalesce(d.cost, 0) + coalesce(o.cost, 0))) / nullif(r.service, 0) AS margin,
    coalesce(l.n, 0) / nullif(cm.at_start, 0) AS churn
  FROM periods AS p
  LEFT JOIN rev AS r USING (period)
  LEFT JOIN field AS f USING (period)
  LEFT JOIN desk AS d USING (period)
  LEFT JOIN other AS o USING (period)
  LEFT JOIN lost AS l USING (period)
  LEFT JOIN customers_by_month AS cm USING (period)
)
SELECT period::DATE AS period, arpu * margin / nullif(churn, 0) AS value
FROM kpis
ORDER BY 1;
