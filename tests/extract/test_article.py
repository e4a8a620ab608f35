"""The article as extract_article assembles it: language and canonical URL beside the other fields."""

from __future__ import annotations

from extract_pages import extract, page


def test_language_and_canonical() -> None:
    head = '<link rel="canonical" href="/news/budget">'
    article = extract(page(head, lang="en-GB"), "https://city.example/news/budget?utm_source=x")
    assert article.language == "en-gb"
    assert article.canonical_url == "https://city.example/news/budget"


def test_canonical_ignores_non_http_schemes() -> None:
    head = '<link rel="canonical" href="javascript:alert(1)">'
    assert extract(page(head), "https://city.example/a").canonical_url == "https://city.example/a"
