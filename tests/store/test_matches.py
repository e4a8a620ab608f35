"""Topic matching's statements on both databases: versions to evaluate, the claim on them, the
matches recorded, and the matches a digest takes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.store import matches
from newswatch.store.schema import article_versions, articles, topic_evaluations
from sqlalchemy import Connection, Engine, func, insert, select, update

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _article(conn: Connection, url: str, fetched: list[datetime]) -> tuple[int, list[int]]:
    """An article with one version per fetch time; the last is its latest."""
    aid = conn.execute(
        insert(articles).values(canonical_url=url, outlet="a.example", first_seen_at=NOW, last_seen_at=NOW)
    ).inserted_primary_key[0]
    vids = []
    for no, at in enumerate(fetched, start=1):
        vids.append(
            conn.execute(
                insert(article_versions).values(
                    article_id=aid,
                    version_no=no,
                    content_hash=f"{url}{no}",
                    headline=f"H{no}",
                    body="b",
                    fetched_at=at,
                )
            ).inserted_primary_key[0]
        )
    conn.execute(update(articles).where(articles.c.id == aid).values(latest_version_id=vids[-1]))
    return int(aid), [int(v) for v in vids]


def _match(topic: str, aid: int, vid: int, at: datetime, disposition: str = "new") -> dict[str, object]:
    return {
        "topic_name": topic, "version_id": vid, "article_id": aid, "story_id": None, "score": 1.0,
        "evidence": [{"text": f"v{vid}"}], "evidence_hash": f"h{vid}", "matched_at": at,
        "disposition": disposition,
    }  # fmt: skip


def test_versions_are_evaluated_once_and_old_evaluations_pruned(engine: Engine) -> None:
    with engine.begin() as conn:
        _article(conn, "https://a.example/old", [NOW - timedelta(days=3)])  # outside the window
        _, (v1, v2) = _article(conn, "https://a.example/1", [NOW - timedelta(hours=2), NOW])
    since = NOW - timedelta(days=1)
    with engine.begin() as conn:
        rows = matches.unevaluated_versions(conn, since, 10)
        assert [r.version_id for r in rows] == [v1, v2] and rows[0].outlet == "a.example"
        assert [r.version_id for r in matches.unevaluated_versions(conn, since, 1)] == [v1]
        first = [{"version_id": v1, "evaluated_at": NOW - timedelta(days=2), "matched": 0}]
        assert matches.claim_versions(conn, first) == {v1}
        both = [{"version_id": v, "evaluated_at": NOW, "matched": 0} for v in (v1, v2)]
        assert matches.claim_versions(conn, both) == {v2}  # v1 was taken already
        assert matches.unevaluated_versions(conn, since, 10) == []
        assert matches.prune_evaluations(conn, NOW - timedelta(days=1)) == 1
        assert conn.execute(select(topic_evaluations.c.version_id)).scalars().all() == [v2]


def test_matches_are_recorded_once_and_the_previous_one_is_found(engine: Engine) -> None:
    with engine.begin() as conn:
        aid, (v1, v2, v3) = _article(conn, "https://a.example/1", [NOW, NOW, NOW])
        matches.insert_match(conn, _match("T", aid, v1, NOW))
        matches.insert_match(conn, _match("T", aid, v2, NOW))
        matches.insert_match(conn, {**_match("T", aid, v2, NOW), "score": 9.0})  # the same match again
        assert matches.previous_match(conn, "T", aid, v3).evidence_hash == f"h{v2}"
        assert matches.previous_match(conn, "T", aid, v1) is None
        assert matches.previous_match(conn, "Other", aid, v3) is None


def test_evaluated_unmatched_versions_are_what_a_new_topic_may_still_match(engine: Engine) -> None:
    with engine.begin() as conn:
        aid, (v1, v2) = _article(conn, "https://a.example/1", [NOW, NOW])
        _article(conn, "https://a.example/2", [NOW])  # not evaluated yet: the matching run's
        matches.claim_versions(conn, [{"version_id": v, "evaluated_at": NOW, "matched": 0} for v in (v1, v2)])
        matches.insert_match(conn, _match("T", aid, v1, NOW))
        since = NOW - timedelta(hours=1)
        assert [r.version_id for r in matches.evaluated_unmatched_versions(conn, "T", since)] == [v2]
        assert [r.version_id for r in matches.evaluated_unmatched_versions(conn, "U", since)] == [v1, v2]


def test_a_digest_takes_each_match_once(engine: Engine) -> None:
    end = NOW + timedelta(hours=1)
    with engine.begin() as conn:
        aid, (v1, v2, v3) = _article(conn, "https://a.example/1", [NOW, NOW, NOW])
        matches.insert_match(conn, _match("T", aid, v1, NOW, "digest"))
        matches.insert_match(conn, _match("T", aid, v2, end, "digest"))  # after the period: next one
        matches.insert_match(conn, _match("T", aid, v3, NOW, "unchanged"))
        rows = matches.undigested_matches(conn, "T", end)
        assert [r.version_id for r in rows] == [v1] and rows[0].headline == "H1"
        matches.mark_digested(conn, [r.match_id for r in rows], "digest:k")
        assert matches.undigested_matches(conn, "T", end) == []
        assert [r.version_id for r in matches.undigested_matches(conn, "T", end + timedelta(hours=1))] == [v2]


def test_latest_versions_since_reads_only_each_articles_latest(engine: Engine) -> None:
    with engine.begin() as conn:
        _, (_, latest) = _article(conn, "https://a.example/1", [NOW, NOW])
        _article(conn, "https://a.example/old", [NOW - timedelta(days=40)])
        found = list(matches.latest_versions_since(conn, NOW - timedelta(days=30)))
        assert [r.version_id for r in found] == [latest]
        assert conn.execute(select(func.count()).select_from(article_versions)).scalar_one() == 3
