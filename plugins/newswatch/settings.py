"""The one settings object: every limit and location the pipeline uses.

Built at run time (never at import or DAG-parse time) from ``NEWSWATCH_*`` environment variables,
with safe defaults. The Airflow layer may overlay Airflow Variables by passing a mapping to
:func:`load_settings`. No other module holds a magic number for these.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from newswatch.errors import NewswatchError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class SettingsError(NewswatchError, ValueError):
    """A setting has a value that cannot be used; the message names the variable."""

    kind = "bad_setting"


@dataclass(frozen=True)
class Settings:
    # --- locations ---
    database_url: str
    sources_file: Path
    topics_file: Path

    # --- discover: which sources run when, and what their feeds and sitemaps may cost ---
    sources_per_shard: int = 25
    # A source is polled again once its poll_interval, less this jitter allowance, has passed.
    poll_slack_seconds: float = 60.0
    max_listing_bytes: int = 20 * 1024 * 1024
    max_urls_per_source: int = 200
    # A URL that fails this many cycles in a row (a transient fetch error, or a page with no
    # extractable body) is given up until its listing changes.
    max_url_attempts: int = 3
    # Revisits: when known articles are fetched again although no listing announced a change
    # (see newswatch.revisit.schedule; a source may set its own with `revisit:`). While younger
    # than each age, check at that interval (0: every cycle); past the last age, never.
    revisit_schedule: str = "3h=0, 1d=1h, 3d=4h, 7d=1d"
    # Articles that matched a watched topic also follow this schedule (the tighter one wins).
    revisit_watched_schedule: str = "1d=0"
    # Revisits per source per cycle (after the new URLs); the rest wait, most overdue first.
    revisit_max_per_source: int = 30
    max_child_sitemaps: int = 20

    # --- fetch: network guard, caps, timeouts, politeness, robots.txt ---
    # CIDRs the fetcher may reach although they are private/loopback (demo, tests). Default none.
    allowed_networks: tuple[str, ...] = ()
    # Extra CA certificates (a PEM file) the fetcher trusts besides the default ones, for a
    # corporate TLS-inspecting proxy. Used by the fetcher only. Default none.
    ca_bundle: Path | None = None
    user_agent: str = "newswatch/0.1 (+https://newswatch.invalid/bot)"
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    # Wall-clock limit for a whole response, so a server dripping bytes cannot hold a worker.
    total_deadline: float = 30.0
    max_page_bytes: int = 5 * 1024 * 1024
    max_url_length: int = 2048
    max_redirects: int = 5
    # A <meta http-equiv=refresh> with at most this delay is followed like a redirect.
    meta_refresh_max_delay: float = 10.0
    # Stacked Content-Encodings beyond this are refused (a chain of gzips is a bomb pattern).
    max_content_encodings: int = 2
    fetch_chunk_bytes: int = 64 * 1024
    # Keep-alive connections the fetcher keeps per host (more threads open extra, unkept ones).
    http_pool_size: int = 32
    # Minimum seconds between two requests to one domain, across all tasks of a cycle.
    per_domain_delay: float = 1.0
    per_domain_concurrency: int = 1
    # A domain at its concurrency limit is asked again after this many seconds (cross-process).
    lease_poll_interval: float = 0.25
    retry_after_cap: float = 120.0
    max_retries: int = 2
    # Exponential backoff base (seconds) for 429/503 without a usable Retry-After.
    retry_backoff: float = 1.0
    # What to do when robots.txt cannot be read (5xx/timeout): "disallow" (safe) or "allow".
    robots_on_error: str = "disallow"
    max_robots_bytes: int = 512 * 1024
    robots_cache_ttl: float = 3600.0
    # A robots.txt Crawl-delay above this is capped, so one file cannot stall a cycle.
    max_crawl_delay: float = 60.0

    # --- extract ---
    # Page dates before this year are implausible (the web-news era starts here).
    extract_min_year: int = 1995
    # How far past the fetch time a page date may lie (time zones ahead of UTC, clock skew).
    extract_future_skew_hours: float = 26.0

    # --- identify & store ---
    # Story clustering: word n-gram size, LSH bands x rows (= MinHash permutations) and the
    # estimated Jaccard similarity a candidate needs to join a story.
    story_shingle_words: int = 4
    story_lsh_bands: int = 30
    story_lsh_rows: int = 2
    story_similarity_threshold: float = 0.5
    story_max_candidates: int = 10
    # Newest stories read per LSH band key, so a band made common by boilerplate stays cheap.
    story_band_fanout: int = 50
    # A story takes new members only within this many days of its first/last article, so that
    # templated pieces (weather, markets) published daily do not glue into one endless story.
    story_window_days: float = 3.0
    # A shortened copy (an outlet running only the first paragraphs of a wire story) joins when this
    # share of the shorter text lies inside the story's, if the shorter has enough shingles to judge.
    story_containment_threshold: float = 0.8
    story_containment_min_shingles: int = 40
    # Attempts for one article write when a concurrent writer wins a unique-key race.
    store_write_retries: int = 5
    page_compress_level: int = 6
    diff_context_words: int = 6

    # --- search & the newswatch page in the Airflow UI ---
    search_default_limit: int = 20
    search_default_since: str = "7d"
    # Search (CLI and UI) checks at most this many full-text candidates with the topic matcher
    # (newest first).
    search_candidates: int = 500
    ui_page_size: int = 50
    ui_chart_days: int = 30  # days of topic hits drawn per chart
    ui_source_runs_shown: int = 8  # recent runs listed per source on the health page
    # A source that produced nothing new or updated for this long is flagged "quiet".
    ui_quiet_after_hours: float = 24.0
    # The page header counts articles and stories seen in this window (an index range, not a
    # full count, so the header stays fast on millions of articles).
    ui_recent_hours: float = 24.0

    # --- topics & alerts ---
    # Only versions fetched this recently are matched, so a first run or a long outage never
    # mails the whole archive.
    alert_lookback_hours: float = 48.0
    # A new topic (or a changed query) is first run over versions fetched this recently; 0: never.
    alert_backfill_hours: float = 24.0
    alert_match_batch: int = 500
    alert_max_evidence: int = 8  # evidence sentences shown per story (and per change) in e-mails
    # Evidence sentences stored per match: what UPDATED alerts compare (a bound for hostile pages).
    alert_stored_evidence: int = 50
    smtp_conn_id: str = "smtp_default"
    mail_from: str = "newswatch@localhost.localdomain"
    alert_max_attempts: int = 6
    alert_retry_base_seconds: float = 60.0  # SMTP 4xx/down: retry after base * 2**(attempt-1)
    alert_retry_max_seconds: float = 3600.0
    # A claimed alert whose sending never started is taken over by another sender after this.
    alert_claim_lease_seconds: float = 900.0
    alert_send_batch: int = 100
    alert_subject_max_chars: int = 180
    alert_timezone: str = "UTC"  # zone in which e-mails show published/updated times
    digest_max_stories: int = 50

    # --- maintenance & source health ---
    raw_page_retention_days: int = 30
    fetch_log_retention_days: int = 90
    # A source is "stale" when it yielded nothing for this many poll intervals (at least
    # stale_min_hours), "failing" after this many failed runs in a row.
    stale_after_intervals: float = 8.0
    stale_min_hours: float = 6.0
    failing_after_runs: int = 3
    # Extraction is "degraded" when more than this share of a source's pages in the window lacked
    # a headline, date or body (judged only with at least extraction_min_pages pages).
    extraction_window_hours: int = 24
    extraction_gap_ratio: float = 0.5
    extraction_min_pages: int = 5
    # Who gets operator notices (comma-separated); empty: nobody.
    operator_emails: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.robots_on_error not in ("disallow", "allow"):
            raise SettingsError("NEWSWATCH_ROBOTS_ON_ERROR must be 'disallow' or 'allow'")
        for name in ("connect_timeout", "read_timeout", "total_deadline", "per_domain_delay"):
            if getattr(self, name) < 0:
                raise SettingsError(f"NEWSWATCH_{name.upper()} must not be negative")


def default_database_url() -> str:
    """The embedded default: a SQLite file under ``var/`` (absolute, as SQLite URLs must be)."""
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'newswatch.db'}"


def _coerce(raw: str, annotation: str, env_name: str) -> object:
    try:
        if annotation == "int":
            return int(raw)
        if annotation == "float":
            return float(raw)
        if annotation == "Path":
            return Path(raw).expanduser()
        if annotation == "Path | None":
            return Path(raw).expanduser() if raw.strip() else None
        if annotation.startswith("tuple"):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise SettingsError(f"{env_name}={raw!r}: {exc}") from None
    return raw


def load_settings(
    overrides: Mapping[str, str] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read ``NEWSWATCH_<FIELD>`` from the environment, then ``overrides`` (same keys) on top."""
    env = dict(os.environ if environ is None else environ)
    env.update(overrides or {})
    values: dict[str, object] = {
        "database_url": default_database_url(),
        "sources_file": PROJECT_ROOT / "config" / "sources.yaml",
        "topics_file": PROJECT_ROOT / "config" / "topics.yaml",
    }
    for f in fields(Settings):
        env_name = f"NEWSWATCH_{f.name.upper()}"
        if env_name in env:
            values[f.name] = _coerce(env[env_name], str(f.type), env_name)
    return Settings(**values)  # type: ignore[arg-type]
