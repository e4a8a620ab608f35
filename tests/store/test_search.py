"""Full-text search on both databases: syntax, filters, versions, languages, hostile input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from newswatch.models import Article
from newswatch.store.repository import Repository
from newswatch.store.search import SearchQuery, SearchSyntaxError, Term, parse_query
from sqlalchemy import Engine

NOW = datetime.now(UTC).replace(microsecond=0)


def test_parse_words_phrases_or_exclusion_and_prefix() -> None:
    q = parse_query('"Kim Jong Un" drone* OR missile -football')
    assert q == SearchQuery(
        groups=((Term(("kim", "jong", "un")),), (Term(("drone",), prefix=True), Term(("missile",)))),
        excluded=(Term(("football",)),),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no words"),
        ("   ", "no words"),
        ("-sport", "only of excluded"),
        ("OR drones", "both sides"),
        ("drones OR", "both sides"),
        ('"kim jong', "unbalanced"),
        ("!!! ???", "no words"),
    ],
)
def test_malformed_queries_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError, match=message):
        parse_query(text)


@pytest.fixture
def repo(engine: Engine) -> Repository:
    repo = Repository(engine)
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
    return repo


def outlets(repo: Repository, text: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(h.outlet for h in repo.search(parse_query(text), **kw))


def test_words_are_anded_and_stemmed(repo: Repository) -> None:
    assert outlets(repo, "kim drone") == ["one.test"]
    assert outlets(repo, "drones") == ["four.test", "one.test", "six.test"]


def test_phrase_keeps_word_order(repo: Repository) -> None:
    assert outlets(repo, '"kim jong un"') == ["one.test"]
    assert outlets(repo, '"jong kim"') == ["two.test"]


def test_or_exclusion_and_prefix(repo: Repository) -> None:
    assert outlets(repo, "missile OR drones -football") == ["four.test", "one.test", "three.test"]
    assert outlets(repo, "foot*") == ["six.test", "two.test"]  # football(er)


def test_window_source_and_limit(repo: Repository) -> None:
    assert outlets(repo, "drones", since=NOW - timedelta(days=7)) == ["one.test", "six.test"]
    assert outlets(repo, "drones", until=NOW - timedelta(days=7)) == ["four.test"]
    assert outlets(repo, "drones", source="s1") == ["four.test", "one.test"]
    hits = repo.search(parse_query("drones"), limit=1)
    assert len(hits) == 1 and hits[0].fetched_at == NOW - timedelta(days=1)


def test_latest_versions_only_unless_asked(repo: Repository) -> None:
    assert outlets(repo, "submarine") == []
    hits = repo.search(parse_query("submarine"), all_versions=True)
    assert [(h.outlet, h.version_no) for h in hits] == [("three.test", 1)]


def test_snippet_marks_the_match(repo: Repository) -> None:
    (hit,) = repo.search(parse_query('"kim jong un"'))
    assert hit.snippet and "[" in hit.snippet and "Kim" in hit.snippet
    assert hit.headline == "Kim Jong Un inspects drones" and hit.language == "en"


def test_language_aware_stemming_on_postgresql(repo: Repository, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 porter stemmer is English-only")
    assert outlets(repo, "drohne") == ["five.test"]  # German stemming: Drohnen -> drohn


@pytest.mark.parametrize(
    "hostile",
    ["NEAR(kim jong)", "kim:* & drone", "'; DROP TABLE articles; --", 'kim^ "drone" \\', "col:kim", "a'b"],
)
def test_hostile_queries_are_just_words(repo: Repository, hostile: str) -> None:
    repo.search(parse_query(hostile))  # must not raise a database error
    assert outlets(repo, "drones")  # and the data is still there
