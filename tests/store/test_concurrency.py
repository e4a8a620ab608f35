"""Concurrent writers (separate connections, started together) neither fail nor duplicate."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from newswatch.models import Article
from newswatch.store.articles import StoreOutcome
from newswatch.store.schema import article_aliases, article_versions, articles, stories, story_bands
from seed import store_article
from sqlalchemy import Engine, func, select

T = TypeVar("T")
WRITERS = 6
AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
WIRE = "\n".join(
    f"Paragraph {i}: the agency reported that talks on the grain corridor resumed in city {i} with "
    f"delegations from both sides and observers from {i % 5} neutral countries present."
    for i in range(12)
)


def together(n: int, work: Callable[[int], T]) -> list[T]:
    """Run ``work(i)`` in n threads released at the same instant; re-raise any failure."""
    barrier = threading.Barrier(n)
    results: list[T | None] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return [r for r in results if r is not None]


def rows(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_same_article_stored_at_once_is_one_article_and_one_version(engine: Engine) -> None:
    def work(i: int) -> StoreOutcome:
        return store_article(
            engine,
            Article(headline="Grain talks resume", body=WIRE, language="en"),
            url=f"https://news.test/grain?utm_source=s{i}",
            final_url="https://news.test/grain",
            source_name="s",
            fetched_at=AT,
        )

    outcomes = together(WRITERS, work)
    assert Counter(o.status for o in outcomes) == {"new": 1, "unchanged": WRITERS - 1}
    assert len({(o.article_id, o.version_id, o.story_id) for o in outcomes}) == 1
    assert (rows(engine, articles), rows(engine, article_versions), rows(engine, stories)) == (1, 1, 1)
    assert rows(engine, article_aliases) == WRITERS + 1  # every raw URL plus the canonical one


def test_different_contents_at_once_become_consecutive_versions(engine: Engine) -> None:
    def work(i: int) -> StoreOutcome:
        return store_article(
            engine,
            Article(headline=f"Grain talks resume (edit {i})", body=WIRE),
            url="https://news.test/grain",
            final_url=None,
            source_name="s",
            fetched_at=AT,
        )

    outcomes = together(WRITERS, work)
    assert sorted(o.version_no for o in outcomes) == list(range(1, WRITERS + 1))
    assert rows(engine, articles) == 1 and rows(engine, article_versions) == WRITERS
    with engine.connect() as conn:
        latest, count = conn.execute(select(articles.c.latest_version_id, articles.c.version_count)).one()
        newest = conn.execute(select(func.max(article_versions.c.id))).scalar_one()
    assert (latest, count) == (newest, WRITERS)


def test_wire_copies_stored_at_once_by_different_outlets_form_one_story(engine: Engine) -> None:
    def work(i: int) -> StoreOutcome:
        return store_article(
            engine,
            Article(headline="Grain corridor talks resume", body=WIRE + f"\nReporting by outlet {i}."),
            url=f"https://outlet{i}.test/world/grain",
            final_url=None,
            source_name=f"s{i}",
            fetched_at=AT,
        )

    outcomes = together(WRITERS, work)
    assert len({o.article_id for o in outcomes}) == WRITERS
    assert len({o.story_id for o in outcomes}) == 1
    with engine.connect() as conn:
        assert conn.execute(select(stories.c.article_count)).scalar_one() == WRITERS
    assert rows(engine, stories) == 1 and rows(engine, story_bands) > 0
