"""Fit the extractor's publication-date weights on the development pages and write them.

Usage: .venv/bin/python benchmarks/extraction_fit.py [--data DIR] [--dry-run] [--verify] [--check K]
       [--ablate K]

Reads every development page with a published date the way the product does (the fetch layer's
decoder, ``read_page``), turns each page's date candidates into evidence features
(:func:`newswatch.extract.dates.choice.features`) and fits one weight per feature by a conditional
logit: for each page, the softmax of its days' scores should put its mass on the true day.
L2-regularised, full-batch Adagrad from zero, a fixed number of steps: the same pages give the
same weights on every machine. The benchmark (``extraction.py --folds K``) calls :func:`fit` on
each fold's training sites to measure the weights out of fold.

``--verify`` fits and compares with the packaged ``weights.json`` byte for byte (exit 1 if it
differs): a change to the candidates or their evidence must come with the weights refitted.
``--check K`` is the quick loop while developing the evidence: published-date accuracy per set in
fold and out of fold (K folds by site, as the benchmark splits them) and on the extra set, from
one reading of the pages; nothing is written. ``--ablate K`` does the same with each group of
evidence left out in turn (fitted and scored without it), to show what each group is worth where
it was not fitted.

Candidates read relative to the fetch time ("3 hours ago") are left out of the fit: archived pages
have no fetch time, so their truth cannot be judged here.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "extraction-dev"
# The fit must not depend on the day it runs: page dates are bounded by this fixed "fetch time".
FIT_NOW = datetime(2027, 1, 1, tzinfo=UTC)
L2 = 0.2
STEPS = 400
RATE = 0.3

Example = tuple[list[dict[str, float]], list[bool]]


def example(evidence: Any, days: set[str]) -> Example | None:
    """One page's candidates as feature rows, each marked whether it is on a true day; None when
    the page cannot teach anything (no candidate, or all candidates equally right or wrong)."""
    from newswatch.extract.dates.choice import days_of, features

    candidates = tuple(c for c in evidence.candidates if c.kind != "relative")
    offered = days_of(candidates)
    correct = [d.day.isoformat() in days for d in offered]
    if all(correct) or not any(correct):
        return None
    return features(offered), correct


def fit(
    examples: Sequence[Example], l2: float = L2, steps: int = STEPS, rate: float = RATE
) -> dict[str, float]:
    """Weights maximising the pages' conditional likelihood of their true day (see module doc)."""
    names = sorted({name for rows, _ in examples for row in rows for name in row})
    index = {name: i for i, name in enumerate(names)}
    pages = [
        ([[(index[n], v) for n, v in row.items()] for row in rows], correct) for rows, correct in examples
    ]
    weights = [0.0] * len(names)
    squares = [1e-8] * len(names)
    for _ in range(steps):
        grad = [l2 * w for w in weights]
        for rows, correct in pages:
            _add_page_gradient(grad, weights, rows, correct, len(pages))
        for i, g in enumerate(grad):
            squares[i] += g * g
            weights[i] -= rate * g / math.sqrt(squares[i])
    return {name: round(w, 4) for name, w in zip(names, weights, strict=True) if abs(w) >= 1e-4}


def _add_page_gradient(
    grad: list[float], weights: list[float], rows: list[list[tuple[int, float]]], correct: list[bool], n: int
) -> None:
    scores = [sum(weights[i] * v for i, v in row) for row in rows]
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    total = sum(exp)
    right = sum(e for e, ok in zip(exp, correct, strict=True) if ok)
    for row, e, ok in zip(rows, exp, correct, strict=True):
        share = e / total - (e / right if ok else 0.0)
        for i, v in row:
            grad[i] += share * v / n


def truth_days(case: dict[str, Any]) -> set[str]:
    return {case["published"], *(case.get("published_alternatives") or [])}


