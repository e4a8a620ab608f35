"""Exactly one e-mail per topic and story across wire copies, reruns and concurrent runs.

Concurrent runs are threads with their own engines (own connections), started together at a
barrier, on SQLite and PostgreSQL; small batches make their claims interleave.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.settings import load_settings
from newswatch.store.engine import make_engine
from newswatch.store.schema import alerts, topic_evaluations, topic_matches
from sqlalchemy import func, select

STORIES = 12
COPIES = 3


def together(n: int, work: Callable[[int], dict]) -> list[dict]:
    barrier = threading.Barrier(n)
    results: list[dict] = [{} for _ in range(n)]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_concurrent_matching_and_sending_yield_one_email_per_story(
    db_url, engine, store, make_topic, now, smtp_server
):
    settings = load_settings(
        environ={
            "NEWSWATCH_DATABASE_URL": db_url,
            "NEWSWATCH_ALERT_MATCH_BATCH": "4",
            "NEWSWATCH_ALERT_SEND_BATCH": "5",
            "NEWSWATCH_MAIL_FROM": "n@example.org",
        }
    )
    for s in range(STORIES):
        story = store.story(f"story {s}")
        for c in range(COPIES):
            store.publish(
                f"https://outlet{c}.example/{s}",
                f"outlet{c}.example",
                f"Kim visits Russia, part {s}",
                f"Moscow and North Korea discussed missile supplies, outlet {c}.",
                story,
            )
    topic = make_topic()

    def matcher(i: int) -> dict:
        own = make_engine(db_url)
        try:
            return match_and_enqueue(own, [topic], now=now, settings=settings)
        finally:
            own.dispose()

    results = together(3, matcher)
    assert sum(r["versions"] for r in results) == STORIES * COPIES
    assert sum(r["new"] for r in results) == STORIES
    with engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(topic_evaluations)).scalar_one() == STORIES * COPIES
        )
        assert conn.execute(select(func.count()).select_from(topic_matches)).scalar_one() == STORIES * COPIES
        assert conn.execute(select(func.count()).select_from(alerts)).scalar_one() == STORIES
    # a rerun (task retry) changes nothing
    assert match_and_enqueue(engine, [topic], now=now, settings=settings)["versions"] == 0

    def sender(i: int) -> dict:
        own = make_engine(db_url)
        try:
            total: Counter[str] = Counter()
            for _ in range(4):  # each sender keeps going, as retried tasks would
                total.update(
                    send_pending(
                        own,
                        smtp_server.connect,
                        now=now + timedelta(seconds=1),
                        worker_id=f"w{i}",
                        settings=settings,
                    )
                )
            return dict(total)
        finally:
            own.dispose()

    sent = together(4, sender)
    assert sum(r.get("sent", 0) for r in sent) == STORIES
    ids = [m.message["Message-ID"] for m in smtp_server.received]
    assert len(ids) == STORIES and len(set(ids)) == STORIES
    subjects = Counter(m.message["Subject"] for m in smtp_server.received)
    assert set(subjects.values()) == {1}
    with engine.connect() as conn:
        assert set(conn.execute(select(alerts.c.status)).scalars()) == {"sent"}


def test_concurrent_digest_runs_make_one_digest(db_url, engine, store, make_topic, now):
    from newswatch.alerts.digest import enqueue_digests

    settings = load_settings(environ={"NEWSWATCH_DATABASE_URL": db_url})
    topic = make_topic("Daily", delivery="daily")
    for s in range(5):
        store.publish(
            f"https://a.example/{s}",
            "a.example",
            f"Kim {s}",
            "Moscow and North Korea discussed missiles.",
            store.story(str(s)),
        )
    match_and_enqueue(engine, [topic], now=now, settings=settings)

    def digester(i: int) -> dict:
        own = make_engine(db_url)
        try:
            return enqueue_digests(
                own, [topic], period="daily", now=now + timedelta(days=1), settings=settings
            )
        finally:
            own.dispose()

    results = together(3, digester)
    assert sum(r["digests"] for r in results) == 1
    with engine.connect() as conn:
        (digest,) = conn.execute(select(alerts)).all()
        keys = set(conn.execute(select(topic_matches.c.digest_key)).scalars())
    assert len(digest.payload["stories"]) == 5 and keys == {digest.alert_key}
