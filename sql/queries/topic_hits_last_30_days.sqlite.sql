-- Hits per topic per day over the last 30 days, busiest days first.
SELECT topic_name, day, hits, articles, stories
FROM v_topic_hits_daily
WHERE day >= date('now', '-30 days')
ORDER BY hits DESC, day DESC, topic_name
