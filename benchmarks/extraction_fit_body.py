"""Fit the body's numeric thresholds on the development pages and write them.

Usage: .venv/bin/python benchmarks/extraction_fit_body.py [--data DIR] [--dry-run] [--verify] [--check K]

The body is chosen by rules (:mod:`newswatch.extract.body`) whose thresholds (link density,
sibling shares, the climb to the article's wrapper, the rescue of boilerplate-named containers,
tail trimming… :data:`newswatch.extract.tuning.FITTED_BODY`) were set by hand while looking at
every development page, so no figure measured on those pages was a held-out one. Here they are
fitted: a coordinate search from the hand-set values over a fixed grid per threshold, each
threshold in turn set to the grid value with the best objective on the training pages, for
``PASSES`` passes or until a pass changes nothing. The objective is the mean of the three body
figures the targets name (body F1 on scrapinghub and naeb, snippet F1 on the trafilatura set),
computed by the benchmark's scoring. A value replaces the current one only when it gains at least
``MARGIN`` (ties keep the current value, so the result leans on the hand-set start, not on noise).
Every step is deterministic: the same pages give the same file on every machine.

Each page is parsed and walked once (:class:`newswatch.extract.article.Page`); only the body and
headline are read again per trial, and a page's score is remembered by the blocks it kept. The
trials of one threshold run in parallel on ``WORKERS`` processes. The benchmark
(``extraction.py --folds K``) calls :func:`fit` on each fold's training sites.

``--verify`` fits and compares with the packaged ``tuning.json`` byte for byte (exit 1 if it
differs); ``--check K`` prints the objective in fold and out of fold, nothing is written.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "extraction-dev"
# The grid per threshold (the hand-set value is in each): a few steps either side of it.
GRID: dict[str, tuple[float, ...]] = {
    "min_body_chars": (150, 200, 250, 350, 500),
    "min_scoring_chars": (15, 20, 25, 30, 40),
    "max_length_bonus": (2.0, 3.0, 4.0, 5.0),
    "max_link_density": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    "min_linked_prose_chars": (100, 130, 160, 200, 250),
    "rescue_share": (0.3, 0.4, 0.5, 0.6, 0.7),
    "rescue_min_chars": (300, 450, 600, 800, 1000),
    "rescue_density": (0.6, 0.7, 0.8, 0.9),
    "rescue_max_links": (0.05, 0.1, 0.15, 0.2),
    "promote_ratio": (1.5, 1.75, 2.0, 2.5, 3.0),
    "promote_levels": (3, 4, 6, 8),
    "promote_levels_fragmented": (8, 10, 12, 16),
    "fragment_share": (0.05, 0.1, 0.15, 0.2),
    "list_container_factor": (0.3, 0.4, 0.5, 0.6, 0.75),
    "sibling_share": (0.3, 0.4, 0.5, 0.6, 0.75),
    "sibling_min_prose_share": (0.15, 0.2, 0.3, 0.4, 0.5),
    "max_loose_link_density": (0.1, 0.15, 0.25, 0.35, 0.5),
    "min_tail_chars": (20, 30, 40, 60, 80),
    "end_marker_share": (0.3, 0.4, 0.5, 0.6, 0.7),
    "max_prose_after_marker": (0.1, 0.15, 0.25, 0.35, 0.5),
    "max_credit_chars": (60, 80, 100, 130, 160),
    "max_date_line_chars": (40, 50, 60, 80, 100),
    "max_meta_date_line_chars": (80, 100, 120, 150, 200),
    "max_marker_chars": (40, 50, 60, 80, 100),
    "max_contact_chars": (200, 250, 300, 400),
    "standfirst_window": (1, 2, 3, 4, 5),
    "min_standfirst_chars": (20, 30, 40, 60, 80),
    "min_standfirst_words": (5, 6, 8, 10, 12),
}
PASSES = 2
MARGIN = 0.0005
WORKERS = 2


@dataclass
class Example:
    """One development page with body truth: its parsed page and what it is scored against."""

    case: dict[str, Any]
    page: Any  # newswatch.extract.article.Page, released
    gold: Counter[tuple[str, ...]] | None  # the body truth's shingles, kept for every trial

    @classmethod
    def of(cls, case: dict[str, Any], page: Any) -> Example:
        from extraction import shingles

        return cls(case, page, shingles(case["body"]) if "body" in case else None)


def read_examples(data: Path, cases: Sequence[dict[str, Any]]) -> list[Example]:
    """The pages with a body or snippets to score, parsed once."""
    from extraction import has_body_truth, page_html
    from newswatch.extract.article import Page

    return [Example.of(case, Page(page_html(data, case)).release()) for case in cases if has_body_truth(case)]


def page_result(example: Example, body: str) -> tuple[float, ...]:
    """(precision, recall) against the page's body, or (tp, fp, fn) over its snippets; scored by
    the benchmark's own functions."""
    from extraction import shingle_pr, shingles, snippet_counts

    if example.gold is not None:
        return shingle_pr(shingles(body), example.gold)
    counts = snippet_counts(example.case, body)
    return (float(counts["tp"]), float(counts["fp"]), float(counts["fn"]))


