-- Per configured source: health (ok / failing / never succeeded), the last error and the counts
-- of its most recent run.
SELECT s.name AS source_name, s.enabled,
       CASE WHEN s.consecutive_failures > 0 THEN 'failing'
            WHEN s.last_success_at IS NULL THEN 'never succeeded'
            ELSE 'ok' END AS status,
       s.consecutive_failures, s.last_error_kind, s.last_error_message,
       s.last_run_at, s.last_success_at, s.last_yield_at,
       r.run_id AS last_run_id, r.discovered AS last_discovered, r.fetched AS last_fetched,
       r.new AS last_new, r.updated AS last_updated, r.unchanged AS last_unchanged,
       r.failed AS last_failed,
       (SELECT COUNT(*) FROM source_runs c WHERE c.source_name = s.name) AS runs_recorded
FROM sources s
LEFT JOIN source_runs r ON r.id = (
    SELECT l.id FROM source_runs l WHERE l.source_name = s.name
    ORDER BY l.started_at DESC, l.id DESC LIMIT 1)
