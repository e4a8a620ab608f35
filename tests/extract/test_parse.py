"""The one parse: inert markup stripped (JSON-LD kept), lxml tree, noscript only when asked."""

from __future__ import annotations

from newswatch.extract.parse import parse_html, strip_inert


def test_scripts_styles_and_comments_go_but_json_ld_stays() -> None:
    html = (
        "<html><head><style>p{}</style><script>alert(1)</script>"
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head>'
        "<body><!-- note --><p>Text</p><noscript><p>Shown without scripts</p></noscript></body></html>"
    )
    stripped = strip_inert(html)
    assert "alert(1)" not in stripped and "p{}" not in stripped and "note" not in stripped
    assert "NewsArticle" in stripped and "Shown without scripts" not in stripped
    assert "Shown without scripts" in strip_inert(html, keep_noscript=True)


def test_parse_keeps_class_as_plain_text() -> None:
    soup = parse_html('<div class="post body"><p>x</p></div>')
    assert soup.find("div")["class"] == "post body"  # type: ignore[index]
