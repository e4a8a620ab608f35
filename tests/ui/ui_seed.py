"""Known rows for the UI tests, written with SQLAlchemy Core straight into the schema.

Deliberately independent of the repository's write path, so the UI is tested against the
tables as they are defined, with values the tests can predict. Times are relative to ``now``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from newswatch.store.schema import (
    alerts,
    article_versions,
    articles,
    source_runs,
    sources,
    stories,
    topic_matches,
    topics,
)
from sqlalchemy import Engine, insert, update

TOPIC = "Russia–North Korea military ties"
TOPIC_QUERY = '(russia OR kremlin) NEAR/20 ("north korea" OR pyongyang)'
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
BODY_V1 = (
    "Kim Jong Un arrived in Vladivostok on Tuesday. Russia and North Korea signed a pact on "
    "artillery shells. The talks lasted five hours, officials said."
)
BODY_V2 = (
    "Kim Jong Un arrived in Vladivostok on Tuesday. Russia and North Korea signed a pact on "
    "artillery shells. The talks lasted six hours, officials in Moscow said."
)
COPY_BODY = "Pyongyang confirmed the visit. The Kremlin said Russia would deepen ties with Pyongyang."
SPORT_BODY = "The club won the cup final 2-1 in front of a home crowd. Fans celebrated late into the night."


def _insert(conn: Any, table: Any, **values: Any) -> int:
    return int(conn.execute(insert(table).values(**values)).inserted_primary_key[0])


def _article(conn: Any, *, url: str, outlet: str, source: str, story_id: int | None, seen: datetime,
             versions: list[dict[str, Any]]) -> tuple[int, list[int]]:
    article_id = _insert(conn, articles, canonical_url=url, outlet=outlet, source_name=source,
                         story_id=story_id, first_seen_at=seen, last_seen_at=seen,
                         version_count=len(versions))
    ids = []
    for number, version in enumerate(versions, start=1):
        ids.append(_insert(conn, article_versions, article_id=article_id, version_no=number,
                           content_hash=f"{article_id}-{number}", language="en", **version))
    conn.execute(update(articles).where(articles.c.id == article_id).values(latest_version_id=ids[-1],
                                                                         last_seen_at=versions[-1]["fetched_at"]))
    return article_id, ids


def seed(engine: Engine, now: datetime | None = None) -> dict[str, Any]:
    """Insert the known rows; return their ids and the reference time."""
    now = now or datetime.now(UTC)
    ago = lambda **kw: now - timedelta(**kw)  # noqa: E731 - reads better inline
    with engine.begin() as conn:
        story = _insert(conn, stories, headline="Kim visits Russia", first_seen_at=ago(hours=5),
                        last_seen_at=ago(hours=1), article_count=2)
        main, main_versions = _article(
            conn, url="https://wire.example/world/kim-russia", outlet="wire.example", source="good-wire",
            story_id=story, seen=ago(hours=5), versions=[
                {"headline": "Kim arrives in Russia", "body": BODY_V1, "authors": ["A. Writer"],
                 "published_at": ago(hours=5), "published_source": "jsonld", "fetched_at": ago(hours=5)},
                {"headline": "Kim arrives in Russia for arms talks", "body": BODY_V2,
                 "authors": ["A. Writer"],
                 "published_at": ago(hours=5), "published_source": "jsonld", "updated_at": ago(hours=2),
                 "updated_source": "meta", "fetched_at": ago(hours=2)},
            ])
        copy, copy_versions = _article(
            conn, url="https://daily.example/kim-pyongyang", outlet="daily.example", source="daily-news",
            story_id=story, seen=ago(hours=1), versions=[
                {"headline": "Pyongyang confirms Kim trip", "body": COPY_BODY, "published_at": ago(hours=1),
                 "fetched_at": ago(hours=1)}])
        sport, _ = _article(
            conn, url="https://sleepy.example/sport/cup", outlet="sleepy.example", source="sleepy-times",
            story_id=None, seen=ago(days=3), versions=[
                {"headline": "Cup final " + HOSTILE, "body": SPORT_BODY, "published_at": ago(days=3),
                 "fetched_at": ago(days=3)}])
        _insert(conn, topics, name=TOPIC, query=TOPIC_QUERY, updated_at=ago(days=10))
        evidence = [{"field": "body", "text": "Russia and North Korea signed a pact on artillery shells.",
                     "spans": [[0, 6], [11, 22]]}]
        for version_id, article_id, when in ((main_versions[-1], main, ago(hours=2)),
                                              (copy_versions[0], copy, ago(days=2))):
            _insert(conn, topic_matches, topic_name=TOPIC, version_id=version_id, article_id=article_id,
                    story_id=story, score=2.0, evidence=evidence, evidence_hash=f"h{version_id}",
                    matched_at=when, disposition="new")
        payload = {"kind": "new", "topic": TOPIC, "headline": "Kim arrives in Russia for arms talks",
                   "score": 2.0, "evidence": evidence,
                   "items": [{"article_id": main, "outlet": "wire.example",
                              "headline": "Kim arrives in Russia for arms talks",
                              "url": "https://wire.example/world/kim-russia"}]}
        sent = _insert(conn, alerts, alert_key="new:s1:t", topic_name=TOPIC, story_id=story, kind="new",
                       status="sent", recipients=["analysts@example.com"],
                       subject=f"[newswatch] {TOPIC}: Kim arrives in Russia for arms talks",
                       message_id="<a1@newswatch.test>", payload=payload, attempts=1, created_at=ago(hours=2),
                       sent_at=ago(hours=2) + timedelta(seconds=30))
        failed = _insert(conn, alerts, alert_key="new:s2:t", topic_name=TOPIC, story_id=None, kind="new",
                         status="failed", recipients=["desk@example.com"], subject="[newswatch] failed one",
                         message_id="<a2@newswatch.test>", payload={"evidence": "not a list"}, attempts=6,
                         created_at=ago(hours=3), last_error="SMTP 550 mailbox unavailable")
        _sources(conn, now)
    return {"now": now, "story": story, "main": main, "copy": copy, "sport": sport,
            "main_versions": main_versions, "alert_sent": sent, "alert_failed": failed}


def _run(conn: Any, name: str, run_id: str, started: datetime, ok: bool, **counts: Any) -> None:
    _insert(conn, source_runs, source_name=name, run_id=run_id, started_at=started,
            finished_at=started + timedelta(seconds=20), ok=ok, **counts)


def _sources(conn: Any, now: datetime) -> None:
    """good-wire is healthy, broken-gazette fails with HTTP 503, sleepy-times yields nothing."""
    _insert(conn, sources, name="good-wire", enabled=True, consecutive_failures=0,
            last_run_at=now - timedelta(minutes=15), last_success_at=now - timedelta(minutes=15),
            last_yield_at=now - timedelta(minutes=15))
    _insert(conn, sources, name="broken-gazette", enabled=True, consecutive_failures=3,
            last_run_at=now - timedelta(minutes=15), last_success_at=now - timedelta(days=1),
            last_yield_at=now - timedelta(days=1), last_error_kind="http_503",
            last_error_message="503 Service Unavailable from https://gazette.example/feed.xml")
    _insert(conn, sources, name="sleepy-times", enabled=True, consecutive_failures=0,
            last_run_at=now - timedelta(minutes=15), last_success_at=now - timedelta(minutes=15),
            last_yield_at=now - timedelta(days=3))
    _run(conn, "good-wire", "r1", now - timedelta(minutes=30), True, discovered=12, fetched=10, new=3,
         updated=1, unchanged=6)
    _run(conn, "good-wire", "r2", now - timedelta(minutes=15), True, discovered=11, fetched=4, new=1,
         unchanged=3, extraction_gaps={"published_at": 1})
    for index in range(3):
        _run(conn, "broken-gazette", f"r{index}", now - timedelta(minutes=15 * (index + 1)), False,
             discovered=0, failed=1, errors={"http_503": 1})
    _run(conn, "sleepy-times", "r1", now - timedelta(minutes=15), True, discovered=5, fetched=5, unchanged=5)
