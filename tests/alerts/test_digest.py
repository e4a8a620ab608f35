"""Digests: one e-mail per topic and period, stories grouped across outlets, best first,
idempotent, and a late match goes into the next digest rather than none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from newswatch.alerts.digest import enqueue_digests, window
from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.store.schema import alerts, topic_matches
from sqlalchemy import select


def test_window_is_the_last_complete_period() -> None:
    now = datetime(2026, 11, 27, 12, 34, 56, tzinfo=UTC)
    assert window("hourly", now) == (
        datetime(2026, 11, 27, 11, tzinfo=UTC),
        datetime(2026, 11, 27, 12, tzinfo=UTC),
    )
    assert window("daily", now) == (datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 27, tzinfo=UTC))


def test_hourly_digest_groups_stories_best_first(engine, store, settings, make_topic, now, smtp_server):
    topic = make_topic("Arms digest", delivery="hourly")
    weak = store.story("weak")
    store.publish(
        "https://a.example/weak", "a.example", "Talks", "Moscow and North Korea discussed missiles.", weak
    )
    strong = store.story("strong")
    body = "Moscow and North Korea discussed missiles. Russia and North Korea signed missile deals."
    store.publish("https://a.example/strong", "a.example", "Russia, North Korea and missiles", body, strong)
    store.publish("https://b.example/strong", "b.example", "Copy", body, strong)
    match_and_enqueue(engine, [topic], now=now - timedelta(minutes=30), settings=settings)

    summary = enqueue_digests(
        engine, [topic, make_topic("Immediate")], period="hourly", now=now, settings=settings
    )
    assert summary == {"topics": 1, "digests": 1, "stories": 2, "matches": 3}
    assert enqueue_digests(engine, [topic], period="hourly", now=now, settings=settings)["digests"] == 0
    assert enqueue_digests(engine, [topic], period="daily", now=now, settings=settings)["topics"] == 0
    with engine.connect() as conn:
        (digest,) = conn.execute(select(alerts)).all()
        keys = set(conn.execute(select(topic_matches.c.digest_key)).scalars())
    assert digest.kind == "digest" and keys == {digest.alert_key}
    stories = digest.payload["stories"]
    assert [s["story_key"] for s in stories] == [f"s{strong}", f"s{weak}"]
    assert [i["outlet"] for i in stories[0]["items"]] == ["a.example", "b.example"]
    assert "hourly digest, 2 stories" in digest.subject

    assert (
        send_pending(
            engine, smtp_server.connect, now=now, worker_id="w", settings=settings
        )["sent"]
        == 1
    )
    text = smtp_server.received[0].message.get_body(("plain",)).get_content()
    assert "1. Russia, North Korea and missiles" in text and "2. Talks" in text
    assert "**Moscow**" in text


def test_late_matches_go_to_the_next_digest(engine, store, settings, make_topic, now):
    topic = make_topic("Daily", delivery="daily")
    store.publish(
        "https://a.example/1",
        "a.example",
        "T",
        "Moscow and North Korea discussed missiles.",
        store.story("1"),
    )
    match_and_enqueue(engine, [topic], now=now, settings=settings)
    # the day of ``now`` is not over: nothing to send yet
    assert enqueue_digests(engine, [topic], period="daily", now=now, settings=settings)["digests"] == 0
    tomorrow = now + timedelta(days=1)
    assert enqueue_digests(engine, [topic], period="daily", now=tomorrow, settings=settings)["digests"] == 1
    store.publish(
        "https://a.example/2",
        "a.example",
        "T2",
        "Moscow and North Korea discussed missiles again.",
        store.story("2"),
    )
    match_and_enqueue(engine, [topic], now=now + timedelta(hours=2), settings=settings)  # late for that day
    assert enqueue_digests(engine, [topic], period="daily", now=tomorrow, settings=settings)["digests"] == 0
    assert (
        enqueue_digests(engine, [topic], period="daily", now=tomorrow + timedelta(days=1), settings=settings)[
            "matches"
        ]
        == 1
    )


def test_unchanged_updates_are_not_repeated_in_digests(engine, store, settings, make_topic, now):
    topic = make_topic("Hourly", delivery="hourly")
    article, _ = store.publish(
        "https://a.example/1",
        "a.example",
        "T",
        "Moscow and North Korea discussed missiles.",
        store.story("1"),
    )
    match_and_enqueue(engine, [topic], now=now, settings=settings)
    store.version(article, "T", "Moscow and North Korea discussed missiles. Weather fine.", version_no=2)
    assert match_and_enqueue(engine, [topic], now=now, settings=settings)["unchanged"] == 1
    assert (
        enqueue_digests(engine, [topic], period="hourly", now=now + timedelta(hours=1), settings=settings)[
            "matches"
        ]
        == 1
    )


def test_bad_period(engine, make_topic, now, settings):
    with pytest.raises(ValueError, match="period"):
        enqueue_digests(engine, [make_topic()], period="weekly", now=now, settings=settings)  # type: ignore[arg-type]


def test_a_digest_groups_one_topics_stories_across_languages(
    engine, store, settings, make_topic, now, smtp_server
):
    topic = make_topic(
        "Ties", "(russia OR 러시아 OR россии) NEAR/10 (pyongyang OR 북한 OR кндр)", delivery="hourly"
    )
    for url, language, headline, body in (
        ("https://a.example/en", "en", "Russia and Pyongyang", "Russia and Pyongyang signed a pact."),
        ("https://b.example/ko", "ko", "러시아와 북한", "러시아와 북한이 조약에 서명했다."),
        ("https://c.example/ru", "ru", "КНДР и России", "Представители КНДР и России подписали договор."),
        ("https://d.example/ko", "ko", "북한과 러시아", "북한과 러시아가 회담을 열었다."),
    ):
        store.publish(url, url.split("/")[2], headline, body, store.story(url), language=language)
    match_and_enqueue(engine, [topic], now=now - timedelta(minutes=30), settings=settings)

    assert enqueue_digests(engine, [topic], period="hourly", now=now, settings=settings)["digests"] == 1
    with engine.connect() as conn:
        (digest,) = conn.execute(select(alerts)).all()
    assert "4 stories in 3 languages (ko 2, en 1, ru 1)" in digest.subject
    assert sorted(lang for s in digest.payload["stories"] for lang in s["languages"]) == [
        "en",
        "ko",
        "ko",
        "ru",
    ]
    send_pending(
        engine, smtp_server.connect, now=now, worker_id="w", settings=settings
    )
    message = smtp_server.received[0].message
    assert message["Subject"] == digest.subject
    text = message.get_body(("plain",)).get_content()
    assert "b.example [Korean]: 러시아와 북한" in text and "c.example [Russian]: КНДР и России" in text
