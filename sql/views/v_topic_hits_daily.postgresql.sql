-- Topic matches per topic per UTC day (date): hits, distinct articles, distinct stories.
SELECT topic_name, (matched_at AT TIME ZONE 'UTC')::date AS day,
       COUNT(*) AS hits,
       COUNT(DISTINCT article_id) AS articles,
       COUNT(DISTINCT story_id) AS stories
FROM topic_matches
GROUP BY topic_name, (matched_at AT TIME ZONE 'UTC')::date
