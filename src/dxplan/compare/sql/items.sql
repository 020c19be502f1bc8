-- National items per plan: every item of the version it declares (served or not) and any other known
-- item an action serves, with the actions serving it (in the plan's order). number and name are the
-- item's in the plan's version (empty when it does not list it); items sorted as that version lists them.
WITH served AS (
  SELECT s.plan_id, s.item, a."ID" AS action_id, a."名称" AS title, a.file_row_number AS ord
  FROM serves s JOIN actions a ON a.plan_id = s.plan_id AND a."ID" = s.action_id
  WHERE s.item IN (SELECT "ID" FROM national_items)
), listed AS (
  SELECT p."ID" AS plan_id, n."ID" AS item FROM plans p JOIN national_items n ON n.version = p.national_frame
  UNION
  SELECT plan_id, item FROM served
), ordered AS (
  SELECT "ID" AS item, min(position) AS position FROM national_items GROUP BY "ID"
)
SELECT l.plan_id, l.item, v.number, v."名称" AS name,
       coalesce(list(s.action_id ORDER BY s.ord) FILTER (WHERE s.action_id IS NOT NULL), []) AS actions,
       coalesce(list(s.title ORDER BY s.ord) FILTER (WHERE s.action_id IS NOT NULL), []) AS titles
FROM listed l
JOIN plans p ON p."ID" = l.plan_id
JOIN ordered o ON o.item = l.item
LEFT JOIN national_items v ON v.version = p.national_frame AND v."ID" = l.item
LEFT JOIN served s ON s.plan_id = l.plan_id AND s.item = l.item
GROUP BY l.plan_id, l.item, v.number, v."名称", o.position
ORDER BY l.plan_id, v.number IS NULL, v.number, o.position;
