"""Word diffs between versions: only changed hunks with a little context, headline first."""

from __future__ import annotations

from newswatch.identify.diff import version_diff, word_diff


def test_word_diff_marks_removed_and_added_words_with_context() -> None:
    old = "one two three four five six seven eight nine ten"
    new = "one two three FOUR five six seven eight nine ten"
    assert word_diff(old, new, 2) == "… two three [-four-] {+FOUR+} five six …"
    assert word_diff(old, old, 2) == ""


def test_version_diff_labels_headline_only_when_it_changed() -> None:
    assert version_diff("Kim visits", "a b c", "Kim visits", "a b d", 1) == "body:\n… b [-c-] {+d+} …"
    assert version_diff("Kim visits", "a", "Kim leaves", "a", 1).startswith(
        "headline: … Kim [-visits-] {+leaves+}"
    )
