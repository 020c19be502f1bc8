-- Unclassified (未分類) actions per plan: those serving no national item, in the plan's order.
SELECT a.plan_id, list(a."ID" ORDER BY a.file_row_number) AS actions
FROM actions a
WHERE NOT EXISTS (SELECT 1 FROM serves s WHERE s.plan_id = a.plan_id AND s.action_id = a."ID")
GROUP BY a.plan_id
ORDER BY a.plan_id;
