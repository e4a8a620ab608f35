"""Article text a page ships beside its HTML: the JSON-LD articleBody of a teaser page, the article
HTML a client-rendered page's scripts carry."""

from __future__ import annotations

import json

from extract_pages import PROSE, extract, paragraphs


def _teaser_page(article_body: str, teaser_count: int = 2) -> str:
    data = json.dumps({"@type": "NewsArticle", "headline": "Budget approved", "articleBody": article_body})
    teaser = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(teaser_count))
    return (
        f"<html><head><script type='application/ld+json'>{data}</script></head><body><article>"
        f"<h1>Budget approved</h1><div class='article-body'>{teaser}<p>Read the full story in our app.</p>"
        "</div></article><footer>© Site</footer></body></html>"
    )


def test_a_teaser_page_is_read_whole_from_the_articlebody_it_ships() -> None:
    whole = "\n".join(f"{PROSE} Part {n}." for n in range(6))
    body = extract(_teaser_page(whole)).body
    assert all(f"Part {n}." in body for n in range(6)) and "full story" not in body
    assert body.split("\n\n")[0] == f"{PROSE} Part 0."


def test_an_articlebody_in_html_is_read_as_its_paragraphs() -> None:
    whole = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(6))
    body = extract(_teaser_page(whole)).body
    assert body.split("\n\n") == [f"{PROSE} Part {n}." for n in range(6)]


def test_an_articlebody_not_much_longer_or_of_another_text_leaves_the_page_body() -> None:
    barely_longer = "\n".join(f"{PROSE} Part {n}." for n in range(3))
    assert "full story" in extract(_teaser_page(barely_longer)).body
    other = "\n".join(f"Another text, on the harbour's ferry timetable, take {n}. " * 3 for n in range(20))
    body = extract(_teaser_page(other)).body
    assert "full story" in body and "ferry" not in body


def _script_rendered_page(article_html: str, rendered: str = "") -> str:
    """A page whose framework ships the article as an HTML string in its script state, escaped the
    way Next.js escapes it (``<`` as ``\\u003c``), and renders ``rendered`` only."""
    state = json.dumps([1, article_html]).replace("<", "\\u003c")
    return (
        "<html><head><title>Budget approved | City Paper</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<main id='root'>{rendered}</main><script>self.__next_f.push({state})</script>"
        "<footer>© City Paper</footer></body></html>"
    )


def test_a_client_rendered_page_is_read_from_the_article_html_its_scripts_carry() -> None:
    story = "".join(f"<p class='editor-p'>{PROSE} Part {n}.</p>" for n in range(4))
    figure = (
        "<div class='editor-img-box'><img src='/a.jpg'>"
        "<div class='caption'><p>The mayor, Monday.</p></div></div>"
    )
    body = extract(_script_rendered_page(f"{figure}$$ARTICLEAD$${story}")).body
    assert body.split("\n\n") == [f"{PROSE} Part {n}." for n in range(4)]


def test_script_html_is_not_read_when_the_page_renders_its_article_or_carries_only_a_snippet() -> None:
    rendered = paragraphs(3, "Rendered")
    script_story = "".join(f"<p>{PROSE} Script {n}.</p>" for n in range(6))
    body = extract(_script_rendered_page(script_story, rendered)).body
    assert "Rendered 2." in body and "Script" not in body
    snippet = "".join(  # markup enough to be a candidate string, text too short to be an article
        f"<p class='story-paragraph-text' data-track='paragraph-{n}-of-three-in-this-story-text'>"
        f"The harbour ferry runs again from Monday, the port said ({n}).</p>"
        for n in range(3)
    )
    assert "ferry" not in extract(_script_rendered_page(snippet)).body
