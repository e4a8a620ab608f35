"""Story choice is a pure decision over candidates: similar joins, shortened copy joins, else a new story."""

from __future__ import annotations

import random

from newswatch.identify.normalize import normalise
from newswatch.identify.stories import choose_story, story_fingerprint, story_score
from newswatch.settings import load_settings
from newswatch.store.stories import StoryCandidate

SETTINGS = load_settings(environ={})
VOCAB = [f"word{i}" for i in range(3000)]


def text(seed: int, sentences: int = 30) -> str:
    rng = random.Random(seed)
    return "\n".join(
        " ".join(rng.choice(VOCAB) for _ in range(15)).capitalize() + "." for _ in range(sentences)
    )


def candidate(story_id: int, body: str, headline: str = "H") -> StoryCandidate:
    fp = story_fingerprint(normalise(headline, body), SETTINGS)
    return StoryCandidate(story_id, shared_bands=1, signature=fp.signature, size=fp.size)


def test_no_candidate_means_a_new_story() -> None:
    fp = story_fingerprint(normalise("H", text(1)), SETTINGS)
    assert choose_story(fp, [], SETTINGS) is None


def test_a_near_copy_joins_and_an_unrelated_text_does_not() -> None:
    wire = text(2)
    lines = wire.split("\n")
    rewrite = "\n".join(["Our correspondent adds context.", *lines[:10], *lines[11:]])
    fp = story_fingerprint(normalise("H", rewrite), SETTINGS)
    assert choose_story(fp, [candidate(7, text(3)), candidate(9, wire)], SETTINGS) == 9
    assert choose_story(fp, [candidate(7, text(3))], SETTINGS) is None


def test_a_shortened_copy_joins_by_containment() -> None:
    wire = text(4, 30)
    short = "\n".join(wire.split("\n")[:12])  # the first 40 %
    fp = story_fingerprint(normalise("Other headline", short), SETTINGS)
    full = candidate(5, wire)
    assert story_score(fp, full, SETTINGS) > 0
    assert choose_story(fp, [full], SETTINGS) == 5


def test_ties_go_to_the_oldest_story() -> None:
    body = text(6)
    fp = story_fingerprint(normalise("H", body), SETTINGS)
    assert choose_story(fp, [candidate(12, body), candidate(4, body)], SETTINGS) == 4
