-- Every version of every article with what changed: the previous headline, whether the headline
-- changed (1/0), the word-level diff and the body length, in version order per article.
SELECT v.article_id, a.canonical_url, a.outlet, a.source_name,
       v.id AS version_id, v.version_no, v.fetched_at,
       v.headline,
       LAG(v.headline) OVER w AS previous_headline,
       CASE WHEN v.version_no > 1
             AND COALESCE(v.headline, '') <> COALESCE(LAG(v.headline) OVER w, '')
            THEN 1 ELSE 0 END AS headline_changed,
       v.published_at, v.published_source, v.updated_at, v.updated_source,
       v.content_hash, v.diff, LENGTH(v.body) AS body_chars
FROM article_versions v
JOIN articles a ON a.id = v.article_id
WINDOW w AS (PARTITION BY v.article_id ORDER BY v.version_no)
