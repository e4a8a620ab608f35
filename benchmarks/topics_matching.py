"""Topic matching throughput: newswatch's TopicIndex vs a naive loop over every topic.

Prints articles per second with 10, 100 and 1,000 topics, for the index and for the naive loop
(every topic's compiled query on every article), measured in the same run on the same articles,
and the two ratios the issue sets targets for:
  * at 1,000 topics the index is at least 10x faster than the naive loop;
  * the index's cost per article at 1,000 topics is at most 5x its cost at 10 topics.
Both sides prepare each article once (tokens, folding, sentences): that cost is real and included.
The matches found by both sides are compared, so a fast but wrong index fails the run.

    .venv/bin/python benchmarks/topics_matching.py [--articles 300] [--repeat 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from newswatch.topics.index import TopicIndex
from newswatch.topics.query import Doc, Query, match, parse_query

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "topics" / "data" / "sample-kim-russia-trip.txt"
TOPIC_COUNTS = (10, 100, 1000)
TARGET_SPEEDUP = 10.0
TARGET_GROWTH = 5.0


@dataclass(frozen=True)
class BenchTopic:
    name: str
    query: Query


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Real English words from the sample first, then pronounceable made-up words (Zipf-ranked)."""
    real = list(dict.fromkeys(w.lower() for w in SAMPLE.read_text(encoding="utf-8").split() if w.isalpha()))
    syllables = [
        "ka",
        "ro",
        "mi",
        "tel",
        "an",
        "su",
        "vor",
        "le",
        "qui",
        "den",
        "pa",
        "zu",
        "ost",
        "ri",
        "ne",
    ]
    made: set[str] = set()
    while len(made) < size - len(real):
        made.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return real + sorted(made)


def articles(rng: random.Random, vocab: list[str], n: int) -> list[tuple[str, str]]:
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    out = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(15, 30)):
            words = rng.choices(vocab, weights, k=rng.randint(8, 22))
            sentences.append(" ".join(words).capitalize() + ".")
        out.append((" ".join(rng.choices(vocab, weights, k=8)).capitalize(), " ".join(sentences)))
    return out


def topics(rng: random.Random, vocab: list[str], n: int) -> list[BenchTopic]:
    """Analyst-like queries over mid- and low-frequency words (the frequent ones are stop words)."""
    pool = vocab[150:]
    shapes = [
        lambda w: f'({w[0]} OR {w[1]}) AND "{w[2]} {w[3]}"',
        lambda w: f"{w[0]} NEAR/10 ({w[1]} OR {w[2]}*) AND NOT {w[3]}",
        lambda w: f'headline:{w[0]} OR (body:"{w[1]} {w[2]}" AND {w[3]})',
        lambda w: f"({w[0]}* OR {w[1]}) NEAR/20 ({w[2]} OR {w[3]}) AND lang:en",
        lambda w: f"{w[0]} {w[1]} {w[2]} NOT {w[3]}",
    ]
    out = []
    for i in range(n):
        words = [rng.choice(pool) for _ in range(4)]
        out.append(BenchTopic(f"t{i}", parse_query(shapes[i % len(shapes)](words))))
    return out


def run_index(index: TopicIndex[BenchTopic], docs: list[tuple[str, str]]) -> list[list[str]]:
    found = []
    for headline, body in docs:
        doc = Doc.from_parts(headline=headline, body=body, language="en")
        found.append([t.name for t, _ in index.match(doc)])
    return found


def run_naive(all_topics: list[BenchTopic], docs: list[tuple[str, str]]) -> list[list[str]]:
    found = []
    for headline, body in docs:
        doc = Doc.from_parts(headline=headline, body=body, language="en")
        found.append([t.name for t in all_topics if match(t.query, doc) is not None])
    return found


def timed(fn, *args) -> tuple[float, list[list[str]]]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocab = vocabulary(rng, 20000)
    docs = articles(rng, vocab, args.articles)
    all_topics = topics(rng, vocab, max(TOPIC_COUNTS))
    print(
        f"{args.articles} articles (~{sum(len(b.split()) for _, b in docs) // len(docs)} words each), "
        f"{args.repeat} interleaved repeats (rates: best; ratios: median of per-repeat ratios)"
    )
    print(f"{'topics':>7} {'index art/s':>12} {'naive art/s':>12} {'speed-up':>9} {'matches':>8}")
    subsets = {n: all_topics[:n] for n in TOPIC_COUNTS}
    indexes = {n: TopicIndex(subsets[n]) for n in TOPIC_COUNTS}
    times: dict[tuple[str, int], list[float]] = {
        (side, n): [] for side in ("index", "naive") for n in TOPIC_COUNTS
    }
    found: dict[tuple[str, int], list[list[str]]] = {}
    # Every repeat times every configuration back to back, so the ratios compare runs that saw
    # the same machine load; the medians of the per-repeat ratios are what the targets judge.
    for _ in range(args.repeat):
        for n in TOPIC_COUNTS:
            elapsed, found[("index", n)] = timed(run_index, indexes[n], docs)
            times[("index", n)].append(elapsed)
        for n in TOPIC_COUNTS:
            elapsed, found[("naive", n)] = timed(run_naive, subsets[n], docs)
            times[("naive", n)].append(elapsed)
    for n in TOPIC_COUNTS:
        if found[("index", n)] != found[("naive", n)]:
            print(f"FAIL: the index and the naive loop disagree at {n} topics", file=sys.stderr)
            return 1
        best_index, best_naive = min(times[("index", n)]), min(times[("naive", n)])
        print(
            f"{n:>7} {len(docs) / best_index:>12.1f} {len(docs) / best_naive:>12.1f} "
            f"{_median_ratio(times[('naive', n)], times[('index', n)]):>8.1f}x "
            f"{sum(map(len, found[('index', n)])):>8}"
        )
    top, low = max(TOPIC_COUNTS), min(TOPIC_COUNTS)
    speedup = _median_ratio(times[("naive", top)], times[("index", top)])
    growth = _median_ratio(times[("index", top)], times[("index", low)])
    ok = speedup >= TARGET_SPEEDUP and growth <= TARGET_GROWTH
    print(f"index vs naive at {top} topics: {speedup:.1f}x faster (target >= {TARGET_SPEEDUP:g}x)")
    print(f"index cost at {top} vs {low} topics: {growth:.2f}x (target <= {TARGET_GROWTH:g}x)")
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


def _median_ratio(numerators: list[float], denominators: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(numerators, denominators, strict=True))


if __name__ == "__main__":
    sys.exit(main())
