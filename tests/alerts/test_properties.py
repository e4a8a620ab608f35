"""Random interleavings of publishing, wire copies, updates, matching runs, sends and SMTP
failures, on both databases: never two e-mails for one alert, exactly one first alert per topic
and story, and everything queued is eventually sent once the server behaves."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.store.schema import (
    alerts,
    article_versions,
    articles,
    stories,
    topic_evaluations,
    topic_matches,
    topics,
)
from sqlalchemy import delete, select

BODIES = [
    "Moscow and North Korea discussed missile supplies.",
    "Moscow and North Korea discussed missile supplies and artillery shells.",
    "Russia and North Korea signed a missile pact. Talks lasted a day.",
    "Snow fell in Moscow.",  # matches nothing
]

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("publish"), st.integers(0, 2), st.integers(0, 2), st.integers(0, 3)),
        st.tuples(st.just("update"), st.integers(0, 8), st.integers(0, 3)),
        st.tuples(st.just("run")),
        st.tuples(st.just("send")),
        st.tuples(st.just("tempfail")),
    ),
    min_size=1,
    max_size=14,
)


def _reset(engine) -> None:
    with engine.begin() as conn:
        for table in (alerts, topic_matches, topic_evaluations, article_versions, articles, stories, topics):
            conn.execute(delete(table))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_interleavings_never_duplicate(ops, engine, store, settings_, make_topic, now, smtp_server) -> None:
    _reset(engine)
    smtp_server.handler.received.clear()
    smtp_server.script([])
    immediate, digest = make_topic("Arms"), make_topic("Daily", delivery="daily")
    story_ids: dict[int, int] = {}
    published: list[tuple[int, int]] = []  # (article id, versions so far)
    clock = now
    for op in ops:
        clock += timedelta(minutes=1)
        if op[0] == "publish":
            _, s, outlet, body = op
            if s not in story_ids:
                story_ids[s] = store.story(f"story {s}")
            url = f"https://o{outlet}.example/{s}"
            if url in _urls(engine):
                continue  # one article per outlet and story
            article, _ = store.publish(
                url, f"o{outlet}.example", f"Story {s}", BODIES[body], story_ids[s], fetched_at=clock
            )
            published.append((article, 1))
        elif op[0] == "update" and published:
            index = op[1] % len(published)
            article, n = published[index]
            store.version(article, "Story", BODIES[op[2]], version_no=n + 1, fetched_at=clock)
            published[index] = (article, n + 1)
        elif op[0] == "run":
            match_and_enqueue(engine, [immediate, digest], now=clock, settings=settings_)
        elif op[0] == "send":
            send_pending(
                engine,
                smtp_server.connect,
                now=clock,
                worker_id="w",
                settings=settings_,
            )
        elif op[0] == "tempfail":
            smtp_server.script(["451 4.3.0 later"])
    # then the system settles: matching, digests not involved, and sending until nothing is due
    clock += timedelta(minutes=1)
    match_and_enqueue(engine, [immediate, digest], now=clock, settings=settings_)
    smtp_server.script([])
    for _ in range(4):
        clock += timedelta(hours=2)
        send_pending(
            engine,
            smtp_server.connect,
            now=clock,
            worker_id="w",
            settings=settings_,
        )

    ids = Counter(m.message["Message-ID"] for m in smtp_server.received)
    assert all(n == 1 for n in ids.values()), ids
    with engine.connect() as conn:
        rows = list(conn.execute(select(alerts)))
        matched_stories = set(
            conn.execute(
                select(topic_matches.c.story_id).where(topic_matches.c.topic_name == "Arms")
            ).scalars()
        )
    assert {r.status for r in rows} <= {"sent"}
    assert len(ids) == len(rows)
    firsts = Counter(r.story_key for r in rows if r.kind == "new")
    assert set(firsts.values()) <= {1}
    assert set(firsts) == {f"s{s}" for s in matched_stories}
    assert all(r.topic_name == "Arms" for r in rows)  # the digest topic only records


def _urls(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(articles.c.canonical_url)).scalars())