_MEMO: dict[tuple[int, int, tuple[int, ...]], tuple[float, ...]] = {}


def scored(index: int, example: Example, tuning: Any) -> tuple[float, ...]:
    """The page's result with ``tuning``, remembered by the walk and blocks the body kept."""
    from newswatch.extract.article import read_text

    text = read_text(example.page, None, tuning)
    key = (index, id(text.scan), tuple(text.body))
    if key not in _MEMO:
        _MEMO[key] = page_result(example, text.body_text)
    return _MEMO[key]


def objective(results: Sequence[tuple[str, tuple[float, ...]]]) -> float:
    """Mean over sets of body F1 (pages averaged, as the benchmark) or micro snippet F1."""
    bodies: dict[str, list[tuple[float, ...]]] = {}
    snippets: dict[str, list[float]] = {}
    for name, result in results:
        if len(result) == 2:
            bodies.setdefault(name, []).append(result)
        else:
            counts = snippets.setdefault(name, [0.0, 0.0, 0.0])
            for i, value in enumerate(result):
                counts[i] += value
    from extraction import f1, snippet_f1

    figures = []
    for rows in bodies.values():
        figures.append(f1(statistics.fmean(x[0] for x in rows), statistics.fmean(x[1] for x in rows)))
    for tp, fp, fn in snippets.values():
        figures.append(snippet_f1(Counter(tp=tp, fp=fp, fn=fn)))
    return statistics.fmean(figures) if figures else 0.0


_EXAMPLES: list[Example] = []  # set before the workers fork, so they share the parsed pages


def _trial(job: tuple[Sequence[int], dict[str, float]]) -> float:
    from newswatch.extract.tuning import fitted

    indices, values = job
    tuning = fitted(values)
    return objective([(_EXAMPLES[i].case["set"], scored(i, _EXAMPLES[i], tuning)) for i in indices])


def search(
    indices: Sequence[int], start: dict[str, float], trial: Any, passes: int = PASSES, margin: float = MARGIN
) -> tuple[dict[str, float], float]:
    """Coordinate search over :data:`GRID` from ``start``; ``trial`` maps a list of (indices,
    values) jobs to their objectives. Returns the values and their objective."""
    values = dict(start)
    best = trial([(indices, values)])[0]
    for _ in range(passes):
        changed = False
        for name, grid in GRID.items():
            others = [v for v in grid if v != values[name]]
            scores = trial([(indices, {**values, name: v}) for v in others])
            top = max(
                range(len(others)), key=lambda i: (scores[i], -abs(others[i] - values[name])), default=None
            )
            if top is not None and scores[top] >= best + margin:
                values, best, changed = {**values, name: others[top]}, scores[top], True
        if not changed:
            break
    return values, best


def hand_set() -> dict[str, float]:
    """The hand-set starting values of the fitted thresholds."""
    from newswatch.extract.tuning import FITTED_BODY, Tuning

    return {name: getattr(Tuning(), name) for name in FITTED_BODY}


