"""Article reads on both databases: lookup by id or URL, versions, windows, streaming exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from newswatch.models import Article
from newswatch.store.reads import articles
from newswatch.store.reads.window import Window
from newswatch.store.values import MAX_ID
from seed import Seeder
from sqlalchemy import Engine

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def ids(engine: Engine) -> dict[str, int]:
    """One article seen at two URLs with two versions, and one other article from another source."""
    repo = Seeder(engine)

    def put(headline: str, url: str, final_url: str | None, source: str, days: int) -> int:
        outcome = repo.store_article(
            Article(headline=headline, body=f"{headline}. Drones were seen over the bay."),
            url=url,
            final_url=final_url,
            source_name=source,
            fetched_at=NOW - timedelta(days=days),
            page_id=None,
        )
        return outcome.article_id

    kim = put("Kim inspects drones", "https://one.test/feed-link?id=7", "https://one.test/kim", "s1", 3)
    put("Kim inspects attack drones", "https://one.test/kim", None, "s1", 1)
    bay = put("Drones over the bay", "https://two.test/bay", None, "s2", 2)
    return {"kim": kim, "bay": bay}


def test_article_by_id_with_its_latest_version(engine: Engine, ids: dict[str, int]) -> None:
    found = articles.find_article(engine, ids["kim"])
    assert found is not None and found["id"] == ids["kim"]
    assert found["latest"]["version_no"] == 2 and found["latest"]["headline"] == "Kim inspects attack drones"
    assert found["first_seen_at"].tzinfo is not None
    for absent in (MAX_ID, MAX_ID + 1, -1, 0):  # beyond 64 bits SQLite cannot even bind the number
        assert articles.find_article(engine, absent) is None


def test_article_at_a_url_canonical_first_then_any_alias(engine: Engine, ids: dict[str, int]) -> None:
    by_canonical = articles.article_id_at(engine, canonical="https://one.test/kim", seen_at=[])
    by_alias = articles.article_id_at(
        engine, canonical="https://one.test/feed-link", seen_at=["https://one.test/feed-link?id=7"]
    )
    assert by_canonical == by_alias == ids["kim"]
    assert articles.article_id_at(engine, canonical="https://one.test/nothing", seen_at=["x"]) is None


def test_versions_oldest_first_with_their_diff(engine: Engine, ids: dict[str, int]) -> None:
    history = articles.versions(engine, ids["kim"])
    assert [v["version_no"] for v in history] == [1, 2]
    assert history[0]["diff"] is None and "{+attack+}" in history[1]["diff"]


def test_hit_versions_filter_by_window_and_ids(engine: Engine, ids: dict[str, int]) -> None:
    def found(version_ids: list[int] | None, window: Window) -> list[tuple[int, int]]:
        rows = articles.hit_versions(engine, version_ids, window, limit=10)
        return [(r["article_id"], r["version_no"]) for r in rows]

    everything = found(None, Window(all_versions=True))
    assert everything == [(ids["kim"], 2), (ids["bay"], 1), (ids["kim"], 1)]  # newest first
    assert found(None, Window()) == [(ids["kim"], 2), (ids["bay"], 1)]
    assert found(None, Window(since=NOW - timedelta(days=2, hours=1), all_versions=True)) == everything[:2]
    assert found(None, Window(until=NOW - timedelta(days=2, hours=1), all_versions=True)) == everything[2:]
    assert found(None, Window(source="s2")) == [(ids["bay"], 1)]
    assert found([], Window()) == []
    bay_version = articles.find_article(engine, ids["bay"])["latest"]["id"]  # type: ignore[index]
    assert found([bay_version], Window()) == [(ids["bay"], 1)]
    rows = articles.hit_versions(engine, None, Window(), limit=1)
    assert len(rows) == 1 and rows[0]["body"].startswith("Kim inspects attack drones")


def test_current_versions_and_newest_articles_page_through(engine: Engine, ids: dict[str, int]) -> None:
    newest = articles.newest_articles(engine, offset=0, limit=1) + articles.newest_articles(
        engine, offset=1, limit=5
    )
    assert [a["article_id"] for a in newest] == [ids["kim"], ids["bay"]]
    assert "body" not in newest[0] and newest[0]["headline"] == "Kim inspects attack drones"
    current = articles.current_versions(engine, None, limit=5)
    assert [a["article_id"] for a in current] == [ids["kim"], ids["bay"]] and current[1]["body"]


def test_export_streams_in_batches_oldest_first(engine: Engine, ids: dict[str, int]) -> None:
    rows = list(articles.iter_versions(engine, batch=1))
    assert [(r["article_id"], r["version_no"]) for r in rows] == [
        (ids["kim"], 1),
        (ids["kim"], 2),
        (ids["bay"], 1),
    ]
    assert {r["outlet"] for r in rows} == {"one.test", "two.test"}
    recent = articles.iter_versions(engine, since=NOW - timedelta(days=2, hours=1), until=NOW, batch=1)
    assert [r["version_no"] for r in recent] == [2, 1]


def test_article_history_reads_the_page_at_once(engine: Engine, ids: dict[str, int]) -> None:
    history = articles.article_history(engine, ids["kim"])
    assert history is not None and history.article["id"] == ids["kim"]
    assert [v["version_no"] for v in history.versions] == [1, 2] and history.matches == []
    assert articles.article_history(engine, MAX_ID + 1) is None
    assert articles.article_history(engine, 424242) is None
