"""Searching the archive in the topic query language, on both databases: anchors, windows, limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from newswatch.models import Article
from newswatch.settings import load_settings
from newswatch.topic_search import Window, search_articles, text_anchors
from newswatch.topics.query import parse_query
from newswatch.topics.syntax import Word
from seed import Seeder
from sqlalchemy import Engine

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.mark.parametrize(
    ("query", "anchors"),
    [
        ("drones", {Word("drones")}),
        ('"kim jong un" drone*', {Word("jong")}),  # a phrase's longest whole word
        ("missile OR rocket", {Word("missile"), Word("rocket")}),
        ("kim NOT football", {Word("kim")}),
        ("headline:kim", {Word("kim")}),
        ("source:wire", None),  # not in the full-text index
        ("missile OR source:wire", None),  # one alternative has no anchor: none for the whole
        ("lang:de AND drones", {Word("drones")}),
    ],
)
def test_anchors_every_match_contains(query: str, anchors: set[Word] | None) -> None:
    found = text_anchors(parse_query(query).root)
    assert (set(found) if found is not None else None) == anchors


@pytest.fixture
def stored(engine: Engine, db_url: str) -> tuple[Engine, dict[str, int]]:
    repo = Seeder(engine)
    ids = {}
    for key, url, source, days, headline, body in (
        ("old", "https://one.test/a", "s1", 3, "Kim inspects drones", "Kim watched drones at sea."),
        ("new", "https://one.test/a", "s1", 1, "Kim inspects attack drones", "Kim watched attack drones."),
        ("wire", "https://two.test/b", "s2", 2, "Drones over the bay", "Drones were seen over the bay."),
        ("sport", "https://two.test/c", "s2", 0, "Cup final", "The club won the cup."),
    ):
        outcome = repo.store_article(
            Article(headline=headline, body=body, language="en"),
            url=url,
            final_url=None,
            source_name=source,
            fetched_at=NOW - timedelta(days=days),
            page_id=None,
        )
        ids[key] = outcome.version_id
    return engine, ids


def _versions(
    engine: Engine, db_url: str, query: str, window: Window | None = None, limit: int = 20
) -> list[int]:
    settings = load_settings({"NEWSWATCH_DATABASE_URL": db_url})
    return [
        h["version_id"]
        for h in search_articles(engine, parse_query(query), settings, window or Window(), limit)
    ]


def test_current_versions_newest_first_with_evidence(stored, db_url: str) -> None:  # type: ignore[no-untyped-def]
    engine, ids = stored
    assert _versions(engine, db_url, "drones") == [ids["new"], ids["wire"]]
    assert _versions(engine, db_url, "drones", limit=1) == [ids["new"]]
    settings = load_settings({"NEWSWATCH_DATABASE_URL": db_url})
    (hit,) = search_articles(engine, parse_query("headline:attack"), settings)
    assert hit["version_id"] == ids["new"] and "body" not in hit
    assert hit["score"] > 0 and any("attack" in e for e in hit["evidence"])


def test_window_and_earlier_versions(stored, db_url: str) -> None:  # type: ignore[no-untyped-def]
    engine, ids = stored
    every = Window(all_versions=True)
    assert _versions(engine, db_url, "kim drones", every) == [ids["new"], ids["old"]]
    assert _versions(engine, db_url, "drones", Window(since=NOW - timedelta(days=2, hours=1))) == [
        ids["new"],
        ids["wire"],
    ]
    assert _versions(engine, db_url, "drones", Window(until=NOW - timedelta(days=1, hours=1))) == [
        ids["wire"]
    ]
    assert _versions(engine, db_url, "drones", Window(source="s2")) == [ids["wire"]]


def test_a_query_without_anchor_scans_the_newest(stored, db_url: str) -> None:  # type: ignore[no-untyped-def]
    engine, ids = stored
    assert _versions(engine, db_url, "source:two.test") == [ids["sport"], ids["wire"]]
    assert _versions(engine, db_url, "cup NOT source:one.test") == [ids["sport"]]
