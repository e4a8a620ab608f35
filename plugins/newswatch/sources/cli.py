"""``newswatch sources list|check|discover``: add a source in one line and check it before the
next cycle does.

* ``discover URL`` — from any page of a site: its feeds, sitemaps or a section page, ranked, with
  what each yields now and three sample articles; prints the ``sources.yaml`` entry, or appends
  it with ``--write`` (validated first; the file's comments and layout are kept as they are).
* ``check [NAME…]`` — a live pre-flight of configured sources; exit status 1 when one is broken.
* ``list`` — configured sources with their health from the database, never-run ones included.

All network goes through the pipeline's guarded fetcher built from ``args.settings``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from newswatch.cli import CommandError
from newswatch.fetch import Fetcher
from newswatch.settings import Settings
from newswatch.sources.config import LoadedSources, Source, SourcesFileError, load_sources
from newswatch.sources.probe import Candidate, check_source, discover

BROKEN = 1  # exit status of `check` when a source is broken, and of `discover` finding nothing


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sources", help="configured sources: list, check live, discover a new one")
    sub = parser.add_subparsers(dest="sources_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="configured sources with their health (never-run ones too)")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(func=run_list)
    check = sub.add_parser("check", help="live pre-flight of configured sources (exit 1 if one is broken)")
    check.add_argument("names", nargs="*", metavar="NAME", help="only these sources (default: all enabled)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(func=run_check)
    found = sub.add_parser("discover", help="find a site's feeds, sitemaps or section page from any page")
    found.add_argument("url", metavar="URL")
    found.add_argument("--name", help="the source's name (default: from the host)")
    found.add_argument("--write", action="store_true", help="append the entry to the sources file")
    found.add_argument("--format", choices=("text", "json"), default="text")
    found.set_defaults(func=run_discover)


# ---------------------------------------------------------------------------------------- list
def _health(settings: Settings) -> dict[str, Any]:
    from newswatch.store.engine import make_engine
    from newswatch.store.migrate import upgrade
    from newswatch.store.source_checks import health_by_name

    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return health_by_name(conn)
    finally:
        engine.dispose()


def source_state(source: Source, health: Any | None) -> str:
    """One word an operator scans for: disabled, not yet run, ok, failing."""
    if not source.enabled:
        return "disabled"
    if health is None or health["last_run_at"] is None:
        return "not yet run"
    return "failing" if int(health["consecutive_failures"] or 0) > 0 else "ok"


def _when(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value else None


def list_rows(settings: Settings) -> list[dict[str, Any]]:
    sources = load_sources(settings.sources_file).sources
    health = _health(settings)
    rows = []
    for source in sources:
        row = health.get(source.name)
        rows.append(
            {
                "name": source.name,
                "state": source_state(source, row),
                "methods": [f"{m.kind} {m.url}" for m in source.methods],
                "last_run": _when(row["last_run_at"]) if row else None,
                "last_success": _when(row["last_success_at"]) if row else None,
                "failures": int(row["consecutive_failures"] or 0) if row else 0,
                "last_error": (f"{row['last_error_kind']}: {row['last_error_message'] or ''}"[:120])
                if row and row["consecutive_failures"]
                else None,
            }
        )
    return rows


def run_list(args: argparse.Namespace) -> int:
    rows = list_rows(args.settings)
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(r["name"]) for r in rows), default=4)
    print(f"{'NAME':<{width}}  {'STATE':<11}  {'LAST RUN':<16}  {'LAST SUCCESS':<16}  LISTING")
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['state']:<11}  {r['last_run'] or '-':<16}  "
            f"{r['last_success'] or '-':<16}  {r['methods'][0]}"
        )
        if r["last_error"]:
            print(f"{'':<{width}}  failures={r['failures']}  {r['last_error']}")
    if not rows:
        print(f"no sources in {args.settings.sources_file}")
    return 0


# ----------------------------------------------------------------------------- presentation
def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "no date"


def candidate_dict(c: Candidate) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "url": c.url,
        "found_by": c.found_by,
        "link_pattern": c.link_pattern,
        "read_from": c.read_from,
        "ok": c.ok,
        "error": c.error,
        "robots": c.robots,
        "entries": len(c.entries),
        "dated_entries": c.dated,
        "newest": c.newest.isoformat() if c.newest else None,
        "newest_entries": [
            {
                "url": e.url,
                "title": e.title,
                "date": (d.isoformat() if (d := e.updated_at or e.published_at) else None),
            }
            for e in c.entries[:5]
        ],
        "samples": [
            {
                "url": s.url,
                "headline": s.headline,
                "published_at": s.published_at.isoformat() if s.published_at else None,
                "updated_at": s.updated_at.isoformat() if s.updated_at else None,
                "body_chars": s.body_chars,
                "language": s.language,
                "error": s.error,
            }
            for s in c.samples
        ],
        "warnings": c.warnings(),
    }


def describe(c: Candidate) -> list[str]:
    """A candidate as an operator reads it: what, how found, what it yields, samples, warnings."""
    head = f"{c.kind:<7} {c.url}  ({c.found_by})"
    if not c.ok:
        return [head, f"        unusable: {c.error}"]
    lines = [head]
    if c.link_pattern:
        lines.append(f"        link_pattern: {c.link_pattern}")
    if c.read_from:
        lines.append(f"        read from: {c.read_from}")
    lines.append(f"        {len(c.entries)} entries, {c.dated} with dates, newest {_date(c.newest)}")
    for e in c.entries[:5]:
        lines.append(f"          {_date(e.updated_at or e.published_at):<16}  {e.title or e.url}")
    for s in c.samples:
        if s.error:
            lines.append(f"        sample {s.url}: {s.error}")
        else:
            lines.append(
                f"        sample: {s.headline or '(no headline)'} | published {_date(s.published_at)}"
                f" | updated {_date(s.updated_at)} | body {s.body_chars} chars | language {s.language or '?'}"
            )
    lines.extend(f"        warning: {w}" for w in c.warnings())
    return lines


# ---------------------------------------------------------------------------------- discover
def default_name(url: str) -> str:
    """A source name from the host: ``www.example.com`` → ``example.com``; ``host:8080`` → ``host-8080``."""
    host = (urlsplit(url).netloc or "source").lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9._-]", "-", host).strip("-._")[:200] or "source"


def yaml_entry(name: str, c: Candidate) -> dict[str, Any]:
    if c.kind == "section":
        return {"name": name, "section": {"url": c.url, "link_pattern": c.link_pattern}}
    return {"name": name, c.kind: c.url}


def entry_text(entry: dict[str, Any], indent: str = "  ") -> str:
    """One ``sources:`` list item as YAML, indented like the file's own items."""
    dumped = yaml.safe_dump([entry], sort_keys=False, default_flow_style=False, allow_unicode=True)
    return "".join(indent + line if line.strip() else line for line in dumped.splitlines(keepends=True))


