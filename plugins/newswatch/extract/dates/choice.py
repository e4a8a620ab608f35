"""Choosing the publication date among a page's candidates by a score of their evidence.

Each candidate is described by plain evidence (:func:`features`): where it was found (JSON-LD,
meta, ``<time>``, a line near the headline or far from it, the URL…), how it is labelled
(published / updated / not at all), where it sits relative to the headline, and how much of the
rest of the page agrees with its calendar day (other kinds of source on the same day, the URL's
date, a machine date one day off — a UTC value shown in local time). A candidate's score is the
sum of the weights of its evidence; the highest score wins, ties going to the more trustworthy
kind. The weights are fitted (conditional logit: the probability that a candidate is the page's
day is its softmax share among the page's candidates) by ``benchmarks/extraction_fit.py`` on the
development pages, checked out of fold by site, and stored in ``weights.json`` beside this module.

The updated date is read, not scored: the first machine modified date, else a shown "Updated"
date, else an "Updated 3:45 PM" on the day of publication; an update before the publication is
dropped. A page that says only when it was changed existed by then: that is its publication date.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from newswatch.extract.dates.candidates import Candidate, DateBounds, DateEvidence, headline_distance
from newswatch.models import DateSource, Hints

Weights = Mapping[str, float]
DateFound = tuple[datetime, DateSource]
WEIGHTS_FILE = Path(__file__).with_name("weights.json")
# A date line this many blocks under the headline is the byline's; this many above, a hero's.
_NEAR_BELOW, _NEAR_ABOVE = 8, 3
# A URL date further than this from a candidate's day says the candidate is something else.
_URL_FAR_DAYS = 30


@cache
def packaged_weights() -> Weights:
    """The weights shipped with the product (fitted on all development pages)."""
    return json.loads(WEIGHTS_FILE.read_text())["weights"]


def _position(offset: int | None) -> str | None:
    if offset is None:
        return None
    if 0 < offset <= _NEAR_BELOW:
        return "pos:below-near"
    if -_NEAR_ABOVE <= offset < 0:
        return "pos:above-near"
    return "pos:below-far" if offset > 0 else "pos:above-far"


@dataclass(frozen=True)
class Day:
    """One calendar day the page offers, with every candidate that gives it."""

    day: date
    candidates: tuple[Candidate, ...]


def days_of(candidates: tuple[Candidate, ...]) -> list[Day]:
    """The distinct days, in order of their first candidate.

    Two rules come before any scoring. A date read relative to the fetch time ("3 hours ago", a
    day shown without its year) is only as good as a guess: it counts when the page gives no
    other. A full date in the URL path is set once, when the article is first published: a day
    months away from it is a re-issue, a template's date or another story's, so it is not a
    candidate.
    """
    absolute = tuple(c for c in candidates if c.kind != "relative")
    url_days = {c.value.date() for c in absolute if c.kind == "url"}
    groups: dict[date, list[Candidate]] = {}
    for c in absolute or candidates:
        day = c.value.date()
        if url_days and all(abs((day - u).days) > _URL_FAR_DAYS for u in url_days):
            continue
        groups.setdefault(day, []).append(c)
    return [Day(day, tuple(group)) for day, group in groups.items()]


def _firsts(candidates: tuple[Candidate, ...]) -> tuple[Candidate | None, Candidate | None]:
    """The first machine publication date, and the shown date nearest the headline."""
    machine = next((c for c in candidates if c.machine and c.label == "published"), None)
    shown = [c for c in candidates if c.offset is not None and c.kind != "text-far"]
    nearest = min(shown, key=lambda c: headline_distance(c.offset), default=None)
    return machine, nearest


def features(days: list[Day]) -> list[dict[str, float]]:
    """The evidence for each day, as named features with values (mostly 0/1)."""
    every = tuple(c for d in days for c in d.candidates)
    first_machine, nearest = _firsts(every)
    machine_pub = {d.day for d in days if any(c.machine and c.label == "published" for c in d.candidates)}
    url_days = {d.day for d in days if any(c.kind == "url" for c in d.candidates)}
    ordered = sorted(d.day for d in days)
    rows: list[dict[str, float]] = []
    for d in days:
        row: dict[str, float] = {}
        kinds = {c.kind for c in d.candidates if c.label != "updated"}
        for c in d.candidates:
            row[f"kind:{c.kind}"] = 1.0
            row[f"kind:{c.kind}:{c.label or 'none'}"] = 1.0
        position = _position(min((c.offset for c in d.candidates if c.offset is not None),
                                 key=headline_distance, default=None))
        if position:
            row[position] = 1.0
        if first_machine is not None and first_machine in d.candidates:
            row["first-machine"] = 1.0
        if nearest is not None and nearest in d.candidates:
            row["nearest-shown"] = 1.0
        for n in (2, 3, 4):
            if len(kinds) >= n:
                row[f"kinds:{n}+"] = 1.0
        if d.day in url_days and d.day in machine_pub:
            row["url-and-machine"] = 1.0  # two publication claims made apart from each other
        if url_days and d.day not in url_days:
            row["not-url"] = 1.0
        if machine_pub and d.day not in machine_pub:
            row["not-machine-published"] = 1.0
            if any(abs((d.day - m).days) == 1 for m in machine_pub):
                row["one-day-off-machine"] = 1.0
        if len(ordered) > 1:
            if d.day == ordered[0]:
                row["day:earliest"] = 1.0
            elif d.day == ordered[-1]:
                row["day:latest"] = 1.0
        rows.append(row)
    return rows


def scores(days: list[Day], weights: Weights) -> list[float]:
    rows = features(days)
    return [sum(weights.get(name, 0.0) * value for name, value in row.items()) for row in rows]


def best(candidates: tuple[Candidate, ...], weights: Weights) -> Day | None:
    """The highest-scoring day; the earlier one (a more trustworthy kind first) on a tie."""
    days = days_of(candidates)
    if not days:
        return None
    ranked = scores(days, weights)
    return days[max(range(len(days)), key=lambda i: (ranked[i], -i))]


def representative(day: Day) -> Candidate:
    """The candidate that stands for the chosen day: a machine publication date on it when there
    is one (a byline's "18 September" is the JSON-LD's 18 September 23:30-04:00, with its time),
    else the first that gives it."""
    for c in day.candidates:
        if c.machine and c.label == "published":
            return c
    return day.candidates[0]


def _hint(hints: Hints | None, updated: bool, bounds: DateBounds) -> DateFound | None:
    if not hints:
        return None
    value = hints.updated_at if updated else hints.published_at
    source: DateSource = hints.origin or "feed"
    return (value, source) if bounds.ok(value) else None


def _updated(evidence: DateEvidence, published: DateFound | None) -> DateFound | None:
    for c in evidence.candidates:
        if c.machine and c.label == "updated":
            return c.value, c.source
    for c in evidence.candidates:
        if not c.machine and c.label == "updated":
            return c.value, c.source
    if published and evidence.updated_clock:
        hour, minute = evidence.updated_clock
        value = published[0].replace(hour=hour, minute=minute, second=0, microsecond=0)
        return (value, "text") if value >= published[0] else None
    return None


def decide(
    evidence: DateEvidence, weights: Weights, hints: Hints | None, bounds: DateBounds
) -> tuple[DateFound | None, DateFound | None, Candidate | None]:
    """(published, updated, the winning candidate); a date is a (datetime, provenance) or None."""
    day = best(evidence.candidates, weights)
    chosen = representative(day) if day else None
    published = (chosen.value, chosen.source) if chosen else _hint(hints, False, bounds)
    updated = _updated(evidence, published) or _hint(hints, True, bounds)
    if published and updated and updated[0] < published[0]:
        updated = None
    if published is None and updated:
        published = updated
    return published, updated, chosen
