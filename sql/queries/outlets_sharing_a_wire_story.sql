-- Which outlets carried the same (wire) story: stories seen at more than one outlet, widest first.
SELECT story_id, headline, outlet_count, outlets, article_count
FROM v_stories
WHERE outlet_count > 1
ORDER BY outlet_count DESC, story_id
