-- Task rows done per plan and fiscal year of its period: rows done, rows with a declared status word
-- (the denominator) and all rows. The state: not_planned (no task row), no_data (rows, none with a
-- status) or share; the share in percent of the rows with a status.
WITH period AS (
  SELECT "ID" AS plan_id, unnest(generate_series(period_start, period_end)) AS fiscal_year FROM plans
)
SELECT y.plan_id, y.fiscal_year,
       count(*) FILTER (WHERE t.state = 'done') AS done,
       count(t.state) AS with_status,
       count(t.plan_id) AS rows,
       CASE WHEN count(t.plan_id) = 0 THEN 'not_planned' WHEN count(t.state) = 0 THEN 'no_data' ELSE 'share' END AS state,
       100.0 * count(*) FILTER (WHERE t.state = 'done') / nullif(count(t.state), 0) AS share
FROM period y
LEFT JOIN tasks t ON t.plan_id = y.plan_id AND t.fiscal_year = y.fiscal_year
GROUP BY y.plan_id, y.fiscal_year
ORDER BY y.plan_id, y.fiscal_year;
