"""Stories: clusters of near-duplicate articles across outlets, and their LSH band index.

The store finds the candidate stories for a new article and records what identify decided
(join one, or found a new one); it makes no similarity judgement of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, TextClause, select, text, update

from newswatch.store import dialect
from newswatch.store.schema import stories, story_bands


@dataclass(frozen=True)
class StoryCandidate:
    """A live story sharing at least one LSH band with a new article."""

    story_id: int
    shared_bands: int
    signature: tuple[int, ...]
    size: int  # shingles in the story's founding text, for the containment estimate


@lru_cache(maxsize=8)
def _band_probe(keys: int) -> TextClause:
    """Newest stories per band key, one bounded index range scan per key (SQL built once per size).

    Written as text because building 30 Core subqueries for every new article cost more Python
    time than the database spent answering them.
    """
    parts = [
        f"SELECT story_id FROM (SELECT story_id FROM story_bands WHERE band_key = :k{i} "  # noqa: S608
        f"ORDER BY story_id DESC LIMIT :fanout) AS b{i}"
        for i in range(keys)
    ]
    return text(" UNION ALL ".join(parts))


def lock_and_find_candidates(
    conn: Connection,
    band_keys: Sequence[str],
    fetched: datetime,
    *,
    window_days: float,
    band_fanout: int,
    max_candidates: int,
) -> list[StoryCandidate]:
    """Lock the band keys, then read the live stories sharing most of them (at most ``max_candidates``).

    Cost is bounded whatever the database size: per band key at most ``band_fanout`` of the
    newest stories are read (an index range scan backwards), so a band that boilerplate made
    common across years of stories costs no more than a rare one. The lock serialises writers of
    similar articles, so two copies of one wire story cannot both found a story.
    """
    dialect.lock_bands(conn, band_keys)
    if not band_keys:
        return []
    params: dict[str, Any] = {f"k{i}": key for i, key in enumerate(band_keys)}
    params["fanout"] = band_fanout
    shared = Counter(conn.execute(_band_probe(len(band_keys)), params).scalars())
    if not shared:
        return []
    window = timedelta(days=window_days)
    live = conn.execute(
        select(stories.c.id).where(
            stories.c.id.in_(sorted(shared)),
            stories.c.last_seen_at >= fetched - window,
            stories.c.first_seen_at <= fetched + window,
        )
    ).scalars()
    top = sorted(live, key=lambda sid: (-shared[sid], sid))[:max_candidates]
    if not top:
        return []
    rows = conn.execute(select(stories.c.id, stories.c.signature).where(stories.c.id.in_(top))).all()
    return [_candidate(int(r.id), shared[int(r.id)], r.signature) for r in rows]


def _candidate(story_id: int, shared: int, stored: Any) -> StoryCandidate:
    signature = stored.get("minhash", ()) if isinstance(stored, dict) else (stored or ())
    size = int(stored.get("size", 0)) if isinstance(stored, dict) else 0
    return StoryCandidate(story_id, shared, tuple(signature), size)


def join_story(conn: Connection, story_id: int, fetched: datetime) -> None:
    """One more article in the story; ``last_seen_at`` only ever moves forward."""
    conn.execute(
        update(stories).where(stories.c.id == story_id).values(article_count=stories.c.article_count + 1)
    )
    touch_story(conn, story_id, fetched)


def touch_story(conn: Connection, story_id: int, fetched: datetime) -> None:
    conn.execute(
        update(stories)
        .where(stories.c.id == story_id, stories.c.last_seen_at < fetched)
        .values(last_seen_at=fetched)
    )


def found_story(
    conn: Connection,
    *,
    headline: str | None,
    fetched: datetime,
    signature: tuple[int, ...],
    size: int,
    band_keys: Sequence[str],
) -> int:
    """A new story headed by this article, indexed under its band keys."""
    story_id = int(
        conn.execute(
            stories.insert()
            .values(
                headline=headline,
                first_seen_at=fetched,
                last_seen_at=fetched,
                article_count=1,
                signature={"minhash": list(signature), "size": size} if signature else None,
            )
            .returning(stories.c.id)
        ).scalar_one()
    )
    if band_keys:
        dialect.insert_ignore_many(
            conn,
            story_bands,
            [{"band_key": k, "story_id": story_id} for k in band_keys],
            ["band_key", "story_id"],
        )
    return story_id
