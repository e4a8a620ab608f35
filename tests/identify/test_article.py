"""The identify stage decides an article's canonical URL, aliases, link and whether content is new."""

from __future__ import annotations

from newswatch.identify.article import identify_article
from newswatch.models import Article
from newswatch.settings import load_settings

SETTINGS = load_settings(environ={})


def test_every_url_seen_is_an_alias_and_the_page_canonical_wins() -> None:
    article = Article(headline="H", body="B", canonical_url="https://news.test/world/x")
    found = identify_article(
        article,
        url="https://feeds.news.test/r/123",
        final_url="https://news.test/world/x?ref=rss",
        settings=SETTINGS,
    )
    assert found.canonical_url == "https://news.test/world/x"
    assert {"https://feeds.news.test/r/123", "https://news.test/world/x?ref=rss"} <= set(found.aliases)
    assert found.outlet == "news.test"


def test_lookup_urls_include_canonical_forms_of_every_alias() -> None:
    found = identify_article(
        Article(headline="H", body="B"),
        url="http://www.news.test/a/1/?utm_source=x",
        final_url=None,
        settings=SETTINGS,
    )
    assert "https://news.test/a/1" in found.lookup_urls


def test_new_content_only_when_the_normalised_text_changed() -> None:
    first = identify_article(
        Article(headline="Drone strike", body="Text."),
        url="https://n.test/a",
        final_url=None,
        settings=SETTINGS,
    )
    restamped = identify_article(
        Article(headline="Drone strike", body="Text.\nUpdated 3 minutes ago"),
        url="https://n.test/a",
        final_url=None,
        settings=SETTINGS,
    )
    assert not restamped.is_new_content(first.content.content_hash)
    assert first.is_new_content(None)
    edited = identify_article(
        Article(headline="Drone strike kills two", body="Text."),
        url="https://n.test/a",
        final_url=None,
        settings=SETTINGS,
    )
    assert edited.is_new_content(first.content.content_hash)
    assert edited.diff_from("Drone strike", "Text.").startswith("headline: … Drone strike {+kills two+}")
