"""Per-site CSS selectors win over the heuristics; a selector that matches nothing falls back."""

from __future__ import annotations

from datetime import date

from extract_pages import PROSE, extract, page

BODY = (
    '<h1>Heuristic headline</h1><div class="hl">Override headline</div>'
    '<span class="when">Posted 4 January 2022</span><span class="who">By Ida Ek</span>'
    f'<div class="copy"><p>Only this.</p><div class="share">Share</div><p>{PROSE}</p></div>'
)


def test_overrides_win() -> None:
    overrides = {
        "headline": ".hl",
        "body": ".copy",
        "published": ".when",
        "authors": ".who",
        "updated": ".missing",
    }
    head = '<meta property="article:published_time" content="2023-01-01">'
    article = extract(page(head, BODY), overrides=overrides)
    assert article.headline == "Override headline"
    assert article.body == f"Only this.\n\n{PROSE}"
    assert (article.published_at.date(), article.published_source) == (date(2022, 1, 4), "override")
    assert article.authors == ["Ida Ek"]
    assert article.updated_at is None


def test_bad_or_unmatched_selectors_fall_back() -> None:
    head = '<meta property="article:published_time" content="2023-01-01">'
    article = extract(page(head, BODY), overrides={"headline": "h1[", "body": ".nothing"})
    assert article.headline == "Heuristic headline"
    assert article.body.count(PROSE) >= 3
    assert article.published_source != "override"
