"""The story index on both databases: candidates by shared band, within the live window, bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.store import stories
from newswatch.store.schema import stories as stories_table
from sqlalchemy import Engine, select

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def _found(engine: Engine, keys: list[str], at: datetime = T0, signature: tuple[int, ...] = (1, 2, 3)) -> int:
    with engine.begin() as conn:
        return stories.found_story(
            conn, headline="H", fetched=at, signature=signature, size=40, band_keys=keys
        )


def _candidates(
    engine: Engine, keys: list[str], at: datetime = T0, **limits: float
) -> list[stories.StoryCandidate]:
    options = {"window_days": 3.0, "band_fanout": 50, "max_candidates": 10, **limits}
    with engine.begin() as conn:
        return stories.lock_and_find_candidates(conn, keys, at, **options)  # type: ignore[arg-type]


def test_candidates_share_bands_most_first_and_carry_their_signature(engine: Engine) -> None:
    one = _found(engine, ["a", "b", "c"], signature=(7, 8))
    two = _found(engine, ["c", "d"])
    _found(engine, ["x"])
    found = _candidates(engine, ["a", "b", "c", "d"])
    assert [(c.story_id, c.shared_bands) for c in sorted(found, key=lambda c: -c.shared_bands)] == [
        (one, 3),
        (two, 2),
    ]
    assert next(c for c in found if c.story_id == one).signature == (7, 8)
    assert _candidates(engine, []) == [] and _candidates(engine, ["nothing"]) == []


def test_stories_outside_the_live_window_or_over_the_limit_are_not_candidates(engine: Engine) -> None:
    old = _found(engine, ["k"], at=T0 - timedelta(days=10))
    new = [_found(engine, ["k"]) for _ in range(3)]
    assert {c.story_id for c in _candidates(engine, ["k"])} == set(new)
    assert old in {c.story_id for c in _candidates(engine, ["k"], window_days=30)}
    assert len(_candidates(engine, ["k"], max_candidates=2)) == 2
    assert len(_candidates(engine, ["k"], band_fanout=1, window_days=30)) == 1  # the newest per band key


def test_joining_counts_the_article_and_moves_last_seen_forward_only(engine: Engine) -> None:
    story = _found(engine, ["j"])
    with engine.begin() as conn:
        stories.join_story(conn, story, T0 + timedelta(hours=2))
        stories.join_story(conn, story, T0 + timedelta(hours=1))
    with engine.connect() as conn:
        count, last = conn.execute(
            select(stories_table.c.article_count, stories_table.c.last_seen_at).where(
                stories_table.c.id == story
            )
        ).one()
    assert count == 3 and last.replace(tzinfo=UTC) == T0 + timedelta(hours=2)
