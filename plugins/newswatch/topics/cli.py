"""``newswatch topics``: check the topics file, and dry-run a topic or an inline query against the
stored articles, printing what would have been sent with its evidence (nothing is written)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from newswatch.cli import CommandError
from newswatch.models import story_key
from newswatch.store import matches
from newswatch.store.engine import make_engine
from newswatch.timerange import TimeRangeError, parse_time
from newswatch.topics.config import LoadedTopics, Topic, load_topics
from newswatch.topics.matcher import Doc, Evidence, Match, match
from newswatch.topics.syntax import QuerySyntaxError, parse_query


def since_option(text: str, now: datetime) -> datetime:
    """The ``--since`` value as a time (a duration before ``now`` or an ISO date)."""
    try:
        return parse_time(text, now=now)
    except TimeRangeError as exc:
        raise CommandError(f"--since: {exc}") from None


def resolve(spec: str, loaded: LoadedTopics) -> Topic:
    """A configured topic by name, else ``spec`` as an inline query (delivered nowhere)."""
    topic = loaded.by_name(spec)
    if topic is not None:
        return topic
    try:
        return Topic(name="(inline query)", query=parse_query(spec, loaded.vocabularies), recipients=())
    except QuerySyntaxError as exc:
        raise CommandError(
            f"{spec!r} is not a topic name, and not a valid query: {exc}\n{exc.pointer()}"
        ) from None


def stored_versions(database_url: str, since: datetime) -> Iterator[Any]:
    """Latest version of every article fetched since ``since`` (read-only)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            yield from matches.latest_versions_since(conn, since)
    finally:
        engine.dispose()


def highlight(e: Evidence) -> str:
    return "".join(f"[{text}]" if hit else text for text, hit in e.segments())


def _story_lines(number: int, hits: list[tuple[Any, Match]], max_evidence: int) -> list[str]:
    best_row, best = max(hits, key=lambda h: h[1].score)
    lines = [
        f"{number}. {best_row.headline or '(no headline)'}  (score {best.score:g}, "
        f"{len(hits)} outlet{'s' if len(hits) != 1 else ''})"
    ]
    for row, _ in hits:
        when = row.published_at
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)  # stored as UTC; SQLite returns it without a zone
        published = f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if when else "unknown"
        lines.append(f"   {row.outlet}  published {published}  {row.canonical_url}")
    if best.vocabulary:
        lines.append(f"   vocabulary matched: {'; '.join(best.vocabulary)}")
    lines.append(f"   language: {best_row.language or 'unknown'}")
    lines.append("   evidence:")
    lines.extend(f"     - ({e.field}) {highlight(e)}" for e in best.evidence[:max_evidence])
    if len(best.evidence) > max_evidence:
        lines.append(f"     ... and {len(best.evidence) - max_evidence} more sentence(s)")
    return lines


def run_test(args: argparse.Namespace) -> int:
    settings = args.settings
    loaded = load_topics(args.topics_file or settings.topics_file)
    topic = resolve(args.topic, loaded)
    since = since_option(args.since, datetime.now(UTC))
    stories: dict[str, list[tuple[Any, Match]]] = {}
    skipped = 0
    for row in stored_versions(settings.database_url, since):
        if not topic.accepts_language(row.language):
            continue
        found = match(topic.query, Doc.of_row(row))
        if found is None:
            continue
        if found.score < topic.min_score:
            skipped += 1
            continue
        key = story_key(row.story_id, row.article_id)
        stories.setdefault(key, []).append((row, found))
    print(f"topic: {topic.name}\nquery: {topic.query.text}")
    print(
        f"since {since:%Y-%m-%d %H:%M} UTC: {len(stories)} stor{'y' if len(stories) == 1 else 'ies'} would "
        f"alert ({topic.delivery}, to {', '.join(topic.recipients) or 'nobody: inline query'})"
        + (f"; {skipped} match(es) below min_score {topic.min_score:g}" if skipped else "")
    )
    ordered = sorted(stories.values(), key=lambda hits: max(h[1].score for h in hits), reverse=True)
    for number, hits in enumerate(ordered[: args.limit], start=1):
        print("\n".join(["", *_story_lines(number, hits, settings.alert_max_evidence)]))
    return 0


def run_check(args: argparse.Namespace) -> int:
    path = args.topics_file or args.settings.topics_file
    loaded = load_topics(path)
    for topic in loaded.topics:
        print(f"ok  {topic.name}  ({topic.delivery}, {len(topic.recipients)} recipient(s))")
    for warning in loaded.warnings:
        print(f"WARNING  {warning}")
    for error in loaded.errors:
        print(f"ERROR  {error}")
    return 1 if loaded.errors else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("topics", help="watched topics: check the file, dry-run a topic")
    sub = parser.add_subparsers(dest="topics_command", metavar="SUBCOMMAND", required=True)
    test = sub.add_parser("test", help="dry-run a topic (or an inline query) against stored articles")
    test.add_argument("topic", metavar="NAME_OR_QUERY")
    test.add_argument(
        "--since", default="30d", help="how far back to look: 30d, 12h, 2w or an ISO date (default 30d)"
    )
    test.add_argument("--limit", type=int, default=20, help="stories to show (default 20)")
    test.add_argument("--topics-file", default=None, help="default: the settings' topics_file")
    test.set_defaults(func=run_test)
    check = sub.add_parser("check", help="validate the topics file; exit status 1 when it has errors")
    check.add_argument("--topics-file", default=None)
    check.set_defaults(func=run_check)
