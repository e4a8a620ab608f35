"""Text handling shared by the matcher: sentences for evidence."""

from __future__ import annotations

import pytest
from newswatch.topics.text import sentence_bounds


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Kim met Gen. Shoigu. Then he left.", ["Mr. Kim met Gen. Shoigu.", "Then he left."]),
        ("The U.S. Army said so. Kim J. Un left.", ["The U.S. Army said so.", "Kim J. Un left."]),
        ('He said "No." Then left.', ['He said "No."', "Then left."]),
        ("Para one\n\nPara two. End!", ["Para one", "Para two.", "End!"]),
        ("Prices rose 5.5 percent. Next?  Yes.", ["Prices rose 5.5 percent.", "Next?", "Yes."]),
    ],
)
def test_sentences_for_evidence(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_bounds(text)] == sentences
