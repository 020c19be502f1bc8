-- Action indicators per plan: all, rated (an overall rate computed) and on track (rate at least 100 %).
SELECT plan_id, count(*) AS total, count(rate) AS rated, count(*) FILTER (WHERE rate >= 100) AS on_track
FROM indicators
WHERE action_id IS NOT NULL
GROUP BY plan_id
ORDER BY plan_id;
