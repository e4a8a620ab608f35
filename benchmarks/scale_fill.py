# ruff: noqa: S608 - only integers and fixed SQL are formatted into the fill statements
"""Build a PostgreSQL article database of N filler articles fast, with bulk SQL (generate_series).

Used by benchmarks/scale.py and benchmarks/search.py. The rows look like what the store writes:
one story per ~1.4 articles with one LSH band row per configured band, one alias and one version
per article, a body of ~80 Zipf-distributed words (from a pool of 50,000, plus a unique token;
full-text indexed by the generated tsvector column) with topic words at known rates, spread over
the 365 days before ``START``. Row counts, not text length, are what the scale target is about; bodies are
shorter than real ones to keep the build to minutes.

The database is kept (``newswatch_bench_<N>``) and reused when it already holds N articles.
"""

from __future__ import annotations

import random
import time
from itertools import accumulate

from ingest_common import PG_ADMIN_URL, START, admin_connection, vocabulary
from newswatch.settings import load_settings
from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

BANDS = load_settings().story_lsh_bands  # band rows per story, as the store writes them
BODY_WORDS = 80
BODY_POOL = 50_000
# (phrase, one article in N carries it): lets search queries hit known fractions of the corpus.
TOPICS = (("kim jong un inspected the drones", 400), ("drones", 100), ("missile", 50), ("rocket", 70),
          ("election", 33), ("football", 20))  # fmt: skip


def body_pool(seed: int = 5) -> list[dict[str, object]]:
    """BODY_POOL distinct Zipf-distributed bodies, reused round-robin (each article adds a unique token)."""
    rng = random.Random(seed)
    vocab = vocabulary()
    cum = list(accumulate(1.0 / (rank + 1) for rank in range(len(vocab))))
    return [
        {"id": i, "body": " ".join(rng.choices(vocab, cum_weights=cum, k=BODY_WORDS))}
        for i in range(BODY_POOL)
    ]


def database_url(n: int) -> str:
    return make_url(PG_ADMIN_URL).set(database=f"newswatch_bench_{n}").render_as_string(hide_password=False)


def _exists(name: str) -> bool:
    with admin_connection() as conn:
        return (
            conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
            is not None
        )


def _article_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM articles WHERE source_name LIKE 'filler%'")).scalar_one()
        )


def _topic_sql() -> str:
    return " || ".join(f"CASE WHEN g % {every} = 7 THEN ' {phrase}' ELSE '' END" for phrase, every in TOPICS)


def fill_statements(n: int) -> list[str]:
    stories = max(n * 10 // 14, 1)
    ts = f"(TIMESTAMPTZ '{START.isoformat()}' - (g * (365 * 86400.0 / {n})) * INTERVAL '1 second')"
    return [
        "SET maintenance_work_mem = '512MB'",
        "SET synchronous_commit = off",
        "ALTER TABLE story_bands DROP CONSTRAINT pk_story_bands",
        f"""INSERT INTO stories (id, headline, first_seen_at, last_seen_at, article_count, signature)
            SELECT g, 'filler story ' || g, {ts}, {ts}, 1, NULL FROM generate_series(1, {stories}) g""",
        f"""INSERT INTO story_bands (band_key, story_id)
            SELECT b || ':' || substr(md5(g::text || ':' || b), 1, 24), g
            FROM generate_series(1, {stories}) g, generate_series(0, {BANDS - 1}) b""",
        "ALTER TABLE story_bands ADD CONSTRAINT pk_story_bands PRIMARY KEY (band_key, story_id)",
        f"""INSERT INTO articles (id, canonical_url, outlet, source_name, story_id, first_seen_at,
                                  last_seen_at, latest_version_id, version_count)
            SELECT g, 'https://outlet' || (g % 500) || '.test/filler/' || g, 'outlet' || (g % 500) || '.test',
                   'filler' || (g % 200), 1 + (g % {stories}), {ts}, {ts}, g, 1
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO article_aliases (url, article_id, first_seen_at)
            SELECT 'https://outlet' || (g % 500) || '.test/filler/' || g, g, {ts}
            FROM generate_series(1, {n}) g""",
        "DROP INDEX ix_article_versions_search_tsv",
        f"""INSERT INTO article_versions (id, article_id, version_no, content_hash, headline, body, authors,
                                          language, published_at, published_source, fetched_at)
            SELECT g, g, 1, md5(g::text), 'filler headline ' || g,
                   b.body || ' w' || g || {_topic_sql()}, '[]', 'en', {ts}, 'meta', {ts}
            FROM generate_series(1, {n}) g JOIN bench_bodies b ON b.id = g % {BODY_POOL}""",
        "CREATE INDEX ix_article_versions_search_tsv ON article_versions USING gin (search_tsv)",
        *(
            f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
            for t in ("stories", "articles", "article_versions")
        ),
        "DROP TABLE bench_bodies",
        "ANALYZE",
    ]


def ensure_filled(n: int, *, log: bool = True) -> str:
    """URL of a migrated PostgreSQL database holding ``n`` filler articles (built if needed)."""
    url = database_url(n)
    name = make_url(url).database
    if not _exists(str(name)):
        with admin_connection() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    upgrade(url)
    engine = make_engine(url)
    try:
        if _article_count(engine) == n:
            return url
        if _article_count(engine):
            raise SystemExit(f"{name} holds a different corpus: drop it (DROP DATABASE {name}) and rerun")
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE bench_bodies (id int PRIMARY KEY, body text)"))
            conn.execute(text("INSERT INTO bench_bodies VALUES (:id, :body)"), body_pool())
            for statement in fill_statements(n):
                step = time.perf_counter()
                conn.execute(text(statement))
                if log:
                    first = " ".join(statement.split())[:60]
                    print(f"  fill: {time.perf_counter() - step:7.1f}s  {first}", flush=True)
        if log:
            print(f"  filled {n} articles in {time.perf_counter() - started:.0f}s", flush=True)
        return url
    finally:
        engine.dispose()
