-- One row per plan, in the package's order: who it is, the national plan's version it declares,
-- its last evaluation date and its number of actions.
SELECT p."ID" AS plan_id, p."地方公共団体名" AS municipality, p."都道府県名" AS prefecture,
       p."全国地方公共団体コード" AS municipality_code, p.national_frame, p.evaluation_date AS last_evaluation,
       (SELECT count(*) FROM actions a WHERE a.plan_id = p."ID") AS actions
FROM plans p
ORDER BY p.file_row_number;
