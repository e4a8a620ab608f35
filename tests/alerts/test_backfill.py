"""A topic added (or whose query changed) after versions were evaluated still sees recent ones."""

from __future__ import annotations

from datetime import timedelta

from newswatch.alerts.run import match_and_enqueue
from newswatch.settings import load_settings
from newswatch.store.schema import alerts
from sqlalchemy import select

ARMS = '(moscow OR russia) NEAR/10 "north korea" AND missile*'


def alert_topics(engine):
    with engine.connect() as conn:
        return sorted((r.topic_name, r.story_key) for r in conn.execute(select(alerts)))


def test_new_topic_sees_recent_versions_once(engine, store, settings, make_topic, now):
    s1 = store.story("1")
    store.publish("https://a.example/1", "a.example", "Kim", "Moscow and North Korea discussed missiles.", s1)
    store.publish(
        "https://a.example/old",
        "a.example",
        "Kim",
        "Moscow and North Korea discussed missiles.",
        store.story("old"),
        fetched_at=now - timedelta(hours=settings.alert_backfill_hours + 2),
    )
    other = make_topic("Snow", "snow")
    match_and_enqueue(engine, [other], now=now, settings=settings)  # both versions evaluated, no match
    assert alert_topics(engine) == []

    summary = match_and_enqueue(
        engine, [other, make_topic("Arms", ARMS)], now=now + timedelta(minutes=5), settings=settings
    )
    assert summary["backfilled"] == 1 and summary["new"] == 1 and summary["versions"] == 0
    assert alert_topics(engine) == [("Arms", f"s{s1}")]  # the old version is outside the window
    again = match_and_enqueue(
        engine, [other, make_topic("Arms", ARMS)], now=now + timedelta(minutes=10), settings=settings
    )
    assert again.get("backfilled", 0) == 0 and len(alert_topics(engine)) == 1


def test_changed_query_alerts_only_stories_not_alerted_before(engine, store, settings, make_topic, now):
    s1, s2 = store.story("1"), store.story("2")
    store.publish("https://a.example/1", "a.example", "Kim", "Moscow and North Korea discussed missiles.", s1)
    store.publish(
        "https://a.example/2", "a.example", "Kim", "Moscow and North Korea discussed artillery.", s2
    )
    match_and_enqueue(engine, [make_topic("Arms", ARMS)], now=now, settings=settings)
    assert alert_topics(engine) == [("Arms", f"s{s1}")]
    wider = make_topic("Arms", ARMS.replace("missile*", "(missile* OR artillery)"))
    summary = match_and_enqueue(engine, [wider], now=now + timedelta(minutes=5), settings=settings)
    assert summary["backfilled"] == 1 and summary["new"] == 1
    assert alert_topics(engine) == [("Arms", f"s{s1}"), ("Arms", f"s{s2}")]


def test_backfill_can_be_switched_off(engine, db_url, store, make_topic, now):
    settings = load_settings(
        environ={"NEWSWATCH_DATABASE_URL": db_url, "NEWSWATCH_ALERT_BACKFILL_HOURS": "0"}
    )
    store.publish(
        "https://a.example/1",
        "a.example",
        "Kim",
        "Moscow and North Korea discussed missiles.",
        store.story("1"),
    )
    match_and_enqueue(engine, [make_topic("Snow", "snow")], now=now, settings=settings)
    summary = match_and_enqueue(
        engine, [make_topic("Snow", "snow"), make_topic("Arms", ARMS)], now=now, settings=settings
    )
    assert summary.get("backfilled", 0) == 0 and alert_topics(engine) == []
