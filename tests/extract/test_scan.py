"""The one walk over the page: what it records, and how it judges boilerplate and hidden elements."""

from __future__ import annotations

from newswatch.extract.parse import parse_html
from newswatch.extract.scan import boilerplate_kind, is_hidden, names_content, scan_page


def test_the_walk_records_title_language_canonical_metas_json_ld_and_times() -> None:
    soup = parse_html(
        '<html lang="ko"><head><title>T</title><link rel="canonical" href="https://n.test/a">'
        '<meta property="og:title" content="OG"><script type="application/ld+json">{"a": 1}</script>'
        '</head><body><article><time datetime="2024-06-19T15:20:00+09:00">오후 3:20</time>'
        "<p>Body text long enough to be a block of the article.</p></article></body></html>"
    )
    scan = scan_page(soup)
    assert (scan.title, scan.lang, scan.canonical) == ("T", "ko", "https://n.test/a")
    assert ("og:title", "OG") in scan.metas and scan.json_ld == ['{"a": 1}']
    assert scan.times and scan.times[0][0] == "2024-06-19T15:20:00+09:00"
    assert any("Body text" in b.text for b in scan.blocks)


def test_boilerplate_kinds() -> None:
    assert boilerplate_kind("div", {"class": "comments-thread"}) == "strong"
    assert boilerplate_kind("nav", {}) == "weak"
    assert boilerplate_kind("div", {"role": "navigation"}) == "weak"
    assert boilerplate_kind("div", {"class": "article-body"}) is None


def test_hidden_and_content_classes() -> None:
    assert is_hidden({"hidden": ""}) and is_hidden({"style": "display: none"})
    assert not is_hidden({"style": "color: red"})
    assert names_content("post-body") and not names_content("row col-8") and not names_content("")
