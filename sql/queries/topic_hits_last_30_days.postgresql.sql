-- Hits per topic per day over the last 30 days, busiest days first.
SELECT topic_name, day, hits, articles, stories
FROM v_topic_hits_daily
WHERE day >= (now() AT TIME ZONE 'UTC')::date - 30
ORDER BY hits DESC, day DESC, topic_name
