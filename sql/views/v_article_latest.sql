-- The latest version of every article: one row per article, the row analysts start from.
SELECT a.id AS article_id, a.canonical_url, a.outlet, a.source_name, a.story_id,
       a.first_seen_at, a.last_seen_at, a.version_count,
       v.id AS version_id, v.version_no, v.headline, v.body, v.authors, v.language,
       v.published_at, v.published_source, v.updated_at, v.updated_source,
       v.fetched_at, v.content_hash
FROM articles a
JOIN article_versions v ON v.id = a.latest_version_id
