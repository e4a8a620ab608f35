"""Presentation helpers: word diffs as segments, evidence highlighting, bar-chart geometry."""

from __future__ import annotations

from newswatch.airflow.ui.render import Segment, bar_chart, highlight, word_diff_hunks


def test_word_diff_keeps_context_around_each_change() -> None:
    old = "one two three four five six seven eight nine ten"
    new = "one two THREE four five six seven eight nine ten eleven"
    hunks = word_diff_hunks(old, new, 1)
    assert hunks == [
        [Segment("same", "two"), Segment("del", "three"), Segment("ins", "THREE"), Segment("same", "four")],
        [Segment("same", "ten"), Segment("ins", "eleven")],
    ]
    assert word_diff_hunks(old, old, 3) == []


def test_highlight_cuts_at_spans_and_ignores_bad_ones() -> None:
    text = "Russia and North Korea"
    assert highlight(text, [[11, 22], [0, 6]]) == [
        Segment("ins", "Russia"),
        Segment("same", " and "),
        Segment("ins", "North Korea"),
    ]
    # overlapping, reversed and out-of-range spans never repeat or invent text
    segments = highlight(text, [(0, 10), (5, 8), (30, 40), (7, 3)])
    assert "".join(s.text for s in segments) == text
    assert segments[0] == Segment("ins", "Russia and")


def test_bar_chart_scales_to_the_tallest_day() -> None:
    chart = bar_chart([("d1", 0), ("d2", 2), ("d3", 4)], width=300, height=40)
    heights = [bar["h"] for bar in chart["bars"]]
    assert heights == [0.0, 20.0, 40.0] and chart["max"] == 4
    assert [bar["x"] for bar in chart["bars"]] == [10.0, 110.0, 210.0]
    assert all(bar["y"] + bar["h"] == 40 for bar in chart["bars"])
    assert bar_chart([("d1", 0)], width=10, height=5)["bars"][0]["h"] == 0.0
