"""Score newswatch's extractor and trafilatura side by side on the extraction development set.

Usage: .venv/bin/python benchmarks/extraction.py [--set NAME] [--limit N] [--data DIR] [--pages FILE]
                                                 [--folds K] [--extra] [--extra-data DIR]

Implements the scoring rules of the set's README exactly (body shingle F1 with per-page
normalisation, micro-averaged snippet F1, normalised headline match, published calendar day,
normalised author sets) and prints, per set, both extractors and the median time per page as a
ratio to trafilatura's ``extract`` measured in the same run on the same decoded HTML.

``--folds K`` splits the development pages by site (every page of one host on the same side) into
K folds and prints, per metric, the in-fold figure (pages the fitted parts were fitted on) and the
out-of-fold figure (each page scored by parts fitted without its site): the figure that predicts
unseen pages. The fitted parts are the date weights (``extraction_fit.py``) and the body's
thresholds (``extraction_fit_body.py``: body and headline are read again with each fold's values;
authors and dates keep the packaged thresholds' headline position). ``--extra`` also scores
../shared/extraction-extra/ by its README's rules (headline, published day or its alternative,
authors, body prefix, snippets; a rough body F1 against another tool's output) with trafilatura
beside it. trafilatura is a benchmark-only dependency; the product
never imports it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "extraction-dev"
EXTRA_DATA = Path(__file__).resolve().parents[2] / "shared" / "extraction-extra"
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
    published_source: str | None = None  # where the chosen date came from, for the error report
    dates: Any = None  # newswatch's date evidence, to decide again with weights fitted on a fold
    page: Any = None  # newswatch's parsed page, to read the body again with thresholds fitted on a fold


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text or "")
    if 0 < len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def body_pr(predicted: str, truth: str) -> tuple[float, float]:
    """Per-page shingle precision and recall."""
    return shingle_pr(shingles(predicted), shingles(truth))


def shingle_pr(pred: Counter[tuple[str, ...]], gold: Counter[tuple[str, ...]]) -> tuple[float, float]:
    """Precision and recall of predicted shingles against the truth's (the fit keeps the truth's)."""
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


def no_space(text: str) -> str:
    return "".join(text.split())


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def has_body_truth(case: dict[str, Any]) -> bool:
    """Whether a page's body is scored: against a whole body or by snippets."""
    return "body" in case or "must_contain" in case or "must_not_contain" in case


def snippet_counts(case: dict[str, Any], body: str) -> Counter[str]:
    """tp/fn over the snippets the body must contain, fp/tn over those it must not."""
    text, counts = squash(body), Counter()
    for snippet in case.get("must_contain") or []:
        counts["tp" if squash(snippet) in text else "fn"] += 1
    for snippet in case.get("must_not_contain") or []:
        counts["fp" if squash(snippet) in text else "tn"] += 1
    return counts


def snippet_f1(counts: Counter[str]) -> float:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


class SetScore:
    """Accumulates one extractor's scores on one set."""

    def __init__(self) -> None:
        self.body: list[tuple[float, float]] = []
        self.snip = Counter()
        self.headline: list[bool] = []
        self.published: list[bool] = []
        self.authors: list[bool] = []
        self.prefix: list[bool] = []
        self.weak: list[tuple[float, float]] = []
        self.seconds: list[float] = []
        self.date_sources: Counter[tuple[str, bool]] = Counter()

    def add(self, case: dict[str, Any], out: Output) -> None:
        self.seconds.append(out.seconds)
        if "body" in case:
            self.body.append(body_pr(out.body, case["body"]))
        if "must_contain" in case or "must_not_contain" in case:
            self.snip.update(snippet_counts(case, out.body))
        if case.get("headline"):
            self.headline.append(norm_headline(out.headline) == norm_headline(case["headline"]))
        if case.get("published"):
            days = {case["published"], *(case.get("published_alternatives") or [])}
            self.published.append(out.published in days)
            self.date_sources[(out.published_source or "none", out.published in days)] += 1
        if case.get("body_prefix"):
            self.prefix.append(no_space(out.body).startswith(no_space(case["body_prefix"])))
        if case.get("body_weak"):
            self.weak.append(body_pr(out.body, case["body_weak"]))
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
            result["snippet F1"] = snippet_f1(self.snip)
        for name, values in (
            ("headline", self.headline), ("published", self.published), ("authors", self.authors),
            ("body prefix", self.prefix),
        ):
            if values:
                result[name] = sum(values) / len(values)
        if self.weak:
            p = statistics.fmean(x[0] for x in self.weak)
            r = statistics.fmean(x[1] for x in self.weak)
            result["rough body F1"] = f1(p, r)
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
        return Output(
            article.body, article.headline, published, list(article.authors), seconds,
            article.published_source,
        )

    return run


