"""Weights and thresholds of the extraction heuristics, in one place.

These are properties of the method, not operator limits, so they live here rather than in
:class:`newswatch.settings.Settings`; the page-date bounds, which are operator-visible, are in the
settings. The class defaults are the hand-set values. The body's numeric thresholds
(:data:`FITTED_BODY`) are fitted instead: ``benchmarks/extraction_fit_body.py`` searches them on
the development pages, starting from the hand-set values, and writes ``tuning.json`` beside this
module, which :data:`TUNING` reads over the defaults; the benchmark refits them per fold, so their
out-of-fold figures are held-out figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Tuning:
    # A body shorter than this (characters) sends the page through a second parse that reads <noscript>.
    min_body_chars: int = 250
    # A block shorter than this (characters) gives no content score to its ancestors.
    min_scoring_chars: int = 25
    # A block counts at most this many hundreds of characters toward its ancestors' score.
    max_length_bonus: float = 3.0
    # Share of a block's text inside links above which it is navigation, not prose.
    max_link_density: float = 0.5
    # ...unless it is a paragraph of sentences at least this long (a linked sentence, not a teaser).
    min_linked_prose_chars: int = 160
    # Score a container passes to its ancestors, by distance (1 = parent).
    ancestor_decay: tuple[float, ...] = (1.0, 0.5, 0.33, 0.25, 0.2)
    # A weak boilerplate container holding this share of the page's prose is the article after all.
    rescue_share: float = 0.5
    # ...and so is one with this much prose, this dense, with this few links.
    rescue_min_chars: int = 600
    rescue_density: float = 0.8
    rescue_max_links: float = 0.1
    # Move from the best container to its parent while the parent holds this many times its prose.
    promote_ratio: float = 2.0
    # How many wrapper levels without more prose the climb looks through before it stops.
    promote_levels: int = 6
    # ...and this many when the best container holds under this share of the page's prose: the
    # article is cut into many deeply wrapped items (a listicle's product cards).
    promote_levels_fragmented: int = 12
    fragment_share: float = 0.1
    # Score factor for lists and tables as the article's container (comment threads, teaser lists).
    list_container_factor: float = 0.5
    # Siblings of the chosen container join the body when they score this share of its score.
    sibling_share: float = 0.5
    # ...and hold at least this share of its prose.
    sibling_min_prose_share: float = 0.3
    # A sibling of the article's wrapper with its tag and class joins it with this many prose paragraphs.
    min_twin_paragraphs: int = 3
    # Prose paragraphs set directly beside the chosen container join it below this link density.
    max_loose_link_density: float = 0.25
    # Longest text (characters) still read as a byline, date line or share bar.
    max_meta_line_chars: int = 200
    # Dates collected from the whole page when none is near the headline (reading order).
    max_text_dates: int = 5
    # The standfirst (dek) is looked for this many blocks after the headline, before the body.
    standfirst_window: int = 3
    min_standfirst_chars: int = 40
    min_standfirst_words: int = 8
    # Longest line read as the author's or the site's contact line closing the story (handles, e-mail
    # addresses and phone numbers make it longer than other meta lines).
    max_contact_chars: int = 300
    # Longest line read as a photo credit ("Jo Bloggs/Agency/Getty Images").
    max_credit_chars: int = 100
    # A line this short holding a date is the article's date line, not prose.
    max_date_line_chars: int = 60
    # ...and a line opening with "Published"/"Updated" that holds a date, up to this long.
    max_meta_date_line_chars: int = 120
    # Non-prose lines shorter than this after the last prose block are trimmed from the body.
    min_tail_chars: int = 40
    # A "Related stories" heading past this share of the body's text ends the body.
    end_marker_share: float = 0.5
    max_marker_chars: int = 60
    # ...unless the prose after it is at least this share of the prose before it.
    max_prose_after_marker: float = 0.25
    # Length difference up to which a block is compared with the headline (quotes, spacing, marks).
    max_headline_slack: int = 12
    # Longest headline candidate (characters); longer is a paragraph, not a headline.
    max_headline_chars: int = 300
    # Most authors a page may credit before we assume we read a list of related people.
    max_authors: int = 8


# The body thresholds the fitting script searches; tuning.json may set these and no others.
FITTED_BODY = (
    "min_body_chars",
    "min_scoring_chars",
    "max_length_bonus",
    "max_link_density",
    "min_linked_prose_chars",
    "rescue_share",
    "rescue_min_chars",
    "rescue_density",
    "rescue_max_links",
    "promote_ratio",
    "promote_levels",
    "promote_levels_fragmented",
    "fragment_share",
    "list_container_factor",
    "sibling_share",
    "sibling_min_prose_share",
    "max_loose_link_density",
    "min_tail_chars",
    "end_marker_share",
    "max_prose_after_marker",
    "max_credit_chars",
    "max_date_line_chars",
    "max_meta_date_line_chars",
    "max_marker_chars",
    "max_contact_chars",
    "standfirst_window",
    "min_standfirst_chars",
    "min_standfirst_words",
)
FITTED_FILE = Path(__file__).with_name("tuning.json")


def fitted(values: dict[str, Any], base: Tuning | None = None) -> Tuning:
    """``base`` (the hand-set defaults) with fitted body thresholds; a name outside
    :data:`FITTED_BODY` is an error (a typo must not silently leave a default in place)."""
    base = base or Tuning()
    unknown = set(values) - set(FITTED_BODY)
    if unknown:
        raise ValueError(f"not a fitted body threshold: {sorted(unknown)}")
    return replace(base, **{name: type(getattr(base, name))(value) for name, value in values.items()})


def packaged_tuning(path: Path = FITTED_FILE) -> Tuning:
    """The tuning shipped with the product: defaults with the fitted body thresholds of ``path``
    (written by the fitting script; the defaults alone when there is no such file)."""
    if not path.exists():
        return Tuning()
    return fitted(json.loads(path.read_text())["values"])


TUNING = packaged_tuning()
