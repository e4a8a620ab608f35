"""Which parts of an article cut up by its layout the body joins, and which meta lines it drops."""

from __future__ import annotations

from extract_pages import PROSE, extract, paragraphs


def _sections(classes: list[str], sizes: list[int]) -> str:
    """An article cut into sibling sections between rules, each of ``sizes`` paragraphs."""
    parts = "<hr>".join(
        f"<section class='{cls}'><div class='inner'>{paragraphs(size, f'Section {n}')}</div></section>"
        for n, (cls, size) in enumerate(zip(classes, sizes, strict=True))
    )
    return f"<html><body><h1>A long essay</h1><div>{parts}</div></body></html>"


def test_an_article_cut_into_twin_sections_is_read_whole() -> None:
    body = extract(_sections(["s1 s2", "s1 s2", "s1 s2"], [3, 12, 3])).body
    assert all(f"Section {n} 0." in body for n in range(3))


def test_a_short_twin_or_one_past_a_different_sibling_is_not_joined() -> None:
    body = extract(_sections(["s1 s2", "s1 s2", "other", "s1 s2"], [12, 1, 3, 3])).body
    assert "Section 0 0." in body
    assert "Section 1 0." not in body and "Section 3 0." not in body


def _rows(opening: int, rest: int, below: str = "") -> str:
    """A story whose first ``opening`` paragraphs sit in one layout row and the rest in the next,
    a full-width picture row between them, each half in its own stack of wrappers."""

    def row(kind: str, content: str) -> str:
        text = f"<div class='cell'><div class='story-text'>{content}</div></div>"
        return f"<section class='row row--{kind}'><div class='column column--{kind}'>{text}</div></section>"

    picture = "<section class='row row--wide'><figure><img src='a.jpg'></figure></section>"
    rows = row("first", paragraphs(opening, "Opening")) + picture + row("main", paragraphs(rest)) + below
    return f"<html><body><h1>Budget approved</h1><div class='page'>{rows}</div></body></html>"


def test_the_opening_paragraphs_in_a_row_above_the_picture_open_the_body() -> None:
    body = extract(_rows(3, 12)).body
    assert body.startswith(f"{PROSE} Opening 0.") and "Opening 2." in body and "Part 11." in body


def test_a_container_of_the_storys_class_below_it_is_the_next_story_not_its_opening() -> None:
    below = "<section class='row row--next'><div class='story-text'><h2>Next story</h2>"
    below += f"{paragraphs(2, 'Next')}</div></section>"
    body = extract(_rows(3, 12, below)).body
    assert "Opening 2." in body and "Next 0." not in body


def test_a_block_of_byline_and_date_lines_is_not_body() -> None:
    meta = "By Editorial Writers<br>Published: 11/18/2011 2:27 AM<br>Last Modified: 11/18/2011"
    html = (
        "<html><body><article><h1>Budget approved</h1>"
        f"<div class='text'><div class='meta'>{meta}</div>{paragraphs(4)}</div></article></body></html>"
    )
    assert extract(html).body.startswith(PROSE)
