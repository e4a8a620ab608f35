"""config/sources.yaml: what to watch and how to discover it, validated entry by entry.

File shape (the order of the discovery keys in an entry is the fallback order)::

    sources:
      - name: demo-wire                 # required, unique; letters, digits, "-", "_", "."
        feed: http://127.0.0.1:8900/feed.xml        # RSS 0.9x/1.0/2.0 or Atom; or feeds: [URL, ...]
        sitemap: http://127.0.0.1:8900/sitemap.xml  # urlset, sitemap index or Google News; or sitemaps: [...]
        section:                                    # or sections: [{url, link_pattern}, ...]
          url: http://127.0.0.1:8900/world/
          link_pattern: '/world/\\d{4}/'            # regex searched in each absolute link
        enabled: true                   # default true
        poll_interval: 1h               # seconds (number) or "<n>s|m|h"; default 0 = every cycle
        allow_patterns: ['^https?://127\\.0\\.0\\.1:8900/']  # regexes; a URL must match one
        delay: 2.0                      # per-domain delay override, seconds
        revisit: "3h=0, 1d=1h, 7d=1d"   # when known articles are checked again; "off": never;
                                        # default: NEWSWATCH_REVISIT_SCHEDULE
        user_agent: "newswatch-demo/1.0 (+https://example.org/bot)"
        extract:                        # CSS selectors used when heuristics fail
          headline: h1.title
          body: div.story
          published: time[itemprop=datePublished]

A YAML syntax error raises ``SourcesFileError`` naming the file and line. A bad entry becomes
one message naming the file, the entry (index, name, line) and the field; the other entries load.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import soupsieve
import yaml

from newswatch.errors import NewswatchError
from newswatch.revisit.schedule import RevisitSchedule, ScheduleError

DiscoveryKind = Literal["feed", "sitemap", "section"]
# 0: polled on every cycle of the ingest DAG, whose schedule (15 minutes) is then the interval.
DEFAULT_POLL_INTERVAL = 0.0
EXTRACT_FIELDS = ("headline", "body", "published", "updated", "authors")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}
_SINGLE = {"feed": "feed", "sitemap": "sitemap", "section": "section"}
_PLURAL = {"feeds": "feed", "sitemaps": "sitemap", "sections": "section"}
_OPTIONS = {
    "name",
    "enabled",
    "poll_interval",
    "allow_patterns",
    "delay",
    "user_agent",
    "extract",
    "revisit",
    "discovery",
}


class SourcesFileError(NewswatchError, ValueError):
    """The sources file cannot be read or is not YAML; the message names the file and line."""

    kind = "bad_config"


@dataclass(frozen=True)
class DiscoveryMethod:
    kind: DiscoveryKind
    url: str
    link_pattern: str | None = None  # sections only


@dataclass(frozen=True)
class Source:
    name: str
    methods: tuple[DiscoveryMethod, ...]
    enabled: bool = True
    poll_interval: float = DEFAULT_POLL_INTERVAL
    allow_patterns: tuple[str, ...] = ()
    delay: float | None = None
    user_agent: str | None = None
    extract: Mapping[str, str] = field(default_factory=dict)
    # This source's revisit schedule (see newswatch.revisit.schedule); None: the settings' one.
    revisit: RevisitSchedule | None = None

    def is_due(self, last_run_at: datetime | None, now: datetime, slack: timedelta = timedelta(0)) -> bool:
        """Whether a cycle at ``now`` should poll this source: enabled, and ``poll_interval``
        (less ``slack``, the scheduler's jitter) has passed since its last run."""
        if not self.enabled:
            return False
        if last_run_at is None:
            return True
        return now - last_run_at >= timedelta(seconds=self.poll_interval) - slack

    def allows(self, url: str) -> bool:
        """Whether ``url`` passes the source's allowed URL patterns (all pass when none are set)."""
        return not self.allow_patterns or any(re.search(p, url) for p in self.allow_patterns)


@dataclass
class LoadedSources:
    sources: list[Source] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _EntryError(NewswatchError, ValueError):
    """One field of one source entry is unusable; the loader reports it and skips the entry."""

    kind = "bad_config"

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


def _url(value: Any, field_name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _EntryError(field_name, "must be an http(s) URL")
    parts = urlsplit(value.strip())
    if "@" in parts.netloc:
        # Said without echoing the URL: a password in it would end up in logs and the fetch log.
        raise _EntryError(field_name, "must not contain credentials (user:password@); remove them")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _EntryError(field_name, f"{value!r} is not an absolute http(s) URL")
    return value.strip()


def _regex(value: Any, field_name: str) -> str:
    if not isinstance(value, str) or not value:
        raise _EntryError(field_name, "must be a non-empty regular expression")
    try:
        re.compile(value)
    except re.error as exc:
        raise _EntryError(field_name, f"invalid regular expression: {exc}") from None
    return value


def _duration(value: Any, field_name: str) -> float:
    if isinstance(value, bool):
        raise _EntryError(field_name, "must be seconds or '<n>s|m|h'")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise _EntryError(field_name, f"{value!r} is not seconds or '<n>s|m|h'")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds < 0:
        raise _EntryError(field_name, "must not be negative")
    return seconds


def _method(kind: str, value: Any, field_name: str) -> DiscoveryMethod:
    if kind != "section":
        return DiscoveryMethod(kind, _url(value, field_name))  # type: ignore[arg-type]
    if not isinstance(value, Mapping):
        raise _EntryError(field_name, "must be a mapping with url and link_pattern")
    unknown = set(value) - {"url", "link_pattern"}
    if unknown:
        raise _EntryError(f"{field_name}.{sorted(unknown)[0]}", "unknown key")
    if "link_pattern" not in value:
        raise _EntryError(f"{field_name}.link_pattern", "is required for a section page")
    return DiscoveryMethod(
        "section",
        _url(value.get("url"), f"{field_name}.url"),
        _regex(value.get("link_pattern"), f"{field_name}.link_pattern"),
    )


def _methods(entry: Mapping[str, Any]) -> tuple[DiscoveryMethod, ...]:
    methods: list[DiscoveryMethod] = []
    for key, value in entry.items():
        if key in _SINGLE:
            methods.append(_method(_SINGLE[key], value, key))
        elif key in _PLURAL:
            if not isinstance(value, list) or not value:
                raise _EntryError(key, "must be a non-empty list")
            methods.extend(_method(_PLURAL[key], v, f"{key}[{i}]") for i, v in enumerate(value))
        elif key == "discovery":
            methods.extend(_explicit(value))
    if not methods:
        raise _EntryError("feed", "a source needs at least one of feed, sitemap, section")
    return tuple(methods)


def _explicit(value: Any) -> list[DiscoveryMethod]:
    """``discovery: [{kind: feed, url: ...}, ...]``, the long form of the shorthand keys."""
    if not isinstance(value, list) or not value:
        raise _EntryError("discovery", "must be a non-empty list of {kind, url[, link_pattern]}")
    out = []
    for i, item in enumerate(value):
        where = f"discovery[{i}]"
        if not isinstance(item, Mapping) or item.get("kind") not in _SINGLE:
            raise _EntryError(f"{where}.kind", "must be feed, sitemap or section")
        rest = {k: v for k, v in item.items() if k != "kind"}
        out.append(_method(item["kind"], rest if item["kind"] == "section" else rest.get("url"), where))
    return out


def _extract(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _EntryError("extract", f"must be a mapping of {', '.join(EXTRACT_FIELDS)} to CSS selectors")
    out: dict[str, str] = {}
    for key, selector in value.items():
        if key not in EXTRACT_FIELDS:
            raise _EntryError(f"extract.{key}", f"unknown field (use {', '.join(EXTRACT_FIELDS)})")
        if not isinstance(selector, str) or not selector.strip():
            raise _EntryError(f"extract.{key}", "must be a CSS selector")
        try:
            soupsieve.compile(selector)
        except Exception as exc:  # soupsieve raises SelectorSyntaxError and friends
            raise _EntryError(f"extract.{key}", f"invalid CSS selector: {exc}") from None
        out[str(key)] = selector
    return out


def _optional_str(value: Any, field_name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or any(ch in value for ch in "\r\n"):
        raise _EntryError(field_name, "must be a one-line string")
    return value.strip()


def parse_entry(entry: Any, seen_names: set[str]) -> Source:
    """Validate one entry of ``sources:``; raise ``_EntryError`` naming the field."""
    if not isinstance(entry, Mapping):
        raise _EntryError("(entry)", "must be a mapping")
    unknown = set(entry) - _OPTIONS - set(_SINGLE) - set(_PLURAL)
    if unknown:
        raise _EntryError(str(sorted(unknown, key=str)[0]), "unknown field")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _EntryError("name", "required; letters, digits, '.', '_', '-' (at most 200)")
    if name in seen_names:
        raise _EntryError("name", f"duplicate source name {name!r}")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _EntryError("enabled", "must be true or false")
    patterns = entry.get("allow_patterns") or []
    if not isinstance(patterns, list):
        raise _EntryError("allow_patterns", "must be a list of regular expressions")
    return Source(
        name=name,
        methods=_methods(entry),
        enabled=enabled,
        poll_interval=_duration(entry.get("poll_interval", DEFAULT_POLL_INTERVAL), "poll_interval"),
        allow_patterns=tuple(_regex(p, f"allow_patterns[{i}]") for i, p in enumerate(patterns)),
        delay=None if entry.get("delay") is None else _duration(entry["delay"], "delay"),
        user_agent=_optional_str(entry.get("user_agent"), "user_agent"),
        extract=_extract(entry.get("extract")),
        revisit=_revisit(entry.get("revisit")),
    )


def _revisit(value: Any) -> RevisitSchedule | None:
    if value is None:
        return None
    if value is False:  # YAML reads a bare `off` as false
        return RevisitSchedule()
    if not isinstance(value, str):
        raise _EntryError("revisit", "must be a schedule such as '3h=0, 1d=1h, 7d=1d', or off")
    try:
        return RevisitSchedule.parse(value)
    except ScheduleError as exc:
        raise _EntryError("revisit", str(exc)) from None


def _read(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"{path}: cannot read: {exc}") from None
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise SourcesFileError(f"{path}:{line}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise SourcesFileError(f"{path}: not valid YAML: {exc}") from None


def _entry_lines(root: yaml.Node | None) -> list[int]:
    """The line number of each entry under ``sources:``, for error messages."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "sources" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _entry_message(path: Path, index: int, entry: Any, lines: list[int], exc: _EntryError) -> str:
    label = entry.get("name") if isinstance(entry, Mapping) else None
    named = f" {label!r}" if isinstance(label, str) else ""
    line = f" (line {lines[index]})" if index < len(lines) else ""
    return f"{path}: entry {index + 1}{named}{line}: field {exc.field_name!r}: {exc}"


def load_sources(path: str | Path) -> LoadedSources:
    """Load and validate the sources file; bad entries become ``errors``, good ones ``sources``."""
    path = Path(path)
    data, root = _read(path)
    loaded = LoadedSources()
    if data is None:
        return loaded
    if not isinstance(data, Mapping) or not isinstance(data.get("sources"), list):
        raise SourcesFileError(f"{path}: line 1: expected a mapping with a 'sources:' list")
    lines = _entry_lines(root)
    names: set[str] = set()
    for index, entry in enumerate(data["sources"]):
        try:
            source = parse_entry(entry, names)
        except _EntryError as exc:
            loaded.errors.append(_entry_message(path, index, entry, lines, exc))
            continue
        names.add(source.name)
        loaded.sources.append(source)
    return loaded