class Fitter:
    """Fits on subsets of one list of examples with a pool of worker processes."""

    def __init__(self, examples: list[Example], workers: int = WORKERS) -> None:
        global _EXAMPLES
        _EXAMPLES = examples
        self.pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None

    def trial(self, jobs: list[tuple[Sequence[int], dict[str, float]]]) -> list[float]:
        if self.pool is None:
            return [_trial(job) for job in jobs]
        return self.pool.map(_trial, jobs, chunksize=1)

    def fit(self, indices: Sequence[int]) -> tuple[dict[str, float], float]:
        return search(list(indices), hand_set(), self.trial)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


def fit(examples: list[Example], workers: int = WORKERS) -> dict[str, float]:
    """The fitted thresholds for ``examples`` (see module doc)."""
    fitter = Fitter(examples, workers)
    try:
        return fitter.fit(range(len(examples)))[0]
    finally:
        fitter.close()


def document(values: dict[str, float], pages: int, score: float) -> str:
    """The packaged file's text (what ``--verify`` compares byte for byte)."""
    start = hand_set()
    return (
        json.dumps(
            {
                "about": "fitted body thresholds; written by benchmarks/extraction_fit_body.py",
                "pages": pages,
                "objective": round(score, 4),
                "changed_from_hand_set": {k: [start[k], v] for k, v in sorted(changed(values).items())},
                "values": dict(sorted(values.items())),
            },
            indent=1,
        )
        + "\n"
    )


def check(examples: list[Example], folds: int) -> None:
    """Objective in fold and out of fold with per-fold fits, beside the hand-set values."""
    from extraction import fold_of, site_of
    from newswatch.extract.tuning import fitted

    fitter = Fitter(examples)
    hand_tuning = fitted(hand_set())
    try:
        by_fold = [fold_of(site_of(e.case), folds) for e in examples]
        out: list[tuple[str, tuple[float, ...]]] = []
        hand: list[tuple[str, tuple[float, ...]]] = []
        for k in range(folds):
            train = [i for i, f in enumerate(by_fold) if f != k]
            test = [i for i, f in enumerate(by_fold) if f == k]
            values, inside = fitter.fit(train)
            print(f"fold {k}: in-fold {inside:.4f}, changed {changed(values)}", file=sys.stderr)
            tuning = fitted(values)
            out += [(examples[i].case["set"], scored(i, examples[i], tuning)) for i in test]
            hand += [(examples[i].case["set"], scored(i, examples[i], hand_tuning)) for i in test]
        for title, results in (("fitted per fold", out), ("hand-set", hand)):
            sets = {name: round(objective([r for r in results if r[0] == name]), 4) for name, _ in results}
            print(f"out of fold, {title}: {objective(results):.4f} {dict(sorted(sets.items()))}")
    finally:
        fitter.close()


def changed(values: dict[str, float]) -> dict[str, float]:
    start = hand_set()
    return {k: v for k, v in values.items() if v != start[k]}


def main(argv: list[str] | None = None) -> int:
    from extraction import load_cases
    from newswatch.extract.tuning import FITTED_BODY, FITTED_FILE

    assert tuple(GRID) == FITTED_BODY, "the grid must cover exactly the fitted thresholds"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction-dev folder")
    parser.add_argument("--dry-run", action="store_true", help="print the values, write nothing")
    parser.add_argument("--verify", action="store_true", help="fit and compare with the packaged file")
    parser.add_argument("--check", type=int, metavar="K", help="objective in and out of folds, no write")
    args = parser.parse_args(argv)
    examples = read_examples(args.data, load_cases(args.data, None, None))
    if args.check:
        check(examples, args.check)
        return 0
    fitter = Fitter(examples)
    try:
        values, score = fitter.fit(range(len(examples)))
    finally:
        fitter.close()
    text = document(values, len(examples), score)
    print(f"objective {score:.4f}, changed from the hand-set values: {changed(values)}", file=sys.stderr)
    if args.verify:
        same = FITTED_FILE.exists() and FITTED_FILE.read_text() == text
        print("packaged file reproduced" if same else "packaged file differs", file=sys.stderr)
        return 0 if same else 1
    if args.dry_run:
        print(text, end="")
    else:
        FITTED_FILE.write_text(text)
        print(f"wrote {FITTED_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