def newswatch_reader(settings: Any, now: datetime) -> Callable[[str, str | None], Output]:
    """newswatch read in its two steps (what ``extract_article`` does), keeping the date evidence
    and the parsed page, so that ``--folds`` can decide the dates again with weights, and read the
    body again with thresholds, fitted without the page's site."""
    from newswatch.extract.article import Page, finish, read_page
    from newswatch.extract.dates.choice import decide, packaged_weights

    def run(html: str, url: str | None) -> Output:
        start = time.perf_counter()
        page = Page(html)
        reading = read_page(html, url, None, settings, now, page)
        article = finish(reading, None, packaged_weights())
        seconds = time.perf_counter() - start
        _, _, chosen = decide(reading.dates, packaged_weights(), None, reading.bounds)
        published = article.published_at.date().isoformat() if article.published_at else None
        return Output(
            article.body, article.headline, published, list(article.authors), seconds,
            chosen.kind if chosen else None, reading.dates, page.release(),
        )

    return run


def refit_newswatch(fitted_body: list[dict[str, Any]] | None = None) -> Refit:
    """Fit the date weights and the body thresholds on a fold's training pages; decide every
    page's date and read its body and headline again with them. Each fold's changes from the
    hand-set thresholds are appended to ``fitted_body``."""
    from extraction_fit import learn
    from extraction_fit_body import Example, changed
    from extraction_fit_body import fit as fit_body
    from newswatch.extract.article import read_text
    from newswatch.extract.dates.choice import decide
    from newswatch.extract.tuning import FITTED_BODY, fitted

    def refit(train: list[Result]) -> Callable[[Result], Output]:
        dated = [(case, outs["newswatch"].dates) for case, outs in train if case.get("published")]
        weights = learn(dated)
        bodies = [Example.of(case, outs["newswatch"].page) for case, outs in train if has_body_truth(case)]
        values = fit_body(bodies)
        if fitted_body is not None:
            fitted_body.append(changed(values))
        tuning = fitted(values)
        assert set(values) == set(FITTED_BODY)

        def read(result: Result) -> Output:
            out = result[1]["newswatch"]
            published, _, chosen = decide(out.dates, weights, None, None)  # type: ignore[arg-type]
            day = published[0].date().isoformat() if published else None
            text = read_text(out.page, None, tuning)
            return replace(
                out, published=day, published_source=chosen.kind if chosen else None,
                body=text.body_text, headline=text.headline,
            )

        return read

    return refit


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


Result = tuple[dict[str, Any], dict[str, Output]]


def run_pages(
    cases: list[dict[str, Any]],
    data: Path,
    extractors: dict[str, Callable[[str, str | None], Output]],
    pages_out: Any = None,
) -> list[Result]:
    """Every extractor's output on every page, in case order."""
    results: list[Result] = []
    for case in cases:
        html = page_html(data, case)
        outputs = {name: run(html, case["url"] or None) for name, run in extractors.items()}
        results.append((case, outputs))
        if pages_out is not None:
            pages_out.write(json.dumps(page_record(case, outputs), ensure_ascii=False) + "\n")
    return results


