"""Analyst commands over the article database: search, show, history, story, export, stats.

Output fits a terminal (tables are cut to its width), machine formats (json, csv, jsonl) are
complete, exports stream row by row, and every expected failure is a one-line
:class:`newswatch.cli.CommandError`, never a traceback. Every read goes through
:mod:`newswatch.store.reads`; the settings come from the ``newswatch`` entry point.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from newswatch.analyst.output import csv_cell, json_default, print_table, text, write_rows
from newswatch.cli import CommandError
from newswatch.identify.urls import canonicalize_url
from newswatch.settings import Settings
from newswatch.store.engine import make_engine
from newswatch.store.reads import articles, counts, stories
from newswatch.timerange import parse_time
from newswatch.topic_search import Window, search_articles
from newswatch.topics.config import file_vocabularies
from newswatch.topics.query import QuerySyntaxError
from newswatch.topics.query import parse_query as parse_topic_query

EXPORT_FIELDS = (
    "id", "article_id", "version_no", "canonical_url", "outlet", "source_name", "story_id", "headline",
    "published_at", "published_source", "updated_at", "updated_source", "fetched_at", "language",
    "authors", "content_hash", "body",
)  # fmt: skip


def time_window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """Both ends read by :func:`newswatch.timerange.parse_time` and checked: the window must not be
    empty or start in the future."""
    now = datetime.now(UTC)
    start = parse_time(since, now=now) if since else None
    end = parse_time(until, now=now) if until else None
    if start is not None and start > now:
        raise CommandError(f"--since {since} is in the future")
    if start is not None and end is not None and start >= end:
        raise CommandError(f"bad date range: --since {since} is not before --until {until}")
    return start, end


@contextmanager
def _database(settings: Settings) -> Iterator[Engine]:
    """An engine on the configured database; database failures become one-line errors."""
    url = make_url(settings.database_url)
    if (
        url.get_backend_name() == "sqlite"
        and url.database not in (None, "", ":memory:")
        and not Path(url.database).exists()
    ):
        # make_engine would create an empty file; an analyst command only reads
        raise CommandError(
            f"no database at {url.database} (set NEWSWATCH_DATABASE_URL, or run the pipeline first)"
        )
    engine = make_engine(settings.database_url)
    try:
        yield engine
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        hint = " (has the database been migrated? see newswatch.store.migrate.upgrade)"
        raise CommandError(
            f"database error: {first}{hint if 'no such table' in first or 'does not exist' in first else ''}"
        ) from None
    finally:
        engine.dispose()


def article_id_of(engine: Engine, ref: str) -> int | None:
    """An article id as typed, or the article at a URL: its canonical form, else any URL it was seen at."""
    typed = ref.strip()
    if typed.isdigit():
        return int(typed)
    if "://" not in typed:
        return None
    try:
        canonical = canonicalize_url(typed)
    except ValueError:  # not a URL after all (a bad port, an unclosed '[')
        return None
    return articles.article_id_at(engine, canonical=canonical, seen_at=[typed, canonical])


# ---------------------------------------------------------------- commands


def cmd_search(args: argparse.Namespace) -> int:
    """Search in the topic query language (the alerts' own), newest first, with evidence."""
    settings: Settings = args.settings
    try:
        query = parse_topic_query(args.query, file_vocabularies(settings.topics_file))
    except QuerySyntaxError as exc:
        raise CommandError(f"malformed query: {exc}") from None
    since, until = time_window(args.since or settings.search_default_since, args.until)
    if args.limit is not None and args.limit <= 0:
        raise CommandError("--limit must be a positive number")
    window = Window(since=since, until=until, source=args.source, all_versions=args.all_versions)
    with _database(settings) as engine:
        rows = search_articles(
            engine, query, settings, window, limit=args.limit or settings.search_default_limit
        )
    for row in rows:
        row["evidence"] = " … ".join(row["evidence"][:2])
        row["source"] = row.get("source_name") or row.get("outlet")  # as the operator named it
    columns = ("article_id", "version_no", "fetched_at", "source", "score", "headline")
    if args.format != "table":
        columns = tuple(rows[0]) if rows else tuple(columns)
    write_rows(rows, args.format, columns, sys.stdout, stretch="headline")
    if args.format == "table" and not rows:
        print("no matches", file=sys.stderr)
    return 0


def _article(engine: Engine, ref: str) -> dict[str, Any]:
    article_id = article_id_of(engine, ref)
    article = articles.find_article(engine, article_id) if article_id is not None else None
    if article is None:
        raise CommandError(f"unknown article {ref!r} (give an article id or a URL)")
    return article


def cmd_show(args: argparse.Namespace) -> int:
    with _database(args.settings) as engine:
        article = _article(engine, args.article)
    if args.format == "json":
        json.dump(article, sys.stdout, default=json_default, ensure_ascii=False, indent=2)
        print()
        return 0
    latest = article.get("latest") or {}
    for label, value in (
        ("article", article["id"]), ("url", article["canonical_url"]), ("outlet", article["outlet"]),
        ("source", article["source_name"]), ("story", article["story_id"]),
        ("first seen", article["first_seen_at"]), ("last seen", article["last_seen_at"]),
        ("versions", article["version_count"]), ("headline", latest.get("headline")),
        ("published", f"{text(latest.get('published_at'))} ({latest.get('published_source') or '-'})"),
        ("updated", f"{text(latest.get('updated_at'))} ({latest.get('updated_source') or '-'})"),
        ("authors", latest.get("authors")), ("language", latest.get("language")),
        ("checked", _revisit_line(article.get("revisits") or {})),
    ):  # fmt: skip
        print(f"{label:>10}: {text(value)}")
    print()
    print(latest.get("body") or "")
    return 0


def _revisit_line(revisits: dict[str, Any]) -> str:
    """When the page was last checked again and when it is next due (revisits)."""
    last = text(revisits.get("last_checked_at"))
    state = revisits.get("state") or "never"
    if state == "due":
        return f"{last}; next check {text(revisits.get('next_check_at'))}"
    endings = {
        "done": "no more checks (past the revisit schedule)",
        "gone": "page gone, no longer checked",
        "moved": "page now leads elsewhere, no longer checked",
    }
    return f"{last}; {endings[state]}" if state in endings else "not revisited"


def cmd_history(args: argparse.Namespace) -> int:
    with _database(args.settings) as engine:
        article = _article(engine, args.article)
        versions = articles.versions(engine, int(article["id"]))
    if args.format == "json":
        json.dump(versions, sys.stdout, default=json_default, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"article {article['id']}  {article['canonical_url']}  ({len(versions)} versions)")
    for v in versions:
        print(
            f"\nv{v['version_no']}  fetched {text(v['fetched_at'])}  hash {v['content_hash'][:12]}"
            f"  headline: {text(v['headline'])}"
        )
        if v["diff"]:
            print(v["diff"])
    return 0


def cmd_story(args: argparse.Namespace) -> int:
    if not str(args.story).isdigit():
        raise CommandError(f"a story is given by its number, not {args.story!r}")
    with _database(args.settings) as engine:
        story = stories.story(engine, int(args.story))
    if story is None:
        raise CommandError(f"unknown story {args.story}")
    if args.format == "json":
        json.dump(story, sys.stdout, default=json_default, ensure_ascii=False, indent=2)
        print()
        return 0
    for member in story["members"]:
        member["source"] = member.get("source_name") or member.get("outlet")  # as the operator named it
    outlets = sorted({m["source"] for m in story["members"]})
    print(f"story {story['id']}: {text(story['headline'])}")
    print(f"{len(story['members'])} articles from {len(outlets)} outlets: {', '.join(outlets)}")
    print(f"first seen {text(story['first_seen_at'])}, last seen {text(story['last_seen_at'])}\n")
    print_table(
        story["members"],
        ("article_id", "first_seen_at", "source", "headline"),
        sys.stdout,
        stretch="headline",
    )
    return 0


def _export_row(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], **{k: row.get(k) for k in EXPORT_FIELDS if k != "id"}}


