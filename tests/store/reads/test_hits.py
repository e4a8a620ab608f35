"""Full-text search on both databases: filters, versions, languages, snippets, hostile input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from newswatch.models import Article
from newswatch.store.fulltext import parse_query
from newswatch.store.reads.hits import search
from newswatch.store.reads.window import Window
from seed import Seeder
from sqlalchemy import Engine

NOW = datetime.now(UTC).replace(microsecond=0)
LIMIT = 20


@pytest.fixture
def stored(engine: Engine) -> Engine:
    repo = Seeder(engine)
    docs = [  # the missile story's first version mentioned a submarine; its current one does not
        (
            "https://three.test/missile",
            "s2",
            "en",
            3,
            "Missile launch",
            "A missile and a submarine were seen.",
        ),
        (
            "https://one.test/kim",
            "s1",
            "en",
            1,
            "Kim Jong Un inspects drones",
            "North Korean leader Kim Jong Un watched attack drones strike a target.",
        ),
        (
            "https://two.test/jong",
            "s2",
            "en",
            1,
            "A different order",
            "Jong Kim, a footballer, played un match with no aircraft involved.",
        ),
        ("https://three.test/missile", "s2", "en", 2, "Missile launch", "A missile was launched at dawn."),
        ("https://four.test/old", "s1", "en", 30, "Old drones story", "Drones were seen long ago."),
        ("https://five.test/de", "s3", "de", 1, "Neue Drohnen", "Die Armee zeigte neue Drohnen und Panzer."),
        (
            "https://six.test/sport",
            "s3",
            "en",
            1,
            "Drones at the football",
            "A drone flew over the football match.",
        ),
    ]
    for url, source, lang, days, headline, body in docs:
        repo.store_article(
            Article(headline=headline, body=body, language=lang),
            url=url,
            final_url=None,
            source_name=source,
            fetched_at=NOW - timedelta(days=days),
            page_id=None,
        )
    return engine


def outlets(engine: Engine, text: str, **window) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(h.outlet for h in search(engine, parse_query(text), Window(**window), limit=LIMIT))


def test_words_are_anded_and_stemmed(stored: Engine) -> None:
    assert outlets(stored, "kim drone") == ["one.test"]
    assert outlets(stored, "drones") == ["four.test", "one.test", "six.test"]


def test_phrase_keeps_word_order(stored: Engine) -> None:
    assert outlets(stored, '"kim jong un"') == ["one.test"]
    assert outlets(stored, '"jong kim"') == ["two.test"]


def test_or_exclusion_and_prefix(stored: Engine) -> None:
    assert outlets(stored, "missile OR drones -football") == ["four.test", "one.test", "three.test"]
    assert outlets(stored, "foot*") == ["six.test", "two.test"]  # football(er)


def test_window_source_and_limit(stored: Engine) -> None:
    assert outlets(stored, "drones", since=NOW - timedelta(days=7)) == ["one.test", "six.test"]
    assert outlets(stored, "drones", until=NOW - timedelta(days=7)) == ["four.test"]
    assert outlets(stored, "drones", source="s1") == ["four.test", "one.test"]
    hits = search(stored, parse_query("drones"), limit=1)
    assert len(hits) == 1 and hits[0].fetched_at == NOW - timedelta(days=1)


def test_latest_versions_only_unless_asked(stored: Engine) -> None:
    assert outlets(stored, "submarine") == []
    hits = search(stored, parse_query("submarine"), Window(all_versions=True), limit=LIMIT)
    assert [(h.outlet, h.version_no) for h in hits] == [("three.test", 1)]


def test_snippet_marks_the_match(stored: Engine) -> None:
    (hit,) = search(stored, parse_query('"kim jong un"'), limit=LIMIT)
    assert hit.snippet and "[" in hit.snippet and "Kim" in hit.snippet
    assert hit.headline == "Kim Jong Un inspects drones" and hit.language == "en"


@pytest.mark.parametrize("text", ["drones", '"kim jong un"', "missile OR drone* -football"])
def test_hits_without_snippets_are_the_same_versions(stored: Engine, text: str) -> None:
    marked = search(stored, parse_query(text), limit=LIMIT)
    bare = search(stored, parse_query(text), limit=LIMIT, snippets=False)
    assert marked and [h.version_id for h in bare] == [h.version_id for h in marked]
    assert all(h.snippet is None for h in bare) and all(h.snippet for h in marked)


def test_language_aware_stemming_on_postgresql(stored: Engine, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 porter stemmer is English-only")
    assert outlets(stored, "drohne") == ["five.test"]  # German stemming: Drohnen -> drohn


@pytest.mark.parametrize(
    "hostile",
    ["NEAR(kim jong)", "kim:* & drone", "'; DROP TABLE articles; --", 'kim^ "drone" \\', "col:kim", "a'b"],
)
def test_hostile_queries_are_just_words(stored: Engine, hostile: str) -> None:
    search(stored, parse_query(hostile), limit=LIMIT)  # must not raise a database error
    assert outlets(stored, "drones")  # and the data is still there


def test_a_source_name_holding_nul_finds_nothing(stored: Engine) -> None:
    assert search(stored, parse_query("drones"), Window(source="s1\x00"), limit=LIMIT) == []
