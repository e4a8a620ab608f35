"""Revisits over a simulated newsroom: updates found, delay, and what they cost, against two baselines.

    .venv/bin/python benchmarks/revisits.py [--sources 200] [--articles 20] [--hours 48]
        [--change-share 0.3] [--etag-share 0.5] [--watched-share 0.05] [--seed 1]

A synthetic newsroom (``--sources`` outlets, each publishing ``--articles`` a day at random moments)
runs for ``--hours`` of simulated time in 15-minute cycles, after a 7-day warm-up (so the outlets
carry a week of older articles, as a running deployment does) and before a 1-day drain (no new
updates, so an update late in the window can still be found). A share of articles changes one to
three times, at moments drawn from an exponential law of the article's age (mean 8 hours, within
its first 3 days), and **no listing says so**. Half the servers answer conditional GETs with 304.

Three policies see the same newsroom, the same clock and the same cycles:

* **schedule** — the product: each known article is checked when ``RevisitPolicy.next_check``
  (``newswatch.revisit.schedule``, the settings' defaults) says, the cycle's due revisits are picked
  by ``newswatch.revisit.plan`` (watched first, most overdue next) under the per-source cap, a
  changed page is re-extracted, an unchanged one costs a 304 (or a full body without validators,
  then no extraction: same hash);
* **none** — today's behaviour without revisits: an article is fetched once, when listed;
* **everything** — every known article younger than 7 days fetched every cycle (plain GET).

The servers and the clock are simulated (nothing sleeps; 200 outlets × 10 days of cycles take
seconds); the decisions are the product's own functions. Bytes use the size of the demo's real
article page; extraction time is the median of ``extract_article`` on that page, measured in this
run. Printed: share of updates detected and delay (median, p95) by the article's age at the
update, for watched articles too; requests and bytes per day; CPU seconds extracting per day; the
ratios against the baselines, and the issue's targets as pass/fail.
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newswatch.demo.content import articles_for_phase
from newswatch.demo.site import render_article
from newswatch.extract import extract_article
from newswatch.revisit.plan import due_order, pick_revisits
from newswatch.revisit.schedule import RevisitPolicy, RevisitSchedule
from newswatch.settings import load_settings

CYCLE = timedelta(minutes=15)
WARM_UP = timedelta(days=7)
DRAIN = timedelta(days=1)
KNOWN_FOR = timedelta(days=7)  # the "everything" baseline re-fetches articles this young
NOT_MODIFIED_BYTES = 300  # status line and headers of a 304
HEADER_BYTES = 400
T0 = datetime(2026, 12, 1, tzinfo=UTC)
AGE_BUCKETS = (
    ("< 3 h", timedelta(hours=3)),
    ("3 h - 1 d", timedelta(days=1)),
    ("1 d - 3 d", timedelta(days=3)),
)


@dataclass
class Article:
    url: str
    published: datetime
    updates: list[datetime]
    watched: bool
    etag: bool
    # schedule policy state
    first_seen: datetime | None = None
    last_fetch: datetime | None = None
    last_changed: datetime | None = None
    next_check_at: datetime | None = None
    matched: bool = False  # the alerts stage found the topic (known from the first revisit on)


@dataclass(frozen=True)
class Due:
    """An article as ``revisit.plan`` sees a due revisit."""

    article: Article

    @property
    def url(self) -> str:
        return self.article.url

    @property
    def watched(self) -> bool:
        return self.article.matched and self.article.watched

    @property
    def next_check_at(self) -> datetime:
        return self.article.next_check_at  # type: ignore[return-value]


@dataclass
class Tally:
    requests: int = 0
    bytes: int = 0
    extractions: int = 0
    delays: dict[str, list[float]] = field(default_factory=dict)  # bucket -> seconds
    missed: dict[str, int] = field(default_factory=dict)

    def found(self, bucket: str, delay: timedelta) -> None:
        self.delays.setdefault(bucket, []).append(delay.total_seconds())

    def lost(self, bucket: str) -> None:
        self.missed[bucket] = self.missed.get(bucket, 0) + 1


def bucket_of(age: timedelta) -> str | None:
    for name, bound in AGE_BUCKETS:
        if age < bound:
            return name
    return None


def newsroom(args: argparse.Namespace, rng: random.Random) -> list[list[Article]]:
    """Per source, its articles in publication order, with their (unannounced) update moments."""
    start, end = T0 - WARM_UP, T0 + timedelta(hours=args.hours)
    span = (end - start).total_seconds()
    per_source = int(args.articles * span / 86400)
    sources = []
    for s in range(args.sources):
        etag = rng.random() < args.etag_share
        items = []
        for n in range(per_source):
            published = start + timedelta(seconds=rng.random() * span)
            updates = []
            if rng.random() < args.change_share:
                for _ in range(rng.randint(1, 3)):
                    age = timedelta(hours=min(rng.expovariate(1 / 8), 71.9))
                    if published + age < end:
                        updates.append(published + age)
            items.append(
                Article(f"s{s}/a{n}", published, sorted(updates), rng.random() < args.watched_share, etag)
            )
        sources.append(sorted(items, key=lambda a: a.published))
    return sources


WINDOW = [timedelta(hours=48)]


def first_fetch(article: Article) -> datetime:
    """The first cycle at or after publication: when the listing shows the article."""
    start = T0 - WARM_UP
    return start + CYCLE * -(-(article.published - start) // CYCLE)


def scored(article: Article) -> list[datetime]:
    """Updates inside the measured window made after the article was first fetched (earlier ones
    are part of the first version: nothing to detect)."""
    first = first_fetch(article)
    return [u for u in article.updates if T0 <= u < T0 + WINDOW[0] and u > first]


def check(article: Article, at: datetime, tally: Tally, page_bytes: int, measured: bool) -> bool:
    """One revisit of a known article at ``at``: the cost, and the updates it finds; True if changed."""
    since = article.last_fetch or article.published
    found = [u for u in article.updates if since < u <= at]
    article.last_fetch = at
    if measured:
        tally.requests += 1
    wanted = set(scored(article))
    for update in found:
        bucket = bucket_of(update - article.published)
        if update in wanted and bucket is not None:
            tally.found(bucket, at - update)
            if article.watched and update - article.published < timedelta(days=1):
                tally.found("watched < 1 d", at - update)
    if found:
        if measured:
            tally.bytes += page_bytes + HEADER_BYTES
            tally.extractions += 1
        return True
    if measured:
        tally.bytes += NOT_MODIFIED_BYTES if article.etag else page_bytes + HEADER_BYTES
    return False


def fetch_new(article: Article, at: datetime, tally: Tally, page_bytes: int, measured: bool) -> None:
    article.last_fetch = at
    if measured:
        tally.requests += 1
        tally.bytes += page_bytes + HEADER_BYTES
        tally.extractions += 1


def missed(article: Article, tally: Tally) -> None:
    for update in scored(article):
        if article.last_fetch is None or article.last_fetch < update:
            bucket = bucket_of(update - article.published)
            if bucket is not None:
                tally.lost(bucket)
                if article.watched and update - article.published < timedelta(days=1):
                    tally.lost("watched < 1 d")


def run_schedule(sources: list[list[Article]], policy: RevisitPolicy, cap: int, page_bytes: int) -> Tally:
    tally = Tally()
    end = T0 + WINDOW[0] + DRAIN
    for items in sources:
        queue: list[tuple[datetime, int, Article]] = []  # (next check, tie-break, article)
        pending = iter(items)
        upcoming = next(pending, None)
        tick = 0
        at = T0 - WARM_UP
        while at <= end:
            measured = T0 <= at < T0 + WINDOW[0]
            taken = set()
            while upcoming is not None and upcoming.published <= at:  # listed: fetched as new
                article = upcoming
                article.first_seen = at
                fetch_new(article, at, tally, page_bytes, measured)
                article.last_changed = at
                article.next_check_at = policy.next_check(
                    first_seen=at, last_changed=at, checked_at=at, watched=False
                )
                if article.next_check_at is not None:
                    tick += 1
                    heapq.heappush(queue, (article.next_check_at, tick, article))
                taken.add(article.url)
                upcoming = next(pending, None)
            due: list[Due] = []
            held: list[tuple[datetime, int, Article]] = []
            while queue and queue[0][2].next_check_at <= at:  # type: ignore[operator]
                entry = heapq.heappop(queue)
                due.append(Due(entry[2]))
                held.append(entry)
            due.sort(key=due_order)
            chosen = {d.url for d in pick_revisits(due, taken=taken, cap=cap)}
            for entry in held:
                article = entry[2]
                if article.url not in chosen:
                    heapq.heappush(queue, entry)  # still due: most overdue next cycle
                    continue
                changed = check(article, at, tally, page_bytes, measured)
                if changed:
                    article.last_changed = at
                article.matched = True  # the alerts stage ran after the first fetch
                article.next_check_at = policy.next_check(
                    first_seen=article.first_seen,  # type: ignore[arg-type]
                    last_changed=article.last_changed,
                    checked_at=at,
                    watched=article.watched,
                )
                if article.next_check_at is not None:
                    tick += 1
                    heapq.heappush(queue, (article.next_check_at, tick, article))
            at += CYCLE
        for article in items:
            missed(article, tally)
    return tally


def run_none(sources: list[list[Article]], page_bytes: int) -> Tally:
    """Today without revisits: each article fetched once, when listed; silent updates are missed."""
    tally = Tally()
    for items in sources:
        for article in items:
            first = first_fetch(article)
            fetch_new(article, first, tally, page_bytes, T0 <= first < T0 + WINDOW[0])
            missed(article, tally)
    return tally


def run_everything(sources: list[list[Article]], page_bytes: int) -> Tally:
    """Every known article younger than 7 days, every cycle, plain GET (counted, not looped)."""
    tally = Tally()
    end = T0 + WINDOW[0]
    for items in sources:
        for article in items:
            first = first_fetch(article)
            lo, hi = max(first, T0), min(first + KNOWN_FOR, end)
            if hi > lo:
                fetches = int(-(-(hi - lo) // CYCLE))
                tally.requests += fetches
                tally.bytes += fetches * (page_bytes + HEADER_BYTES)
                tally.extractions += fetches
            for update in scored(article):
                bucket = bucket_of(update - article.published)
                if bucket is not None:
                    found_at = first + CYCLE * -(-(update - first) // CYCLE)
                    tally.found(bucket, found_at - update)
                    if article.watched and update - article.published < timedelta(days=1):
                        tally.found("watched < 1 d", found_at - update)
    return tally


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def extraction_seconds() -> tuple[float, int]:
    """Median extract_article time on the demo's real article page, and that page's size."""
    article = articles_for_phase(2)[0]
    html = render_article(article, "http://127.0.0.1:8701")
    settings = load_settings(environ={})
    now = datetime.now(UTC)
    times = []
    for _ in range(15):
        started = time.process_time()
        extract_article(html, url="http://127.0.0.1:8701" + article.path, settings=settings, now=now)
        times.append(time.process_time() - started)
    return statistics.median(times), len(html.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20, help="articles per source per day")
    parser.add_argument("--hours", type=float, default=48.0)
    parser.add_argument("--change-share", type=float, default=0.3)
    parser.add_argument("--etag-share", type=float, default=0.5)
    parser.add_argument("--watched-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    WINDOW[0] = timedelta(hours=args.hours)
    settings = load_settings(environ={})
    policy = RevisitPolicy(
        RevisitSchedule.parse(settings.revisit_schedule),
        RevisitSchedule.parse(settings.revisit_watched_schedule),
    )
    extract_s, page_bytes = extraction_seconds()
    days = args.hours / 24
    print(
        f"revisit benchmark: {args.sources} sources x {args.articles} articles/day, "
        f"{args.hours:g} h measured "
        f"(after a 7-day warm-up), {args.change_share:.0%} of articles updated silently, "
        f"{args.etag_share:.0%} of servers with ETag; schedule {settings.revisit_schedule!r}, watched "
        f"{settings.revisit_watched_schedule!r}, cap {settings.revisit_max_per_source}/source/cycle; "
        f"page {page_bytes} bytes, extraction {extract_s * 1000:.1f} ms",
        flush=True,
    )
    started = time.perf_counter()
    results = {}
    for name in ("schedule", "none", "everything"):
        sources = newsroom(args, random.Random(args.seed))
        if name == "schedule":
            results[name] = run_schedule(sources, policy, settings.revisit_max_per_source, page_bytes)
        elif name == "none":
            results[name] = run_none(sources, page_bytes)
        else:
            results[name] = run_everything(sources, page_bytes)
    # bytes of ETag-capable servers only, for the bytes target
    etag_args = argparse.Namespace(**{**vars(args), "etag_share": 1.0})
    etag_sched = run_schedule(
        newsroom(etag_args, random.Random(args.seed)), policy, settings.revisit_max_per_source, page_bytes
    )
    etag_all = run_everything(newsroom(etag_args, random.Random(args.seed)), page_bytes)
    print(f"simulated in {time.perf_counter() - started:.1f} s\n")

    print("updates detected, and delay from the update to the fetch that found it (minutes)")
    print(f"{'age at update':<16}{'policy':<12}{'detected':>10}{'median':>9}{'p95':>8}")
    shares = {}
    for bucket in [b for b, _ in AGE_BUCKETS] + ["watched < 1 d"]:
        for name in ("schedule", "none", "everything"):
            tally = results[name]
            found = tally.delays.get(bucket, [])
            missed = tally.missed.get(bucket, 0)
            total = len(found) + missed
            share = len(found) / total if total else float("nan")
            shares[(bucket, name)] = (share, pct(found, 0.5) / 60, pct(found, 0.95) / 60)
            print(
                f"{bucket:<16}{name:<12}{share:>10.2%}"
                f"{pct(found, 0.5) / 60:>9.1f}{pct(found, 0.95) / 60:>8.1f}"
            )
    all_found = sum(len(v) for k, v in results["schedule"].delays.items() if k != "watched < 1 d")
    all_missed = sum(v for k, v in results["schedule"].missed.items() if k != "watched < 1 d")
    detected = all_found / (all_found + all_missed)
    print(f"\n{'policy':<12}{'requests/day':>14}{'MB/day':>10}{'extract s/day':>15}")
    for name in ("schedule", "none", "everything"):
        t = results[name]
        print(
            f"{name:<12}{t.requests / days:>14,.0f}{t.bytes / days / 1e6:>10.1f}"
            f"{t.extractions * extract_s / days:>15.1f}"
        )
    req_ratio = results["schedule"].requests / results["everything"].requests
    bytes_ratio = etag_sched.bytes / etag_all.bytes
    print(
        f"\nschedule / everything: requests {req_ratio:.1%}, "
        f"bytes {results['schedule'].bytes / results['everything'].bytes:.1%} "
        f"(ETag-capable servers only: {bytes_ratio:.2%}), extraction CPU "
        f"{results['schedule'].extractions / results['everything'].extractions:.1%}"
    )
    targets = [
        ("updates in an article's first 3 days detected >= 99 %", detected >= 0.99, f"{detected:.2%}"),
        (
            "p95 delay <= one cycle, articles < 3 h",
            shares[("< 3 h", "schedule")][2] <= 15,
            f"{shares[('< 3 h', 'schedule')][2]:.1f} min",
        ),
        (
            "p95 delay <= one cycle, watched articles < 1 d",
            shares[("watched < 1 d", "schedule")][2] <= 15,
            f"{shares[('watched < 1 d', 'schedule')][2]:.1f} min",
        ),
        (
            "p95 delay <= 1 h, articles 3 h - 1 d",
            shares[("3 h - 1 d", "schedule")][2] <= 60,
            f"{shares[('3 h - 1 d', 'schedule')][2]:.1f} min",
        ),
        ("requests <= 25 % of re-fetch-everything", req_ratio <= 0.25, f"{req_ratio:.1%}"),
        ("bytes <= 5 % of re-fetch-everything (ETag servers)", bytes_ratio <= 0.05, f"{bytes_ratio:.2%}"),
    ]
    print("\ntargets")
    for label, ok, figure in targets:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {figure}")
    return 0 if all(ok for _, ok, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