def tally(results: list[Result]) -> dict[str, dict[str, SetScore]]:
    scores: dict[str, dict[str, SetScore]] = {}
    for case, outputs in results:
        for name, out in outputs.items():
            scores.setdefault(case["set"], {}).setdefault(name, SetScore()).add(case, out)
    return scores


def evaluate(
    cases: list[dict[str, Any]],
    data: Path,
    extractors: dict[str, Callable[[str, str | None], Output]],
    pages_out: Any = None,
) -> dict[str, dict[str, SetScore]]:
    return tally(run_pages(cases, data, extractors, pages_out))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _sides(
    scores: dict[str, dict[str, SetScore]], names: Iterable[str]
) -> Iterator[tuple[str, str, dict[str, float | None], dict[str, float | None]]]:
    """For each named set present in ``scores``: its name, its label with the page count, and
    newswatch's and trafilatura's metrics on it (the shape every table below prints)."""
    for name in names:
        if name in scores:
            per = scores[name]
            label = f"{name} ({len(per['newswatch'].seconds)})"
            yield name, label, per["newswatch"].metrics(), per["trafilatura"].metrics()


def median_ms(ours: list[float], theirs: list[float]) -> tuple[float, float] | None:
    """Both extractors' median seconds per page, in milliseconds; None without a baseline time."""
    if not (ours and theirs and statistics.median(theirs)):
        return None
    return statistics.median(ours) * 1000, statistics.median(theirs) * 1000


def print_table(scores: dict[str, dict[str, SetScore]], out=sys.stdout) -> None:
    """Every set in ``scores``: the development sets in their fixed order, then any other (the
    extra set's suites, with ``--data ../shared/extraction-extra``) by name."""
    rows = (
        "body F1", "body P", "body R", "snippet F1", "headline", "published", "authors", "body prefix",
        "rough body F1",
    )
    names = (*(name for name in SETS if name in scores), *sorted(name for name in scores if name not in SETS))
    print("| set | metric | newswatch | trafilatura | target |", file=out)
    print("|---|---|---|---|---|", file=out)
    for set_name, label, ours, theirs in _sides(scores, names):
        for row in rows:
            if row in ours:
                target = TARGETS.get((set_name, row), "")
                cells = f"{_fmt(ours[row])} | {_fmt(theirs.get(row))} | {target}"
                print(f"| {label} | {row} | {cells} |", file=out)
        ratio = ours["median s"] / theirs["median s"] if theirs["median s"] else None
        print(
            f"| {label} | median time ratio | {_fmt(ratio)} "
            f"({ours['median s'] * 1000:.1f} ms) | 1.000 ({theirs['median s'] * 1000:.1f} ms) | <= 1.0 |",
            file=out,
        )
    all_ours = [s for per in scores.values() for s in per["newswatch"].seconds]
    all_theirs = [s for per in scores.values() for s in per["trafilatura"].seconds]
    medians = median_ms(all_ours, all_theirs)
    if medians:
        ours_ms, theirs_ms = medians
        print(
            f"| all ({len(all_ours)}) | median time ratio | {ours_ms / theirs_ms:.3f} ({ours_ms:.1f} ms)"
            f" | 1.000 ({theirs_ms:.1f} ms) | <= 1.0 |",
            file=out,
        )


def site_of(case: dict[str, Any]) -> str:
    """The site a page belongs to: its host without "www.", the archived host for a web archive
    copy, the page id when the case has no URL (each such page is its own site)."""
    url = case.get("url") or ""
    archived = re.match(r"https?://web\.archive\.org/web/[^/]+/(.+)", url)
    host = urlsplit(archived.group(1) if archived else url).hostname or ""
    return host.removeprefix("www.") or "page:" + case["id"]


