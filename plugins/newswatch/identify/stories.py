"""Story clustering decisions: which existing story a new article joins, if any.

Plain functions over plain data. The store finds the candidates (live stories sharing an LSH band
with the article, read under a lock so two copies of one wire story cannot both found a story)
and persists what is decided here; the judgement itself — Jaccard similarity above a threshold, or
a shortened copy contained in a longer one — lives in this module alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newswatch.identify.fingerprint import Fingerprint, containment, fingerprint, similarity
from newswatch.identify.normalize import NormalisedContent
from newswatch.settings import Settings
from newswatch.store.stories import StoryCandidate


@dataclass(frozen=True)
class StorySearch:
    """How the store looks for candidates: the live window, the per-band fanout and how many to judge."""

    window_days: float
    band_fanout: int
    max_candidates: int

    @classmethod
    def from_settings(cls, settings: Settings) -> StorySearch:
        return cls(settings.story_window_days, settings.story_band_fanout, settings.story_max_candidates)


def story_fingerprint(content: NormalisedContent, settings: Settings) -> Fingerprint:
    """The MinHash fingerprint stories are compared by (word shingles of headline and body)."""
    return fingerprint(
        content.headline,
        content.body,
        shingle_words=settings.story_shingle_words,
        bands=settings.story_lsh_bands,
        rows=settings.story_lsh_rows,
    )


def story_score(fp: Fingerprint, candidate: StoryCandidate, settings: Settings) -> float:
    """Estimated Jaccard if it passes the threshold, else containment if a long enough text is
    (almost) inside the other — a shortened copy of a wire story; 0 when neither holds."""
    jaccard = similarity(fp.signature, candidate.signature)
    if jaccard >= settings.story_similarity_threshold:
        return jaccard
    if min(fp.size, candidate.size) >= settings.story_containment_min_shingles:
        if containment(jaccard, fp.size, candidate.size) >= settings.story_containment_threshold:
            return jaccard
    return 0.0


def choose_story(fp: Fingerprint, candidates: Sequence[StoryCandidate], settings: Settings) -> int | None:
    """The best-scoring candidate (the oldest story on a tie), or None: the article founds a story."""
    scored = [(story_score(fp, c, settings), c.story_id) for c in candidates]
    good = [(score, sid) for score, sid in scored if score > 0]
    return max(good, key=lambda item: (item[0], -item[1]))[1] if good else None
