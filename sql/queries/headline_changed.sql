-- Articles whose headline changed after first publication: each change, newest first.
SELECT article_id, outlet, version_no, previous_headline, headline, fetched_at
FROM v_version_history
WHERE headline_changed = 1
ORDER BY fetched_at DESC, article_id, version_no
