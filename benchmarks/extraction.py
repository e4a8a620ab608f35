"""Score newswatch's extractor and trafilatura side by side on the extraction development set.

Usage: .venv/bin/python benchmarks/extraction.py [--set NAME] [--limit N] [--data DIR] [--pages FILE]

Implements the scoring rules of the set's README exactly (body shingle F1 with per-page
normalisation, micro-averaged snippet F1, normalised headline match, published calendar day,
normalised author sets) and prints, per set, both extractors and the median time per page as a
ratio to trafilatura's ``extract`` measured in the same run on the same decoded HTML.
trafilatura is a benchmark-only dependency; the product never imports it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "extraction-dev"
SETS = ("scrapinghub", "naeb", "trafilatura", "htmldate")
TARGETS: dict[tuple[str, str], str] = {
    ("scrapinghub", "body F1"): ">= 0.970",
    ("naeb", "body F1"): ">= 0.940",
    ("trafilatura", "snippet F1"): ">= 0.935",
    ("naeb", "headline"): ">= 0.940",
    ("trafilatura", "headline"): ">= 0.850",
    ("htmldate", "published"): ">= 0.930",
    ("naeb", "published"): ">= 0.880",
    ("trafilatura", "published"): ">= 0.900",
    ("naeb", "authors"): ">= 0.750",
}
_WORD = re.compile(r"\w+")
_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "―": "-",
        "−": "-",
    }
)


@dataclass
class Output:
    """What one extractor produced for one page."""

    body: str = ""
    headline: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text or "")
    if 0 < len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def body_pr(predicted: str, truth: str) -> tuple[float, float]:
    """Per-page shingle precision and recall."""
    pred, gold = shingles(predicted), shingles(truth)
    tp = sum((pred & gold).values())
    n_pred, n_gold = sum(pred.values()), sum(gold.values())
    precision = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    recall = tp / n_gold if n_gold else 1.0
    return precision, recall


def squash(text: str) -> str:
    return " ".join(text.split())


def norm_headline(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_QUOTES)
    text = squash(text)
    return re.sub(r"^[\W_]+|[\W_]+$", "", text)


def norm_name(text: str) -> str:
    return squash(unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)).strip(" .,")


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


class SetScore:
    """Accumulates one extractor's scores on one set."""

    def __init__(self) -> None:
        self.body: list[tuple[float, float]] = []
        self.snip = Counter()
        self.headline: list[bool] = []
        self.published: list[bool] = []
        self.authors: list[bool] = []
        self.seconds: list[float] = []

    def add(self, case: dict[str, Any], out: Output) -> None:
        self.seconds.append(out.seconds)
        if "body" in case:
            self.body.append(body_pr(out.body, case["body"]))
        if "must_contain" in case or "must_not_contain" in case:
            text = squash(out.body)
            for snippet in case.get("must_contain") or []:
                self.snip["tp" if squash(snippet) in text else "fn"] += 1
            for snippet in case.get("must_not_contain") or []:
                self.snip["fp" if squash(snippet) in text else "tn"] += 1
        if case.get("headline"):
            self.headline.append(norm_headline(out.headline) == norm_headline(case["headline"]))
        if case.get("published"):
            self.published.append(out.published == case["published"])
        if case.get("authors") is not None:
            self.authors.append(
                {norm_name(a) for a in out.authors} == {norm_name(a) for a in case["authors"]}
            )

    def metrics(self) -> dict[str, float | None]:
        result: dict[str, float | None] = {}
        if self.body:
            p = statistics.fmean(x[0] for x in self.body)
            r = statistics.fmean(x[1] for x in self.body)
            result["body F1"], result["body P"], result["body R"] = f1(p, r), p, r
        if self.snip:
            tp, fp, fn = self.snip["tp"], self.snip["fp"], self.snip["fn"]
            result["snippet F1"] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        for name in ("headline", "published", "authors"):
            values = getattr(self, name)
            if values:
                result[name] = sum(values) / len(values)
        result["median s"] = statistics.median(self.seconds) if self.seconds else None
        return result


def newswatch_runner(settings: Any, now: datetime) -> Callable[[str, str | None], Output]:
    """newswatch's extractor with the settings and fetch time built once for the whole run."""
    from newswatch.extract import extract_article

    def run(html: str, url: str | None) -> Output:
        start = time.perf_counter()
        article = extract_article(html, url, settings=settings, now=now)
        seconds = time.perf_counter() - start
        published = article.published_at.date().isoformat() if article.published_at else None
        return Output(article.body, article.headline, published, list(article.authors), seconds)

    return run


def run_trafilatura(html: str, url: str | None) -> Output:
    import trafilatura

    start = time.perf_counter()
    body = trafilatura.extract(html, url=url) or ""
    seconds = time.perf_counter() - start
    meta = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    meta = meta.as_dict() if hasattr(meta, "as_dict") else (meta or {})
    raw_authors = meta.get("author") or ""
    authors = [a.strip() for a in raw_authors.split(";") if a.strip()]
    date = meta.get("date")
    return Output(body, meta.get("title"), date[:10] if date else None, authors, seconds)