def fold_of(site: str, folds: int) -> int:
    """A stable fold for a site (the same in every run and on every machine)."""
    return int(hashlib.sha256(site.encode()).hexdigest(), 16) % folds


# A refit takes the training results and returns how the fitted extractor reads one page again.
Refit = Callable[[list[Result]], Callable[[Result], Output]]


def cross_validate(
    results: list[Result], folds: int, refit: Refit | None
) -> tuple[list[Result], list[Result]]:
    """(in-fold, out-of-fold) results: for each fold, newswatch's fitted parts are fitted on the
    other folds' sites and the pages are read again with them; without fitted parts both are the
    plain run."""
    if refit is None:
        return results, results
    in_fold: list[Result] = []
    out_of_fold: list[Result] = []
    for k in range(folds):
        train = [r for r in results if fold_of(site_of(r[0]), folds) != k]
        test = [r for r in results if fold_of(site_of(r[0]), folds) == k]
        read = refit(train)
        in_fold += [(case, {**outs, "newswatch": read((case, outs))}) for case, outs in train]
        out_of_fold += [(case, {**outs, "newswatch": read((case, outs))}) for case, outs in test]
    return in_fold, out_of_fold


def print_folds(in_fold: list[Result], out_of_fold: list[Result], folds: int, out=sys.stdout) -> None:
    rows = ("body F1", "snippet F1", "headline", "published", "authors")
    inside, outside = tally(in_fold), tally(out_of_fold)
    sites = len({site_of(case) for case, _ in out_of_fold})
    print(f"\ndevelopment set, {folds} folds by site ({sites} sites)", file=out)
    print("| set | metric | in-fold | out-of-fold | trafilatura | target |", file=out)
    print("|---|---|---|---|---|---|", file=out)
    for set_name, label, ours_out, theirs in _sides(outside, SETS):
        ours_in = inside[set_name]["newswatch"].metrics()
        for row in rows:
            if row in ours_out:
                print(
                    f"| {label} | {row} | {_fmt(ours_in.get(row))} | {_fmt(ours_out[row])} "
                    f"| {_fmt(theirs.get(row))} | {TARGETS.get((set_name, row), '')} |",
                    file=out,
                )


def print_extra(results: list[Result], out=sys.stdout) -> None:
    """The extra set pooled (the figure the rule compares), then per source suite."""
    rows = ("headline", "published", "authors", "body prefix", "snippet F1", "body F1", "rough body F1")
    pooled = tally([({**case, "set": "all"}, outs) for case, outs in results])
    scores = {**pooled, **tally(results)}
    print(f"\nextra set ({len(results)} pages), trafilatura in the same run", file=out)
    print("| suite | metric | newswatch | trafilatura | newswatch - trafilatura |", file=out)
    print("|---|---|---|---|---|", file=out)
    for _, label, ours, theirs in _sides(scores, ("all", *sorted(k for k in scores if k != "all"))):
        for row in rows:
            if row in ours:
                gap = ours[row] - theirs[row] if theirs.get(row) is not None else None
                sign = "" if gap is None else ("+" if gap >= 0 else "")
                print(
                    f"| {label} | {row} | {_fmt(ours[row])} | {_fmt(theirs.get(row))} "
                    f"| {sign}{_fmt(gap)} |",
                    file=out,
                )


def print_date_sources(results: list[Result], title: str, out=sys.stdout) -> None:
    """Where newswatch's published dates come from, and how often each source is wrong."""
    scores = tally(results)
    counts: dict[str, Counter[str]] = {}
    for set_name, per in scores.items():
        for (source, ok), n in per["newswatch"].date_sources.items():
            counts.setdefault(source, Counter())["ok" if ok else "wrong"] += n
            counts[source][set_name + (" ok" if ok else " wrong")] += n
    if not counts:
        return
    print(f"\npublished date by the source of the chosen candidate, {title}", file=out)
    print("| source | pages | wrong | wrong share |", file=out)
    print("|---|---|---|---|", file=out)
    for source, c in sorted(counts.items(), key=lambda item: -item[1]["wrong"]):
        total = c["ok"] + c["wrong"]
        print(f"| {source} | {total} | {c['wrong']} | {c['wrong'] / total:.2f} |", file=out)


