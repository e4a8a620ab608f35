-- Stories with their member articles (one row per article) and each article's latest headline.
SELECT s.id AS story_id, s.headline AS story_headline,
       a.id AS article_id, a.outlet, a.canonical_url, a.source_name, a.first_seen_at,
       v.headline, v.published_at, v.fetched_at
FROM stories s
JOIN articles a ON a.story_id = s.id
LEFT JOIN article_versions v ON v.id = a.latest_version_id
