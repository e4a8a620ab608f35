-- All versions of articles that mentioned "Kim Jong Un" and drones (drone, drones, ...) in a
-- version fetched during the last 7 days. Full-text search: FTS5 on SQLite.
SELECT h.article_id, h.version_no, h.fetched_at, h.outlet, h.headline, h.headline_changed
FROM v_version_history h
WHERE h.article_id IN (
    SELECT v.article_id
    FROM article_versions_fts f
    JOIN article_versions v ON v.id = f.rowid
    WHERE article_versions_fts MATCH '"kim jong un" AND drone*'
      AND v.fetched_at >= datetime('now', '-7 days'))
ORDER BY h.article_id, h.version_no
