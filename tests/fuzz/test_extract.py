"""Fuzz the article extractor with hostile pages built from the pieces real pages are made of.

``extract_article`` promises never to raise; it keeps that promise with a last-resort
``except Exception`` that logs "extraction failed". So the property here is stricter: no input
may reach that handler (a logged exception is a crash the guard merely hid), and what comes out
is well-formed: aware dates within the plausibility bounds, an http(s) canonical URL or the
page URL, text without NULs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fuzzing import budget, tried
from hypothesis import example, given
from hypothesis import strategies as st
from logged import logged_errors
from newswatch.extract import extract_article
from newswatch.fetch.decode import decode_body
from newswatch.models import Hints
from newswatch.settings import load_settings

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
URL = "https://news.example.com/world/2026/11/26/some-story"
SETTINGS = load_settings(environ={})

DATES = st.sampled_from(
    [
        "2026-11-26T10:00:00Z", "2026-11-26", "26/11/2026", "11/26/2026", "Nov 26, 2026", "yesterday",
        "0000-00-00", "9999-12-31T23:59:59+14:00", "1970-01-01", "2026-02-30", "2026-11-26T25:61:00",
        "-1", "1e400", "", "NaN", "2026-11-26T10:00:00+99:00", "١٢/١١/٢٠٢٦", "2026-W48-4", "T" * 500,
    ]
) | st.text(max_size=40)
WORDS = st.text(max_size=60)
CANONICALS = st.sampled_from(
    ["http://example.com:99999/x", "//evil.example/", "javascript:alert(1)", "https://news.example.com/",
     "https://news.example.com/amp/x", "[", ""]
)
LANGS = st.sampled_from(["en", "pt-BR", "zz", "", "x" * 300])


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@st.composite
def json_ld(draw: st.DrawFn) -> str:
    value = draw(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | WORDS | DATES,
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                st.sampled_from(["@type", "@graph", "headline", "datePublished", "dateModified", "author",
                                 "name", "inLanguage", "mainEntityOfPage", "url", "@id"]),
                inner,
                max_size=6,
            ),
            max_leaves=20,
        )
    )
    raw = json.dumps(value, allow_nan=True) if draw(st.booleans()) else draw(st.text(max_size=80))
    return f'<script type="application/ld+json">{raw}</script>'


PIECES = st.one_of(
    st.builds(lambda t: f"<h1>{t}</h1>", WORDS),
    st.builds(lambda t: f"<p>{t}</p>", WORDS),
    st.builds(lambda t: f"<time datetime=\"{_attr(t)}\">{t}</time>", DATES),
    st.builds(lambda k, v: f'<meta property="{k}" content="{_attr(v)}">',
              st.sampled_from(["article:published_time", "article:modified_time", "og:title", "og:url",
                               "og:locale", "author", "date", "pubdate", "dc.date"]),
              DATES | WORDS),
    st.builds(lambda u: f'<link rel="canonical" href="{_attr(u)}">', CANONICALS | WORDS),
    st.builds(lambda lang: f'<html lang="{_attr(lang)}">', LANGS),
    st.builds(lambda t: f'<span class="byline">By {t}</span>', WORDS),
    st.builds(lambda t: f'<p class="dateline">Updated {t}</p>', DATES),
    json_ld(),
    st.sampled_from(["<div>", "</div>", "<article>", "</article>", "<table><tr><td>", "<!--", "-->",
                     "<![CDATA[", "<script>", "</script>", "<style>", "<svg><foreignObject>", "<math>",
                     "<template>", "&#0;", "&#x110000;", "&nbsp;", "\x00", "\ufeff", "<br/>" * 20]),
    WORDS,
)


@st.composite
def pages(draw: st.DrawFn) -> str:
    parts = draw(st.lists(PIECES, max_size=30))
    if draw(st.booleans()):
        depth = draw(st.integers(0, 3000))  # nesting deep enough to trip recursive tree walkers
        parts = ["<div>" * depth, *parts, "</div>" * depth]
    return "".join(parts)


HINTS = st.builds(
    Hints,
    # A listing cannot carry NUL (XML forbids it; the parser drops it), so hints never hold one.
    title=st.none() | WORDS.map(lambda t: t.replace("\x00", "")),
    published_at=st.none() | st.datetimes(timezones=st.none() | st.just(UTC)),
    updated_at=st.none() | st.datetimes(timezones=st.none() | st.just(UTC)),
    language=st.none() | st.sampled_from(["en", "EN", "", "x" * 100]),
    origin=st.none() | st.sampled_from(["feed", "sitemap"]),
)


def _check(page: str, hints: Hints | None) -> None:
    article, crashes = logged_errors(
        lambda: tried(
            "extract.extract_article",
            lambda: extract_article(page, url=URL, hints=hints, settings=SETTINGS, now=NOW),
        )
    )
    assert not crashes, crashes[0]
    earliest = datetime(SETTINGS.extract_min_year, 1, 1, tzinfo=UTC)
    latest = NOW + timedelta(hours=SETTINGS.extract_future_skew_hours)
    for value, source in ((article.published_at, article.published_source),
                          (article.updated_at, article.updated_source)):
        if value is None:
            continue
        assert value.tzinfo is not None
        if source not in ("feed", "sitemap"):  # page dates must pass the plausibility check
            assert earliest <= value <= latest, (value, source)
    assert article.canonical_url is None or article.canonical_url.startswith(("http://", "https://"))
    for text in (article.headline or "", article.body, *article.authors):
        assert "\x00" not in text


@budget(300)
@given(page=pages(), hints=st.none() | HINTS)
@example(page='<link rel="canonical" href="http://news.example.com:99999/x"><p>' + "word " * 80, hints=None)
@example(page="<div>" * 5000 + "<p>deep</p>", hints=None)
@example(page='<meta charset="zlib"><p>x</p>', hints=None)
@example(page='<time datetime="2026-11-26T10:00:00+99:00">2026-11-26T10:00:00+99:00</time>', hints=None)
def test_extractor_survives_hostile_pages(page: str, hints: Hints | None) -> None:
    _check(page, hints)


@budget(200)
@given(raw=st.binary(max_size=3000))
def test_extractor_survives_raw_bytes(raw: bytes) -> None:
    _check(decode_body(raw, None)[0], None)  # bytes reach the extractor through the fetch decoder


def test_script_tag_inside_json_ld_text_keeps_the_page() -> None:
    """Finding: '<script>' in a JSON-LD string made the inert-markup stripper eat the block's
    closing tag, and with it the whole page: no headline, no body."""
    line = "of an ordinary article about the harbour and its ships."
    body = "".join(f"<p>Paragraph {i} {line}</p>" for i in range(5))
    page = ('<script type="application/ld+json">{"headline": "Why <script> tags matter"}</script>'
            f"<article><h1>Plain</h1>{body}</article>")
    article = extract_article(page, url=URL, settings=SETTINGS, now=NOW)
    assert article.headline and "Paragraph 4" in article.body