def read_evidence(data: Path, cases: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
    """(case, date evidence) for each page with a published date, read as the product reads it."""
    from extraction import page_html
    from newswatch.extract.article import read_page
    from newswatch.settings import load_settings

    settings = load_settings(environ={})
    found = []
    for case in cases:
        if not case.get("published"):
            continue
        reading = read_page(page_html(data, case), case["url"] or None, None, settings, FIT_NOW)
        found.append((case, reading.dates))
    return found


def hit(case: dict[str, Any], evidence: Any, weights: dict[str, float]) -> bool:
    """Whether the day ``weights`` choose for the page is one of its true days."""
    from newswatch.extract.dates.choice import decide

    published, _, _ = decide(evidence, weights, None, None)  # type: ignore[arg-type]
    return (published[0].date().isoformat() if published else None) in truth_days(case)


def accuracy(pages: Sequence[tuple[dict[str, Any], Any]], weights: dict[str, float]) -> dict[str, float]:
    """Share of pages whose chosen day is a true day, per set."""
    hits: dict[str, list[bool]] = {}
    for case, evidence in pages:
        hits.setdefault(case["set"], []).append(hit(case, evidence, weights))
    return {name: sum(v) / len(v) for name, v in sorted(hits.items())}


Pages = list[tuple[dict[str, Any], Any]]
# Groups of evidence (feature-name prefixes, see ``choice.features``) that ``--ablate`` leaves out.
EVIDENCE_GROUPS: dict[str, tuple[str, ...]] = {
    "kind of source and label": ("kind:",),
    "position from the headline": ("pos:",),
    "nearest shown date": ("nearest-shown",),
    "first machine date": ("first-machine",),
    "kinds of source agreeing": ("kinds:",),
    "earliest or latest day": ("day:",),
    "agreement with the URL": ("url-and-machine", "not-url"),
    "disagreement with machine dates": ("not-machine-published", "one-day-off-machine"),
}


def examples_of(pages: Pages) -> list[Example]:
    """The pages that can teach the fit something, as examples."""
    return [e for e in (example(ev, truth_days(case)) for case, ev in pages) if e is not None]


def learn(pages: Pages, without: tuple[str, ...] = ()) -> dict[str, float]:
    """Weights fitted on ``pages``, leaving out the features named with a prefix in ``without``
    (a left-out feature has no weight, so it counts for nothing when the weights are used)."""
    examples = examples_of(pages)
    if without:
        examples = [
            ([{k: v for k, v in row.items() if not k.startswith(without)} for row in rows], correct)
            for rows, correct in examples
        ]
    return fit(examples)


def by_fold(
    dev: Pages, folds: int, without: tuple[str, ...] = ()
) -> tuple[dict[str, list[bool]], dict[str, list[bool]]]:
    """(in fold, out of fold): per set, whether each page's day was right with the weights fitted
    on the other folds' sites."""
    from extraction import fold_of, site_of

    inside: dict[str, list[bool]] = {}
    outside: dict[str, list[bool]] = {}
    split: dict[int, Pages] = {}
    for page in dev:
        split.setdefault(fold_of(site_of(page[0]), folds), []).append(page)
    for k in range(folds):
        train = [p for j, pages in split.items() if j != k for p in pages]
        weights = learn(train, without)
        for hits, pages in ((inside, train), (outside, split.get(k, []))):
            for case, ev in pages:
                hits.setdefault(case["set"], []).append(hit(case, ev, weights))
    return inside, outside


def _shares(hits: dict[str, list[bool]]) -> dict[str, float]:
    return {name: round(sum(v) / len(v), 3) for name, v in sorted(hits.items())}


def check(dev: Pages, extra: Pages, folds: int) -> None:
    inside, outside = by_fold(dev, folds)
    print("in fold", _shares(inside))
    print("out of fold", _shares(outside))
    everything = learn(dev)
    pooled = accuracy([({**case, "set": "all"}, ev) for case, ev in extra], everything)
    print("extra", {**pooled, **{k: round(v, 3) for k, v in accuracy(extra, everything).items()}})


def ablate(dev: Pages, extra: Pages, folds: int) -> None:
    """Pages right out of fold and on the extra set with each evidence group left out."""
    print("| left out | right out of fold | right on the extra set |")
    print("|---|---|---|")
    for name, prefixes in {"nothing": (), **EVIDENCE_GROUPS}.items():
        _, outside = by_fold(dev, folds, prefixes)
        weights = learn(dev, prefixes)
        right = sum(hit(case, ev, weights) for case, ev in extra)
        print(f"| {name} | {sum(map(sum, outside.values()))} of {len(dev)} | {right} of {len(extra)} |")


def main(argv: list[str] | None = None) -> int:
    from extraction import load_cases
    from newswatch.extract.dates.choice import WEIGHTS_FILE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction-dev folder")
    parser.add_argument("--dry-run", action="store_true", help="print the weights, write nothing")
    parser.add_argument("--verify", action="store_true", help="fit and compare with the packaged file")
    parser.add_argument("--check", type=int, metavar="K", help="accuracy in and out of folds, no write")
    parser.add_argument("--ablate", type=int, metavar="K", help="--check with each evidence group left out")
    parser.add_argument("--extra-data", type=Path, default=ROOT.parent / "shared" / "extraction-extra")
    args = parser.parse_args(argv)
    evidence = read_evidence(args.data, load_cases(args.data, None, None))
    if args.check or args.ablate:
        extra = read_evidence(args.extra_data, load_cases(args.extra_data, None, None))
        if args.check:
            check(evidence, extra, args.check)
        else:
            ablate(evidence, extra, args.ablate)
        return 0
    examples = examples_of(evidence)
    weights = fit(examples)
    for name, value in sorted(weights.items(), key=lambda item: -abs(item[1])):
        print(f"{value:+8.3f}  {name}")
    print(f"{len(evidence)} dated pages, {len(examples)} with a choice to learn from", file=sys.stderr)
    document = {
        "about": "publication-date evidence weights; written by benchmarks/extraction_fit.py",
        "pages": len(evidence),
        "pages_with_a_choice": len(examples),
        "l2": L2,
        "steps": STEPS,
        "weights": dict(sorted(weights.items())),
    }
    text = json.dumps(document, indent=1) + "\n"
    if args.verify:
        same = WEIGHTS_FILE.exists() and WEIGHTS_FILE.read_text() == text
        print("packaged file reproduced" if same else "packaged file differs", file=sys.stderr)
        return 0 if same else 1
    if not args.dry_run:
        WEIGHTS_FILE.write_text(text)
        print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
