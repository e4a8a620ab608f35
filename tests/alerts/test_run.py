"""match_and_enqueue: which versions are evaluated (language, score, lookback), nothing without
topics, and the configured topics mirrored into the topics table."""

from __future__ import annotations

from datetime import timedelta

from newswatch.alerts.run import match_and_enqueue
from newswatch.store.schema import alerts, topic_evaluations

KIM = ("Kim visits Russia", "Moscow and North Korea discussed missile supplies. Talks lasted a day.")


def test_language_min_score_and_lookback(engine, store, settings, make_topic, now):
    store.publish("https://a.example/fr", "a.example", *KIM, store.story("fr"), language="fr")
    store.publish(
        "https://a.example/old",
        "a.example",
        *KIM,
        store.story("old"),
        fetched_at=now - timedelta(hours=settings.alert_lookback_hours + 1),
    )
    store.publish("https://a.example/weak", "a.example", "Other", KIM[1], store.story("weak"))
    topics = [make_topic("En", languages=("en",)), make_topic("Strong", min_score=2)]
    summary = match_and_enqueue(engine, topics, now=now, settings=settings)
    assert summary["versions"] == 2  # the old version is outside the lookback window
    assert sorted((a.topic_name, a.payload["items"][0]["url"]) for a in store.rows(alerts)) == [
        ("En", "https://a.example/weak"),
    ]


def test_no_topics_evaluates_nothing(engine, store, settings, make_topic, now):
    store.publish("https://a.example/1", "a.example", *KIM, store.story("Kim"))
    assert match_and_enqueue(engine, [], now=now, settings=settings)["versions"] == 0
    assert store.count(topic_evaluations) == 0
    assert match_and_enqueue(engine, [make_topic()], now=now, settings=settings)["new"] == 1


def test_topics_are_mirrored_into_the_topics_table(engine, store, settings, make_topic, now):
    from newswatch.alerts.run import sync_topics
    from newswatch.store.schema import topics as topics_table

    assert sync_topics(engine, [make_topic("A"), make_topic("B", delivery="daily")], now) == 2
    assert sync_topics(engine, [make_topic("A"), make_topic("B", delivery="daily")], now) == 0
    assert sync_topics(engine, [make_topic("A", query="russia")], now + timedelta(hours=1)) == 1
    stored = {r.name: r for r in store.rows(topics_table)}
    assert stored["A"].query == "russia" and stored["B"].config["delivery"] == "daily"
