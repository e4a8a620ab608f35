"""Body selection on synthetic pages shaped like the layouts each method is for."""

from __future__ import annotations

from extract_pages import PROSE
from newswatch.extract import extract_article


def _wrapped(html: str, depth: int) -> str:
    return "<div>" * depth + html + "</div>" * depth


def test_a_list_article_with_deeply_wrapped_items_is_read_whole() -> None:
    items = "".join(
        _wrapped(f"<h2>{n}. A useful thing</h2><p>{PROSE} Item {n}.</p>", 9) for n in range(1, 21)
    )
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Twenty useful things</h1>"
        f"<div class='list'>{items}</div></article><footer>© Site</footer></body></html>"
    )
    body = extract_article(html).body
    assert all(f"Item {n}." in body for n in range(1, 21))
