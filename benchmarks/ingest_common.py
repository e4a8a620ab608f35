"""Shared parts of the store benchmarks: a synthetic news corpus and throw-away databases.

The corpus imitates what the store sees: ~400-word articles from a Zipf-distributed vocabulary,
a share of them wire copies (lightly edited, other outlet) of an earlier article, so that identity,
versioning and story assignment all do their real work. Everything is seeded: runs compare.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from newswatch.models import Article
from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get(
    "NEWSWATCH_BENCH_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
TOPIC_WORDS = ("drone", "drones", "missile", "kim", "jong", "un", "korea", "election", "flood", "ceasefire")
START = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    url: str
    source: str
    fetched_at: datetime
    article: Article


def vocabulary(size: int = 20_000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size * 2)}
    return sorted(words)[:size] + list(TOPIC_WORDS)


class Corpus:
    """Seeded synthetic articles; ``copy_share`` of them rewrite an earlier article (wire copy)."""

    def __init__(self, seed: int = 1, copy_share: float = 0.3, words: int = 400) -> None:
        self.rng = random.Random(seed)
        self.vocab = vocabulary()
        self.cum = list(accumulate(1.0 / (rank + 1) for rank in range(len(self.vocab))))
        self.copy_share = copy_share
        self.words = words
        self.bodies: list[tuple[str, str]] = []

    def _sentence(self) -> str:
        picked = self.rng.choices(self.vocab, cum_weights=self.cum, k=self.rng.randint(8, 25))
        return " ".join(picked).capitalize() + "."

    def _body(self) -> str:
        paragraphs, count = [], 0
        while count < self.words:
            paragraph = " ".join(self._sentence() for _ in range(3))
            count += len(paragraph.split())
            paragraphs.append(paragraph)
        return "\n".join(paragraphs)

    def _rewrite(self, body: str) -> str:
        paragraphs = body.split("\n")
        i = self.rng.randrange(len(paragraphs))
        paragraphs[i] = self._sentence() + " " + paragraphs[i]
        return "\n".join(paragraphs[:-1] if len(paragraphs) > 3 else paragraphs)

    def article(self) -> tuple[str, str]:
        if self.bodies and self.rng.random() < self.copy_share:
            headline, body = self.rng.choice(self.bodies[-200:])
            return headline, self._rewrite(body)
        headline, body = " ".join(self._sentence().split()[:8]), self._body()
        self.bodies.append((headline, body))
        return headline, body

    def items(self, n: int, *, prefix: str = "a", start: datetime = START) -> list[Item]:
        out = []
        for i in range(n):
            headline, body = self.article()
            outlet = f"outlet{self.rng.randrange(40)}.test"
            at = start + timedelta(seconds=30 * i)
            article = Article(
                headline=headline, body=body, language="en", published_at=at, published_source="meta"
            )
            out.append(Item(f"https://www.{outlet}/news/{prefix}{i}?utm_source=rss", outlet, at, article))
        return out


@contextmanager
def temp_database(kind: str) -> Iterator[tuple[str, Engine]]:
    """A freshly migrated database of ``kind`` ("sqlite" or "postgresql"), dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="newswatch-bench-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            upgrade(url)
            engine = make_engine(url)
            try:
                yield url, engine
            finally:
                engine.dispose()
        return
    name = f"newswatch_bench_{uuid.uuid4().hex[:10]}"
    with admin_connection() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        engine = make_engine(url)
        try:
            yield url, engine
        finally:
            engine.dispose()
    finally:
        with admin_connection() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def admin_connection() -> Iterator:  # type: ignore[type-arg]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)
