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


def _texts(html: str) -> list[str]:
    return [block.text for block in scan_page(parse_html(f"<html><body>{html}</body></html>")).blocks]


def test_a_reading_given_in_parentheses_is_text_but_learners_readings_are_not() -> None:
    # Yomiuri's way with a foreign name: the reading, with the parentheses a browser without
    # ruby shows around it.
    named = "<p>韓国の<ruby><rb>尹錫悦</rb><rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>大統領は</p>"
    assert _texts(named) == ["韓国の尹錫悦（ユンソンニョル）大統領は"]
    # NHK's easy Japanese: a reading over every word, without <rp>.
    learners = "<p><ruby>韓国<rt>かんこく</rt></ruby>の<ruby>大統領<rt>だいとうりょう</rt></ruby></p>"
    assert _texts(learners) == ["韓国の大統領"]