def _item_indent(text: str) -> str:
    match = re.search(r"^sources:\s*\n(?:\s*#.*\n|\s*\n)*( *)- ", text, re.MULTILINE)
    return match.group(1) if match else "  "


def _loaded_or_none(path: Path) -> LoadedSources | None:
    """The file's sources; None when there are none yet (no file, or ``sources:`` still empty)."""
    try:
        return load_sources(path) if path.exists() else None
    except SourcesFileError:
        return None


def append_entry(path: Path, entry: dict[str, Any]) -> None:
    """Append one source to the sources file, keeping every byte already there (comments too).

    The new text is validated by the same loader the pipeline uses before it replaces the file:
    the new source must load, and every source that loaded before must still load.
    """
    before = _loaded_or_none(path)
    text = path.read_text(encoding="utf-8") if path.exists() else "sources:\n"
    if any(s.name == entry["name"] for s in (before.sources if before else [])):
        raise CommandError(f"a source named {entry['name']!r} is already in {path}; pick another --name")
    new_text = text + ("" if text.endswith("\n") else "\n") + entry_text(entry, _item_indent(text))
    fd, tmp = tempfile.mkstemp(prefix=".sources-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(new_text)
        after = load_sources(tmp)
        names = [s.name for s in after.sources]
        kept = all(s.name in names for s in (before.sources if before else []))
        if entry["name"] not in names or not kept or len(after.errors) > len(before.errors if before else []):
            raise CommandError(f"the entry would not load from {path}: {'; '.join(after.errors) or 'layout'}")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def run_discover(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    if not args.url.startswith(("http://", "https://")):
        raise CommandError(f"{args.url!r} is not an http(s) URL")
    with Fetcher(settings) as fetcher:
        candidates, unread = discover(fetcher, args.url)
    best = candidates[0] if candidates and candidates[0].ok else None
    entry = yaml_entry(args.name or default_name(args.url), best) if best else None
    if args.format == "json":
        print(
            json.dumps(
                {
                    "candidates": [candidate_dict(c) for c in candidates],
                    "unread_pages": unread,
                    "entry": entry,
                },
                indent=2,
            )
        )
    else:
        for page in unread:
            print(f"could not read {page}")
        for number, c in enumerate(candidates, 1):
            lines = describe(c)
            print(f"{number}. {lines[0]}")
            print("\n".join(lines[1:]))
        if entry:
            print("\n# sources.yaml entry:")
            print(entry_text(entry), end="")
    if not entry:
        print("no feed, sitemap or section page with article links found", file=sys.stderr)
        return BROKEN
    if args.write:
        append_entry(Path(settings.sources_file), entry)
        print(f"appended {entry['name']!r} to {settings.sources_file}")
    return 0


# ------------------------------------------------------------------------------------- check
def broken(c: Candidate) -> str | None:
    """Why a checked source would fail or store nothing, or None."""
    if not c.ok:
        return c.error or "listing unreadable"
    if c.samples and all(s.error for s in c.samples):
        return f"no sample article could be fetched ({c.samples[0].error})"
    return None


def run_check(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    loaded = load_sources(settings.sources_file)
    for error in loaded.errors:
        print(f"sources file: {error}")
    by_name = {s.name: s for s in loaded.sources}
    unknown = [n for n in args.names if n not in by_name]
    if unknown:
        raise CommandError(f"no source named {', '.join(map(repr, unknown))} in {settings.sources_file}")
    chosen = [by_name[n] for n in args.names] or [s for s in loaded.sources if s.enabled]
    results: list[tuple[Source, Candidate]] = []
    with Fetcher(settings) as fetcher:
        for source in chosen:
            results.append((source, check_source(fetcher, source.methods)))
    report = [{"name": s.name, "broken": broken(c), **candidate_dict(c)} for s, c in results]
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        for (source, c), row in zip(results, report, strict=True):
            why = str(row["broken"] or "")
            why = why if len(why) <= 160 else why[:159] + "…"  # the full error is below
            verdict = f"BROKEN: {why}" if why else ("WARN" if row["warnings"] else "OK")
            print(f"{source.name}: {verdict}  (robots: {c.robots})")
            print("\n".join("  " + line for line in describe(c)))
    return BROKEN if any(row["broken"] for row in report) or loaded.errors else 0
