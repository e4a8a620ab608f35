-- Sources that are failing or never succeeded, worst first, with the last error and last run.
SELECT source_name, status, consecutive_failures, last_error_kind, last_error_message,
       last_run_id, last_success_at
FROM v_source_health
WHERE status <> 'ok'
ORDER BY consecutive_failures DESC, source_name