def load_cases(data: Path, only: str | None, limit: int | None) -> list[dict[str, Any]]:
    cases = [json.loads(line) for line in (data / "cases.jsonl").read_text().splitlines() if line.strip()]
    if only:
        cases = [c for c in cases if c["set"] == only]
    if limit:
        per_set: Counter[str] = Counter()
        kept = []
        for case in cases:
            if per_set[case["set"]] < limit:
                per_set[case["set"]] += 1
                kept.append(case)
        cases = kept
    return cases


def page_html(data: Path, case: dict[str, Any]) -> str:
    from newswatch.fetch.decode import decode_body

    return decode_body(gzip.decompress((data / case["page"]).read_bytes()), None)[0]


def page_record(case: dict[str, Any], outputs: dict[str, Output]) -> dict[str, Any]:
    """One page's per-extractor scores, for finding where a method loses (``--pages``)."""
    record: dict[str, Any] = {"set": case["set"], "id": case["id"], "url": case["url"]}
    for name, out in outputs.items():
        score = SetScore()
        score.add(case, out)
        metrics = score.metrics()
        metrics.pop("median s", None)
        metrics.update(headline_out=out.headline, published_out=out.published, authors_out=out.authors)
        record[name] = metrics
    return record


def evaluate(
    cases: list[dict[str, Any]],
    data: Path,
    extractors: dict[str, Callable[[str, str | None], Output]],
    pages_out: Any = None,
) -> dict[str, dict[str, SetScore]]:
    scores: dict[str, dict[str, SetScore]] = {}
    for case in cases:
        html = page_html(data, case)
        outputs = {name: run(html, case["url"] or None) for name, run in extractors.items()}
        for name, out in outputs.items():
            scores.setdefault(case["set"], {}).setdefault(name, SetScore()).add(case, out)
        if pages_out is not None:
            pages_out.write(json.dumps(page_record(case, outputs), ensure_ascii=False) + "\n")
    return scores


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(scores: dict[str, dict[str, SetScore]], out=sys.stdout) -> None:
    rows = ("body F1", "body P", "body R", "snippet F1", "headline", "published", "authors")
    print("| set | metric | newswatch | trafilatura | target |", file=out)
    print("|---|---|---|---|---|", file=out)
    for set_name in SETS:
        if set_name not in scores:
            continue
        ours = scores[set_name]["newswatch"].metrics()
        theirs = scores[set_name]["trafilatura"].metrics()
        n = len(scores[set_name]["newswatch"].seconds)
        for row in rows:
            if row in ours:
                target = TARGETS.get((set_name, row), "")
                print(
                    f"| {set_name} ({n}) | {row} | {_fmt(ours[row])} | {_fmt(theirs.get(row))} | {target} |",
                    file=out,
                )
        ratio = ours["median s"] / theirs["median s"] if theirs["median s"] else None
        print(
            f"| {set_name} ({n}) | median time ratio | {_fmt(ratio)} "
            f"({ours['median s'] * 1000:.1f} ms) | 1.000 ({theirs['median s'] * 1000:.1f} ms) | <= 1.0 |",
            file=out,
        )
    all_ours = [s for per in scores.values() for s in per["newswatch"].seconds]
    all_theirs = [s for per in scores.values() for s in per["trafilatura"].seconds]
    if all_ours and all_theirs and statistics.median(all_theirs):
        ours_ms, theirs_ms = statistics.median(all_ours) * 1000, statistics.median(all_theirs) * 1000
        print(
            f"| all ({len(all_ours)}) | median time ratio | {ours_ms / theirs_ms:.3f} ({ours_ms:.1f} ms)"
            f" | 1.000 ({theirs_ms:.1f} ms) | <= 1.0 |",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, help="only this set")
    parser.add_argument("--limit", type=int, help="at most N pages per set")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction-dev folder")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip the baseline (quick iterations)")
    parser.add_argument("--pages", type=Path, help="also write each page's scores here (JSON lines)")
    args = parser.parse_args(argv)
    cases = load_cases(args.data, args.set, args.limit)
    from newswatch.settings import load_settings

    extractors: dict[str, Callable[[str, str | None], Output]] = {
        "newswatch": newswatch_runner(load_settings(), datetime.now(UTC))
    }
    extractors["trafilatura"] = (lambda h, u: Output()) if args.no_trafilatura else run_trafilatura
    for run in extractors.values():  # warm imports and caches outside the measurement
        run("<html><body><p>warm up</p></body></html>", None)
    if args.pages:
        with args.pages.open("w", encoding="utf-8") as pages_out:
            scores = evaluate(cases, args.data, extractors, pages_out)
    else:
        scores = evaluate(cases, args.data, extractors)
    print(f"extraction benchmark, {len(cases)} pages, {datetime.now().isoformat(timespec='seconds')}")
    print_table(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
