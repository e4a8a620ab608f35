-- One row per story: size, time span and the outlets that carried it (sorted, comma separated).
SELECT s.id AS story_id, s.headline, s.first_seen_at, s.last_seen_at,
       COUNT(a.id) AS article_count,
       COUNT(DISTINCT a.outlet) AS outlet_count,
       string_agg(DISTINCT a.outlet, ', ' ORDER BY a.outlet) AS outlets
FROM stories s
JOIN articles a ON a.story_id = s.id
GROUP BY s.id, s.headline, s.first_seen_at, s.last_seen_at
