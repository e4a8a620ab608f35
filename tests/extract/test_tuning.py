"""The fitted body thresholds: loaded from the package, applied by the body, searched reproducibly."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from extract_pages import PROSE
from newswatch.extract.article import Page, read_text
from newswatch.extract.body import body_blocks
from newswatch.extract.parse import parse_html
from newswatch.extract.scan import scan_page
from newswatch.extract.tuning import FITTED_BODY, FITTED_FILE, TUNING, Tuning, fitted, packaged_tuning

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
PROSE_PARAGRAPHS = f"<p>{PROSE}</p>" * 4


def test_fitted_values_replace_the_hand_set_ones_with_the_fields_type() -> None:
    tuning = fitted({"max_link_density": 0.7, "promote_levels": 8.0})
    assert tuning.max_link_density == 0.7
    assert tuning.promote_levels == 8 and isinstance(tuning.promote_levels, int)
    assert tuning.sibling_share == Tuning().sibling_share


def test_a_name_that_is_not_a_fitted_body_threshold_is_refused() -> None:
    """A typo in the file must not leave the default silently in place; nor may the file reach
    thresholds outside the body's (the headline's, the dates')."""
    with pytest.raises(ValueError, match="max_link_densty"):
        fitted({"max_link_densty": 0.7})
    with pytest.raises(ValueError, match="max_headline_chars"):
        fitted({"max_headline_chars": 10})


def test_the_packaged_file_is_what_the_product_runs_with(tmp_path: Path) -> None:
    assert FITTED_FILE.parent.name == "extract" and FITTED_FILE.exists()
    values = json.loads(FITTED_FILE.read_text())["values"]
    assert set(values) == set(FITTED_BODY)
    assert all(getattr(TUNING, name) == value for name, value in values.items())
    assert packaged_tuning(tmp_path / "missing.json") == Tuning()
    (tmp_path / "t.json").write_text(json.dumps({"values": {"sibling_share": 0.25}}))
    assert packaged_tuning(tmp_path / "t.json").sibling_share == 0.25


def test_every_fitted_name_is_a_numeric_field() -> None:
    kinds = {f.name: type(getattr(Tuning(), f.name)) for f in fields(Tuning)}
    assert all(kinds[name] in (int, float) for name in FITTED_BODY)


def _linked_page() -> str:
    """An article whose last paragraph is 60% link text: kept or dropped by max_link_density."""
    linked = (
        "<p>Officials pointed to <a href='/x'>"
        + "a linked sentence that goes on " * 3
        + "</a> and then some more words that are not linked here</p>"
    )
    prose = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(4))
    return f"<html><body><article><div class='article-body'>{prose}{linked}</div></article></body></html>"


def test_the_body_reads_its_thresholds_from_the_tuning_it_is_given() -> None:
    scan = scan_page(parse_html(_linked_page()))
    loose, strict = fitted({"max_link_density": 0.7}), fitted({"max_link_density": 0.5})
    kept = {index for index in body_blocks(scan, loose).blocks}
    dropped = {index for index in body_blocks(scan, strict).blocks}
    assert len(kept) == len(dropped) + 1
    assert "a linked sentence" in scan.blocks[(kept - dropped).pop()].text


def test_a_released_page_reads_its_body_again_with_other_tuning() -> None:
    page = Page(_linked_page()).release()
    assert page.soup is None
    assert "a linked sentence" in read_text(page, None, fitted({"max_link_density": 0.7})).body_text
    assert "a linked sentence" not in read_text(page, None, fitted({"max_link_density": 0.5})).body_text


def test_a_released_page_still_reads_hidden_elements_when_the_body_is_short() -> None:
    html = "<html><body><div hidden><article>" + f"<p>{PROSE}</p>" * 3 + "</article></div></body></html>"
    text = read_text(Page(html).release(), None)
    assert text.body_text.count(PROSE) == 3


def test_the_search_keeps_a_start_value_unless_another_gains_the_margin(monkeypatch) -> None:
    """Coordinate search over the grid: the best value per threshold, ties and small gains kept at
    the start (so the fit leans on the hand-set values, not on noise); the same answer every run."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import extraction_fit_body as fit_body

    monkeypatch.setattr(fit_body, "GRID", {"a": (1, 2, 3), "b": (0.1, 0.2, 0.3)})

    def trial(jobs):  # best at a=3; b's best gains less than the margin
        return [-abs(values["a"] - 3) + (0.0001 if values["b"] == 0.3 else 0.0) for _, values in jobs]

    values, best = fit_body.search([0], {"a": 1, "b": 0.2}, trial, margin=0.001)
    assert values == {"a": 3, "b": 0.2} and best == 0.0
    assert fit_body.search([0], {"a": 1, "b": 0.2}, trial, margin=0.001) == (values, best)
    sys.modules.pop("extraction_fit_body", None)


def test_the_meta_line_and_standfirst_limits_come_from_the_tuning_too() -> None:
    """The length limits of date lines, credits, end markers and the standfirst are fitted with
    the rest, so they must be read from the tuning given, not from the packaged one."""
    from newswatch.extract.body import ends_story, is_date_line, keep_block
    from newswatch.extract.scan import Block

    line = "Tuesday, 19 April 2016, at the town hall, 20:41"  # 47 characters, a date, no end mark
    assert is_date_line(line, fitted({"max_date_line_chars": 60}))
    assert not is_date_line(line, fitted({"max_date_line_chars": 40}))
    credit = Block("Jo Bloggs/Agency/Getty Images and Some Other Agency Name", "p", (0,), -1, 0)
    assert not keep_block(credit, fitted({"max_credit_chars": 100}))
    assert keep_block(credit, fitted({"max_credit_chars": 40}))
    marker = Block("More stories from our newsroom this week", "h2", (0,), -1, 0)
    assert ends_story(marker, tuning=fitted({"max_marker_chars": 60}))
    assert not ends_story(marker, tuning=fitted({"max_marker_chars": 30}))
    dek = "A short summary of the story that follows here"
    story = f"<div class='article-body'>{PROSE_PARAGRAPHS}</div>"
    page = Page(
        f"<html><body><article><div><h1>Budget approved</h1><p>{dek}</p></div>{story}</article></body></html>"
    )
    assert dek in read_text(page, None, fitted({"min_standfirst_chars": 40})).body_text
    assert dek not in read_text(page, None, fitted({"min_standfirst_chars": 60})).body_text