def print_speed(results: list[Result], out=sys.stdout) -> None:
    ours = [outs["newswatch"].seconds for _, outs in results]
    theirs = [outs["trafilatura"].seconds for _, outs in results]
    medians = median_ms(ours, theirs)
    if medians:
        ours_ms, theirs_ms = medians
        print(
            f"\nmedian time per page, all {len(ours)} pages: newswatch {ours_ms:.1f} ms, trafilatura "
            f"{theirs_ms:.1f} ms, ratio {ours_ms / theirs_ms:.3f} (target <= 1.0)",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, help="only this set")
    parser.add_argument("--limit", type=int, help="at most N pages per set")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction-dev folder")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip the baseline (quick iterations)")
    parser.add_argument("--pages", type=Path, help="also write each page's scores here (JSON lines)")
    parser.add_argument("--folds", type=int, help="cross-validate by site with this many folds")
    parser.add_argument("--extra", action="store_true", help="also score the extra set")
    parser.add_argument("--extra-data", type=Path, default=EXTRA_DATA, help="the extraction-extra folder")
    args = parser.parse_args(argv)
    if args.folds is None and not args.extra:
        return plain(args)
    return generalisation(args)


Extractors = dict[str, Callable[[str, str | None], Output]]


def _extractors(args: argparse.Namespace, evidence: bool = False) -> Extractors:
    from newswatch.settings import load_settings

    make = newswatch_reader if evidence else newswatch_runner
    extractors: dict[str, Callable[[str, str | None], Output]] = {
        "newswatch": make(load_settings(), datetime.now(UTC))
    }
    extractors["trafilatura"] = (lambda h, u: Output()) if args.no_trafilatura else run_trafilatura
    for run in extractors.values():  # warm imports and caches outside the measurement
        run("<html><body><p>warm up</p></body></html>", None)
    return extractors


def plain(args: argparse.Namespace) -> int:
    """The README's table: both extractors per set, with the median time ratio."""
    cases = load_cases(args.data, args.set, args.limit)
    extractors = _extractors(args)
    if args.pages:
        with args.pages.open("w", encoding="utf-8") as pages_out:
            scores = evaluate(cases, args.data, extractors, pages_out)
    else:
        scores = evaluate(cases, args.data, extractors)
    print(f"extraction benchmark, {len(cases)} pages, {datetime.now().isoformat(timespec='seconds')}")
    print_table(scores)
    return 0


def generalisation(args: argparse.Namespace) -> int:
    """Figures that predict unseen pages: out-of-fold by site, and the extra set."""
    extractors = _extractors(args, evidence=True)
    folds = args.folds or 5
    cases = load_cases(args.data, args.set, args.limit)
    dev = run_pages(cases, args.data, extractors)
    fitted_body: list[dict[str, Any]] = []
    in_fold, out_of_fold = cross_validate(dev, folds, refit_newswatch(fitted_body))
    print(f"extraction generalisation benchmark, {datetime.now().isoformat(timespec='seconds')}")
    print_folds(in_fold, out_of_fold, folds)
    print("\nbody thresholds fitted per fold (changes from the hand-set values):")
    for k, values in enumerate(fitted_body):
        print(f"- fold {k}: {values or 'none'}")
    print_date_sources(out_of_fold, "development set, out of fold")
    everything = dev
    if args.extra:
        extra_cases = load_cases(args.extra_data, None, args.limit)
        extra = run_pages(extra_cases, args.extra_data, extractors)
        print_extra(extra)
        print_date_sources(extra, "extra set")
        everything = dev + extra
    print_speed(everything)
    return 0


if __name__ == "__main__":
    sys.exit(main())
