-- Topic matches per topic per UTC day (text YYYY-MM-DD): hits, distinct articles, distinct stories.
SELECT topic_name, date(matched_at) AS day,
       COUNT(*) AS hits,
       COUNT(DISTINCT article_id) AS articles,
       COUNT(DISTINCT story_id) AS stories
FROM topic_matches
GROUP BY topic_name, date(matched_at)
