-- All versions of articles that mentioned "Kim Jong Un" and drones (drone, drones, ...) in a
-- version fetched during the last 7 days. Full-text search: tsvector + GIN on PostgreSQL.
SELECT h.article_id, h.version_no, h.fetched_at, h.outlet, h.headline, h.headline_changed
FROM v_version_history h
WHERE h.article_id IN (
    SELECT v.article_id
    FROM article_versions v
    WHERE v.search_tsv @@ (phraseto_tsquery('english', 'Kim Jong Un') && to_tsquery('english', 'drone:*'))
      AND v.fetched_at >= now() - interval '7 days')
ORDER BY h.article_id, h.version_no
