"""Full-text search and topic search find Chinese, Japanese and Korean terms on both databases.

The labelled multilingual texts are stored through the real store; what each term must find is
worked out from the texts themselves (a Han/Kana term: the text contains it; a Korean noun: a word
of the text is the noun or the noun followed by a particle), not written down by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from newswatch.models import Article
from newswatch.settings import load_settings
from newswatch.store.fulltext import parse_query as parse_search
from newswatch.store.reads.hits import search
from newswatch.store.reads.window import Window
from newswatch.topic_search import search_articles
from newswatch.topics.config import load_topics
from newswatch.topics.query import parse_query
from newswatch.topics.text import KOREAN_PARTICLES
from seed import Seeder
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]
TEXTS = yaml.safe_load((Path(__file__).parent / "data" / "multilingual.yaml").read_text(encoding="utf-8"))[
    "texts"
]
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def stored(engine: Engine) -> Engine:
    seeder = Seeder(engine)
    for n, text in enumerate(TEXTS):
        seeder.store_article(
            Article(headline=text["headline"], body=text["body"], language=text["language"]),
            url=f"https://{text['id']}.test/story",
            final_url=None,
            source_name=text["language"],
            fetched_at=NOW - timedelta(minutes=n),
            page_id=None,
        )
    return engine


def _contains(text: dict[str, str], term: str) -> bool:
    whole = f"{text['headline']} {text['body']}"
    if "\uac00" <= term[0] <= "\ud7a3":  # Hangul: a word that is the noun, or the noun + a particle
        words = [w.strip(".,“”…·") for w in whole.split()]
        return any(w == term or (w.startswith(term) and w[len(term) :] in KOREAN_PARTICLES) for w in words)
    return term in whole


def _expected(term: str) -> set[str]:
    return {f"{t['id']}.test" for t in TEXTS if _contains(t, term)}


@pytest.mark.parametrize(
    "term", ["朝鲜", "俄罗斯", "北朝鮮", "軍事", "ロシア", "朝中社", "북한", "러시아", "군사"]
)
def test_topic_search_finds_a_term_of_every_script(stored: Engine, term: str) -> None:
    settings = load_settings(environ={})
    found = {h["outlet"] for h in search_articles(stored, parse_query(term), settings, limit=100)}
    assert found == _expected(term)
    assert found  # the texts do hold every term


@pytest.mark.parametrize("term", ["朝鲜", "北朝鮮", "軍事", "ロシア"])
def test_full_text_search_finds_han_and_kana_inside_running_text(stored: Engine, term: str) -> None:
    hits = search(stored, parse_search(term), Window(), limit=100)
    assert {h.outlet for h in hits} == _expected(term)
    assert all(term in (h.snippet or "") for h in hits)  # the passage around the term
    bare = search(stored, parse_search(term), Window(), limit=100, snippets=False)
    assert [h.version_id for h in bare] == [h.version_id for h in hits]
    assert all(h.snippet is None for h in bare)


def test_full_text_search_finds_a_korean_noun_with_its_particles(stored: Engine) -> None:
    hits = search(stored, parse_search("북한"), Window(), limit=100)
    found = {h.outlet for h in hits}
    assert _expected("북한") <= found  # 북한이, 북한과, 북한은 ...
    assert "ko-hiking.test" in found  # the word index finds 북한산 too; the topic matcher drops it


def test_full_text_search_mixes_scripts_in_one_query(stored: Engine) -> None:
    hits = search(stored, parse_search("朝鲜 OR pyongyang -天气"), Window(), limit=100)
    expected = {f"{t['id']}.test" for t in TEXTS if _contains(t, "朝鲜")} | {
        f"{t['id']}.test" for t in TEXTS if "pyongyang" in f"{t['headline']} {t['body']}".lower()
    }
    assert {h.outlet for h in hits} == expected


def test_the_example_topic_finds_its_stories_in_every_language(stored: Engine) -> None:
    settings = load_settings(environ={})
    topic = load_topics(ROOT / "config" / "topics.yaml").by_name("Russia–North Korea military ties")
    assert topic is not None
    found = {h["outlet"] for h in search_articles(stored, topic.query, settings, limit=100)}
    assert found == {f"{t['id']}.test" for t in TEXTS if t["label"] == "story"}
