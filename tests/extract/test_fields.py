"""Headline, authors, body, language and canonical URL layers on small synthetic pages."""

from __future__ import annotations

from extract_pages import PROSE, page
from newswatch.extract import extract_article
from newswatch.extract.authors import clean_names


def test_headline_prefers_the_h1_the_metadata_agrees_with() -> None:
    head = '<meta property="og:title" content="Budget approved after long night | City Paper">'
    body = "<h1>Most read</h1><h1>Budget approved after long night</h1>"
    assert extract_article(page(head, body)).headline == "Budget approved after long night"


def test_headline_falls_back_to_metadata_without_site_name() -> None:
    html = page("<title>Council passes budget – The City Paper</title>", "<h1>The City Paper</h1>")
    html = html.replace("<title>T</title>", "")
    assert extract_article(html).headline == "Council passes budget"


def test_headline_from_json_ld() -> None:
    head = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Rates rise again"}</script>'
    assert extract_article(page(head)).headline == "Rates rise again"


def test_authors_from_json_ld_objects_and_lists() -> None:
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person",'
        '"name":"Jane Doe"},{"@type":"Person","name":"John Roe"}]}</script>'
    )
    assert extract_article(page(head)).authors == ["Jane Doe", "John Roe"]


def test_authors_from_meta_and_byline() -> None:
    assert extract_article(page('<meta name="author" content="Ana Lima">')).authors == ["Ana Lima"]
    body = '<div class="byline">By <a rel="author" href="/a/kim">Kim Lee</a> and Sam Park</div>'
    assert extract_article(page(body=body)).authors == ["Kim Lee", "Sam Park"]


def test_author_cleanup() -> None:
    assert clean_names(["By Jane Doe, Reuters"]) == ["Jane Doe", "Reuters"]
    assert clean_names(["Von Max Muster und Erika Muster"]) == ["Max Muster", "Erika Muster"]
    assert clean_names(["https://facebook.com/someone", "jane@example.com", "Updated 3 hours ago"]) == []


def test_body_keeps_paragraphs_and_drops_boilerplate() -> None:
    body = (
        '<div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a></div>'
        "<p>Share WhatsApp Telegram Email</p>"
        '<div class="related-links"><p>' + PROSE + "</p></div>"
        "<figure><img src=x><figcaption>The council chamber. Photo: Jo Bloggs</figcaption></figure>"
    )
    article = extract_article(page(body=body))
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 3
    assert all(p.startswith(PROSE) for p in paragraphs)
    for noise in ("Facebook", "WhatsApp", "Photo:", "Home"):
        assert noise not in article.body


def test_body_keeps_subheadings_and_lists_inside_the_article() -> None:
    html = page().replace(
        '<div class="article-body">',
        '<div class="article-body"><h2>What changes</h2><ul><li>Schools get more money this year.</li></ul>',
    )
    body = extract_article(html).body
    assert body.startswith("What changes\n\nSchools get more money this year.\n\n")


def test_language_and_canonical() -> None:
    head = '<link rel="canonical" href="/news/budget">'
    article = extract_article(page(head, lang="de-DE"), "https://city.example/news/budget?utm_source=x")
    assert article.language == "de-de"
    assert article.canonical_url == "https://city.example/news/budget"


def test_canonical_ignores_non_http_schemes() -> None:
    head = '<link rel="canonical" href="javascript:alert(1)">'
    assert extract_article(page(head), "https://city.example/a").canonical_url == "https://city.example/a"
