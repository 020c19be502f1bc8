-- The label split per plan: evaluated actions under the plan's label (no_scale when the plan declares
-- no percent scale), the others under insufficient_data or not_evaluated; in order of first appearance.
SELECT plan_id,
       CASE WHEN score_state = 'evaluated' THEN coalesce(score_label, 'no_scale') ELSE score_state END AS label,
       count(*) AS actions
FROM actions
GROUP BY ALL
ORDER BY plan_id, min(file_row_number);