def cmd_export(args: argparse.Namespace) -> int:
    since, until = time_window(args.since, args.until)
    with _database(args.settings) as engine:
        rows = (_export_row(r) for r in articles.iter_versions(engine, since=since, until=until))
        out = sys.stdout
        if args.format == "jsonl":
            for row in rows:
                out.write(json.dumps(row, default=json_default, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _database(args.settings) as engine:
        stats = counts.stats(engine)
    if args.format == "json":
        json.dump(stats, sys.stdout, default=json_default, indent=2)
        print()
        return 0
    for key, value in stats.items():
        print(f"{key.replace('_', ' '):>30}: {text(value)}")
    return 0


def _add(
    subparsers: Any,
    name: str,
    func: Callable[[argparse.Namespace], int],
    help_text: str,
    formats: Sequence[str] = ("table", "json"),
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    parser.add_argument("--format", choices=formats, default=formats[0])
    return parser


def register(subparsers: Any) -> None:
    """Add the analyst commands to the ``newswatch`` parser."""
    p = _add(
        subparsers,
        "search",
        cmd_search,
        "search articles in the topic query language, newest first",
        ("table", "json", "csv"),
    )
    p.add_argument(
        "query",
        help='the topic query language: words (AND), "a phrase", a OR b, NOT c, (…), a NEAR/5 b, '
        "prefix*, headline:/body:/source:/lang: scopes",
    )
    p.add_argument("--since", help="7d, 12h, 2w or an ISO date (default: the search_default_since setting)")
    p.add_argument("--until", help="end of the window (same forms as --since)")
    p.add_argument("--source", help="only articles from this configured source")
    p.add_argument("--limit", type=int, help="at most N results (default: the search_default_limit setting)")
    p.add_argument(
        "--all-versions", action="store_true", help="match earlier versions too, not only the latest"
    )
    p = _add(
        subparsers,
        "show",
        cmd_show,
        "an article's latest version, by id or any URL it was seen at",
        ("text", "json"),
    )
    p.add_argument("article")
    p = _add(
        subparsers,
        "history",
        cmd_history,
        "every version of an article, with word-level diffs",
        ("text", "json"),
    )
    p.add_argument("article")
    p = _add(subparsers, "story", cmd_story, "a story: the articles and outlets that carried it")
    p.add_argument("story")
    p = _add(
        subparsers, "export", cmd_export, "stream article versions as CSV or JSON lines", ("csv", "jsonl")
    )
    p.add_argument("--since", required=True, help="7d, 12h, 2w or an ISO date")
    p.add_argument("--until")
    _add(subparsers, "stats", cmd_stats, "counts and time range of the article database", ("text", "json"))
