"""Analyst commands over the article database: search, show, history, story, export, stats.

Output fits a terminal (tables are cut to its width), machine formats (json, csv, jsonl) are
complete, exports stream row by row, and every expected failure is a one-line
:class:`newswatch.cli.CommandError`, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from newswatch.cli import CommandError
from newswatch.search import Window, search_articles
from newswatch.settings import Settings, load_settings
from newswatch.store.engine import make_engine
from newswatch.store.repository import Repository
from newswatch.topics.query import QuerySyntaxError
from newswatch.topics.query import parse_query as parse_topic_query

_RELATIVE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
EXPORT_FIELDS = (
    "id", "article_id", "version_no", "canonical_url", "outlet", "source_name", "story_id", "headline",
    "published_at", "published_source", "updated_at", "updated_source", "fetched_at", "language",
    "authors", "content_hash", "body",
)  # fmt: skip


def parse_when(value: str, *, now: datetime | None = None) -> datetime:
    """``7d``/``12h``/``30m``/``2w`` ago, or an ISO date/datetime (UTC when no offset)."""
    now = now or datetime.now(UTC)
    match = _RELATIVE.match(value)
    if match:
        return now - timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"cannot read {value!r} as a time: use 7d, 12h, 30m, 2w or 2026-11-01") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def time_window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """Both ends parsed and checked: the window must not be empty or start in the future."""
    now = datetime.now(UTC)
    start = parse_when(since, now=now) if since else None
    end = parse_when(until, now=now) if until else None
    if start is not None and start > now:
        raise CommandError(f"--since {since} is in the future")
    if start is not None and end is not None and start >= end:
        raise CommandError(f"bad date range: --since {since} is not before --until {until}")
    return start, end


@contextmanager
def _repository(settings: Settings | None = None) -> Iterator[Repository]:
    """A repository on the configured database; database failures become one-line errors."""
    settings = settings or load_settings()
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
        yield Repository(engine, settings=settings)
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        hint = " (has the database been migrated? see newswatch.store.migrate.upgrade)"
        raise CommandError(
            f"database error: {first}{hint if 'no such table' in first or 'does not exist' in first else ''}"
        ) from None
    finally:
        engine.dispose()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
            if value.tzinfo
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def _json_default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: TextIO, *, stretch: str) -> None:
    """Aligned columns cut to the terminal width; the ``stretch`` column absorbs the shortfall."""
    width = shutil.get_terminal_size((120, 24)).columns
    cells = [[_text(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    overflow = sum(widths) + 2 * (len(columns) - 1) - width
    if overflow > 0:
        i = columns.index(stretch)
        widths[i] = max(widths[i] - overflow, len(stretch))
    out.write("  ".join(c.ljust(w)[:w] for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    for row in cells:
        parts = [
            (v if len(v) <= w else v[: max(w - 1, 0)] + "…").ljust(w)
            for v, w in zip(row, widths, strict=True)
        ]
        out.write("  ".join(parts).rstrip() + "\n")


def write_rows(
    rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str], out: TextIO, *, stretch: str
) -> None:
    if fmt == "json":
        json.dump(list(rows), out, default=_json_default, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    c: _json_default(row.get(c)) if isinstance(row.get(c), datetime) else row.get(c)
                    for c in columns
                }
            )
    else:
        print_table(list(rows), columns, out, stretch=stretch)


# ---------------------------------------------------------------- commands


def cmd_search(args: argparse.Namespace) -> int:
    """Search in the topic query language (the alerts' own), newest first, with evidence."""
    settings = load_settings()
    try:
        query = parse_topic_query(args.query)
    except QuerySyntaxError as exc:
        raise CommandError(f"malformed query: {exc}") from None
    since, until = time_window(args.since or settings.search_default_since, args.until)
    if args.limit is not None and args.limit <= 0:
        raise CommandError("--limit must be a positive number")
    window = Window(since=since, until=until, source=args.source, all_versions=args.all_versions)
    with _repository(settings) as repo:
        rows = search_articles(
            repo.engine, query, settings, window, limit=args.limit or settings.search_default_limit
        )
    for row in rows:
        row["evidence"] = " … ".join(row["evidence"][:2])
    columns = ("article_id", "version_no", "fetched_at", "outlet", "score", "headline")
    if args.format != "table":
        columns = tuple(rows[0]) if rows else tuple(columns)
    write_rows(rows, args.format, columns, sys.stdout, stretch="headline")
    if args.format == "table" and not rows:
        print("no matches", file=sys.stderr)
    return 0


def _article(repo: Repository, ref: str) -> dict[str, Any]:
    article = repo.find_article(ref)
    if article is None:
        raise CommandError(f"unknown article {ref!r} (give an article id or a URL)")
    return article


def cmd_show(args: argparse.Namespace) -> int:
    with _repository() as repo:
        article = _article(repo, args.article)
    if args.format == "json":
        json.dump(article, sys.stdout, default=_json_default, ensure_ascii=False, indent=2)
        print()
        return 0
    latest = article.get("latest") or {}
    for label, value in (
        ("article", article["id"]), ("url", article["canonical_url"]), ("outlet", article["outlet"]),
        ("source", article["source_name"]), ("story", article["story_id"]),
        ("first seen", article["first_seen_at"]), ("last seen", article["last_seen_at"]),
        ("versions", article["version_count"]), ("headline", latest.get("headline")),
        ("published", f"{_text(latest.get('published_at'))} ({latest.get('published_source') or '-'})"),
        ("updated", f"{_text(latest.get('updated_at'))} ({latest.get('updated_source') or '-'})"),
        ("authors", latest.get("authors")), ("language", latest.get("language")),
    ):  # fmt: skip
        print(f"{label:>10}: {_text(value)}")
    print()
    print(latest.get("body") or "")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with _repository() as repo:
        article = _article(repo, args.article)
        versions = repo.versions(int(article["id"]))
    if args.format == "json":
        json.dump(versions, sys.stdout, default=_json_default, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"article {article['id']}  {article['canonical_url']}  ({len(versions)} versions)")
    for v in versions:
        print(
            f"\nv{v['version_no']}  fetched {_text(v['fetched_at'])}  hash {v['content_hash'][:12]}"
            f"  headline: {_text(v['headline'])}"
        )
        if v["diff"]:
            print(v["diff"])
    return 0


def cmd_story(args: argparse.Namespace) -> int:
    if not str(args.story).isdigit():
        raise CommandError(f"a story is given by its number, not {args.story!r}")
    with _repository() as repo:
        story = repo.story(int(args.story))
    if story is None:
        raise CommandError(f"unknown story {args.story}")
    if args.format == "json":
        json.dump(story, sys.stdout, default=_json_default, ensure_ascii=False, indent=2)
        print()
        return 0
    outlets = sorted({m["outlet"] for m in story["members"]})
    print(f"story {story['id']}: {_text(story['headline'])}")
    print(f"{len(story['members'])} articles from {len(outlets)} outlets: {', '.join(outlets)}")
    print(f"first seen {_text(story['first_seen_at'])}, last seen {_text(story['last_seen_at'])}\n")
    print_table(
        story["members"],
        ("article_id", "first_seen_at", "outlet", "headline"),
        sys.stdout,
        stretch="headline",
    )
    return 0


def _export_row(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], **{k: row.get(k) for k in EXPORT_FIELDS if k != "id"}}


def cmd_export(args: argparse.Namespace) -> int:
    since, until = time_window(args.since, args.until)
    with _repository() as repo:
        rows = (_export_row(r) for r in repo.iter_versions(since=since, until=until))
        out = sys.stdout
        if args.format == "jsonl":
            for row in rows:
                out.write(json.dumps(row, default=_json_default, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS))
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: (
                            json.dumps(v)
                            if isinstance(v, list)
                            else _json_default(v)
                            if isinstance(v, datetime)
                            else v
                        )
                        for k, v in row.items()
                    }
                )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _repository() as repo:
        stats = repo.stats()
    if args.format == "json":
        json.dump(stats, sys.stdout, default=_json_default, indent=2)
        print()
        return 0
    for key, value in stats.items():
        print(f"{key.replace('_', ' '):>30}: {_text(value)}")
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
