"""Ingest throughput: article versions per second through the real store, against a bare bulk insert.

Usage: .venv/bin/python benchmarks/ingest.py [--articles N] [--db sqlite,postgresql]

For each database, in the same run and on the same synthetic corpus (30 % wire copies):
- store/new: ``pipeline.identify_and_store`` for N unseen articles (canonical URL, aliases, LSH story
  assignment, version with hash, one transaction each — what the pipeline does);
- store/updated: the same N URLs again with an edited paragraph (a second version + word diff);
- store/unchanged: the same again with only noise changed ("Updated 3 minutes ago"): no version;
- baseline: the same N article rows and N version rows (computed before timing) in one bulk
  ``executemany`` transaction into an empty, identically migrated database (so full-text
  indexing costs the same).
Ratios are store time / baseline time for the same number of rows.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_common import Corpus, Item, temp_database, timed
from newswatch.identify.normalize import normalise
from newswatch.identify.urls import canonicalize_url, outlet_of
from newswatch.pipeline import identify_and_store
from newswatch.settings import Settings, load_settings
from newswatch.store.articles import ArticleStore
from newswatch.store.schema import article_versions, articles
from sqlalchemy import Engine


def store_all(store: ArticleStore, settings: Settings, items: list[Item]) -> None:
    for item in items:
        identify_and_store(
            store,
            item.article,
            url=item.url,
            final_url=None,
            source_name=item.source,
            fetched_at=item.fetched_at,
            page_id=None,
            settings=settings,
        )


def bulk_rows(items: list[Item]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The article and version rows the store would write, computed before the clock starts."""
    article_rows, version_rows = [], []
    for i, item in enumerate(items, start=1):
        canonical = canonicalize_url(item.url)
        content = normalise(item.article.headline, item.article.body)
        article_rows.append(
            {
                "id": i,
                "canonical_url": canonical,
                "outlet": outlet_of(canonical),
                "source_name": item.source,
                "first_seen_at": item.fetched_at,
                "last_seen_at": item.fetched_at,
                "version_count": 1,
                "latest_version_id": i,
            }
        )
        version_rows.append(
            {
                "id": i,
                "article_id": i,
                "version_no": 1,
                "content_hash": content.content_hash,
                "headline": content.headline,
                "body": content.body,
                "authors": [],
                "language": "en",
                "published_at": item.article.published_at,
                "published_source": "meta",
                "fetched_at": item.fetched_at,
            }
        )
    return article_rows, version_rows


def bulk_insert(engine: Engine, rows: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    """The floor: the same rows in two executemany statements and one commit."""
    with engine.begin() as conn:
        conn.execute(articles.insert(), rows[0])
        conn.execute(article_versions.insert(), rows[1])


def edited(items: list[Item], note: str) -> list[Item]:
    return [replace(it, article=replace(it.article, body=it.article.body + note)) for it in items]


def run(kind: str, n: int) -> dict[str, float]:
    items = Corpus(seed=11).items(n)
    with temp_database(kind) as (_, engine):
        settings = load_settings(environ={})
        store = ArticleStore(engine, settings=settings)
        new = timed(lambda: store_all(store, settings, items))
        updated_items = edited(items, "\nA correction was appended to this article.")
        updated = timed(lambda: store_all(store, settings, updated_items))
        noisy = edited(updated_items, "\nUpdated 3 minutes ago")
        unchanged = timed(lambda: store_all(store, settings, noisy))
    with temp_database(kind) as (_, engine):
        rows = bulk_rows(items)
        baseline = timed(lambda: bulk_insert(engine, rows))
    return {"new": new, "updated": updated, "unchanged": unchanged, "baseline": baseline}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    n = args.articles
    print(f"ingest benchmark: {n} articles per pass (30% wire copies, ~400 words each)")
    print(f"{'database':<11} {'pass':<16} {'seconds':>8} {'versions/s':>11} {'x bulk insert':>14}")
    for kind in args.db.split(","):
        t = run(kind, n)
        for name in ("baseline", "new", "updated", "unchanged"):
            label = {"baseline": "bulk insert", "unchanged": "unchanged*"}.get(name, f"store/{name}")
            rate = n / t[name]
            print(f"{kind:<11} {label:<16} {t[name]:>8.2f} {rate:>11.0f} {t[name] / t['baseline']:>14.1f}")
    print("* unchanged: re-fetches with only noise changed; rate is articles/s, no version is written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
