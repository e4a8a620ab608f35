"""What each screen of the newswatch page shows, as plain dicts shaped from the store's read side.

Kept apart from the FastAPI wiring (and free of Airflow imports) so that every page's data is
built, and tested, on SQLite and PostgreSQL without a server. The rows come from
:mod:`newswatch.store.reads`; this module adds what the screen needs on top (highlighted evidence,
word diffs, source states, charts). Times are aware UTC datetimes.

Search uses the topic query language, so an analyst can try a topic's query on the page: the
store's full-text index narrows the newest articles to candidates that contain an *anchor* word
(one every match must contain), then the topic matcher decides and supplies the evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Engine

from newswatch.airflow.ui.render import Segment, bar_chart, highlight, word_diff_hunks
from newswatch.maintenance import source_problems
from newswatch.settings import Settings
from newswatch.sources.config import Source, load_sources
from newswatch.store.reads import alerts, articles, counts, sources, stories
from newswatch.topic_search import candidate_version_ids, matching
from newswatch.topics.config import file_vocabularies
from newswatch.topics.query import Query, QuerySyntaxError, parse_query

PASSAGES_SHOWN = 3  # matched passages a search hit shows before "show all"


def now_utc() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- articles and search


def _listed(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "body"}


def recent_articles(engine: Engine, settings: Settings, query: str = "", page: int = 0) -> dict[str, Any]:
    """The articles whose current version is newest, or those matching ``query`` (topic query
    language) with evidence.

    ``page`` counts from 0 in pages of ``ui_page_size``; ``has_more`` says whether another follows.
    """
    query, size, page = query.strip(), settings.ui_page_size, max(page, 0)
    result: dict[str, Any] = {"query": query, "error": None, "articles": [], "scanned": 0, "page": page,
                              "has_more": False}
    if not query:
        rows = articles.newest_articles(engine, offset=page * size, limit=size + 1)
        result["articles"], result["has_more"] = rows[:size], len(rows) > size
        return result
    try:
        parsed = parse_query(query, file_vocabularies(settings.topics_file))  # @name works here too
    except QuerySyntaxError as exc:
        result["error"] = {"message": exc.message, "position": exc.position}
        return result
    ids = candidate_version_ids(engine, parsed.root, settings)
    rows = articles.current_versions(engine, ids, limit=settings.search_candidates)
    result["scanned"] = len(rows)
    hits = list(islice(_matching(rows, parsed, settings), page * size, (page + 1) * size + 1))
    result["articles"], result["has_more"] = group_copies(hits[:size]), len(hits) > size
    return result


def _matching(
    rows: Iterable[Mapping[str, Any]], parsed: Query, settings: Settings
) -> Iterator[dict[str, Any]]:
    """Rows the topic matcher accepts, with their evidence highlighted, lazily (one page is taken).

    A hit shows its first ``PASSAGES_SHOWN`` passages; the rest are in ``more_evidence`` (behind
    "show all"), so three hits no longer fill the screen.
    """
    for row, found in matching(rows, parsed):
        item = _listed(row)
        item["score"] = found.score
        passages = [
            {"field": e.field, "segments": highlight(e.text, list(e.spans))}
            for e in found.evidence[: settings.alert_max_evidence]
        ]
        item["evidence"], item["more_evidence"] = passages[:PASSAGES_SHOWN], passages[PASSAGES_SHOWN:]
        yield item


def group_copies(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wire copies of one story under its first hit (``copies``), so they do not repeat its passages.

    Hits keep their order; a hit whose story already has a hit on the page is listed as a copy.
    """
    first: dict[Any, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for hit in hits:
        story = hit.get("story_id")
        if story is not None and story in first:
            first[story]["copies"].append(hit)
            continue
        hit["copies"] = []
        if story is not None:
            first[story] = hit
        out.append(hit)
    return out


def article_detail(engine: Engine, settings: Settings, article_id: int) -> dict[str, Any] | None:
    """An article with every version, newest first, each with a word diff to the one before."""
    history = articles.article_history(engine, article_id)
    if history is None:
        return None
    versions: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for version in history.versions:
        version["headline_diff"] = _headline_diff(previous, version)
        context = settings.diff_context_words
        version["body_diff"] = word_diff_hunks(previous["body"], version["body"], context) if previous else []
        versions.append(version)
        previous = version
    article = history.article
    article["versions"] = list(reversed(versions))
    number = {v["id"]: v["version_no"] for v in versions}
    article["matches"] = [
        {**m, "version_no": number.get(m["version_id"]), "evidence": _evidence(m.get("evidence"))}
        for m in history.matches
    ]
    return article


def _headline_diff(previous: dict[str, Any] | None, version: dict[str, Any]) -> list[Segment]:
    """The whole headline as one hunk (headlines are short: every word is context)."""
    old, new = (previous or {}).get("headline") or "", version["headline"] or ""
    if previous is None or old == new:
        return []
    hunks = word_diff_hunks(old, new, max(len(old.split()), len(new.split())))
    return hunks[0] if hunks else []


def _evidence(raw: Any) -> list[dict[str, Any]]:
    """Stored evidence JSON (``[{field, text, spans}]``) as highlighted segments; bad items skipped."""
    out = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            spans = [s for s in item.get("spans") or [] if isinstance(s, list | tuple) and len(s) == 2]
            out.append({"field": str(item.get("field") or ""), "segments": highlight(item["text"], spans)})
    return out


# ---------------------------------------------------------------- stories


def recent_stories(engine: Engine, settings: Settings) -> list[dict[str, Any]]:
    """Stories with the newest article versions, each with its outlets (one line per member).

    Found through the newest ``search_candidates`` versions, so the page costs the same on a
    million articles.
    """
    found = stories.recent_stories(engine, scan=settings.search_candidates, limit=settings.ui_page_size)
    out = []
    for story in found:
        members = earliest_first(story["members"])
        head = next((m["headline"] for m in members if m.get("headline")), None)
        outlets = list(dict.fromkeys(outlet_name(m) for m in members))
        out.append({**story, "members": members, "headline": head or story["headline"], "outlets": outlets})
    return out


def outlet_name(row: Mapping[str, Any]) -> str:
    """What readers know an outlet by: the configured source name, else its host."""
    return str(row.get("source_name") or row.get("outlet") or "unknown outlet")


def earliest_first(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies in the order they were published (first seen when undated): the original heads the
    story, as in the alert e-mails."""
    latest = datetime.max.replace(tzinfo=UTC)

    def when(m: Mapping[str, Any]) -> tuple[datetime, datetime, int]:
        return (m.get("published_at") or m.get("first_seen_at") or latest, m.get("first_seen_at") or latest,
                int(m.get("article_id") or 0))

    return sorted(members, key=when)


# ---------------------------------------------------------------- alerts


def recent_alerts(
    engine: Engine, settings: Settings, *, status: str | None = None, topic: str | None = None
) -> list[dict[str, Any]]:
    """Alerts in the outbox, newest first, with the evidence that made them fire; optional filters."""
    rows = alerts.recent_alerts(engine, status=status, topic=topic, limit=settings.ui_page_size)
    return [_alert_row(r) for r in rows]


def _alert_row(out: dict[str, Any]) -> dict[str, Any]:
    payload = out.pop("payload") or {}
    payload = payload if isinstance(payload, dict) else {}
    out["score"] = payload.get("score")
    out["evidence"] = _evidence(payload.get("evidence"))
    changes = payload.get("changes") if isinstance(payload.get("changes"), dict) else {}
    out["added"] = _evidence(changes.get("added"))  # UPDATED alerts: passages new in this version
    out["removed"] = _evidence(changes.get("removed"))
    out["articles"] = [i for i in payload.get("items") or [] if isinstance(i, dict)]  # one per outlet
    out["stories"] = [s for s in payload.get("stories") or [] if isinstance(s, dict)]  # digests
    recipients = out.get("recipients")
    out["recipients"] = [str(r) for r in recipients] if isinstance(recipients, list) else []
    return out


# ---------------------------------------------------------------- topics


def topic_activity(engine: Engine, settings: Settings, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every known topic with its hits per day over the last ``ui_chart_days`` days, as a chart.

    Days are bucketed in Python (UTC), so both databases give identical charts without a
    dialect-specific date function; the window bounds the rows read.
    """
    today = (now or now_utc()).astimezone(UTC).date()
    days = [today - timedelta(days=back) for back in range(settings.ui_chart_days - 1, -1, -1)]
    activity = alerts.topic_activity(engine, datetime.combine(days[0], datetime.min.time(), UTC))
    per_day: dict[str, Counter[str]] = {}
    for name, matched_at in activity.matched_at:
        per_day.setdefault(name, Counter())[matched_at.date().isoformat()] += 1
    names = sorted(set(activity.queries) | set(activity.total_matches))
    return [
        {
            "name": name,
            "query": activity.queries.get(name),
            "total_matches": activity.total_matches.get(name, 0),
            "alerts_sent": activity.alerts_sent.get(name, 0),
            "window_matches": sum(per_day.get(name, Counter()).values()),
            "days": [(d.isoformat(), per_day.get(name, Counter())[d.isoformat()]) for d in days],
        }
        for name in names
    ]


def with_charts(activity: list[dict[str, Any]], *, width: int, height: int) -> list[dict[str, Any]]:
    """Add ``chart`` (bar geometry) to each topic of :func:`topic_activity`."""
    return [{**topic, "chart": bar_chart(topic["days"], width=width, height=height)} for topic in activity]


# ---------------------------------------------------------------- source health


def source_health(
    engine: Engine, settings: Settings, now: datetime | None = None, configured: list[Source] | None = None
) -> list[dict[str, Any]]:
    """Sources with their health and recent runs, worst first.

    With the configured sources, each row also carries the problems the maintenance DAG mails to
    operators (stale, failing, extraction degraded), judged by the same code; without them, a
    source that yielded nothing for ``ui_quiet_after_hours`` is flagged "quiet".
    """
    current = now or now_utc()
    problems: dict[str, list[dict[str, str]]] = {}
    for problem in source_problems(engine, configured, settings, current) if configured else []:
        problems.setdefault(problem.source, []).append({"kind": problem.kind, "message": problem.message})
    judged = configured is not None
    rows = sources.sources_with_runs(engine, runs_per_source=settings.ui_source_runs_shown)
    known = {row["name"] for row in rows}
    rows += [_not_yet_run(s) for s in configured or [] if s.name not in known]
    out = [_source_row(row, problems.get(row["name"], []), current, settings, judged) for row in rows]
    return sorted(out, key=lambda s: (_STATE_ORDER[s["state"]], s["name"]))


def _not_yet_run(source: Source) -> dict[str, Any]:
    """A configured source the database has never seen: listed, so a new source shows at once."""
    return {"name": source.name, "enabled": source.enabled, "runs": [], "consecutive_failures": 0,
            "last_run_at": None, "last_success_at": None, "last_yield_at": None,
            "last_error_kind": None, "last_error_message": None}


def _run_row(out: dict[str, Any]) -> dict[str, Any]:
    out["yield"] = int(out["new"] or 0) + int(out["updated"] or 0)
    out["errors"] = out["errors"] if isinstance(out.get("errors"), dict) else {}
    out["extraction_gaps"] = out["extraction_gaps"] if isinstance(out.get("extraction_gaps"), dict) else {}
    return out


def _source_row(out: dict[str, Any], problems: list[dict[str, str]], now: datetime, settings: Settings,
                judged: bool) -> dict[str, Any]:
    out.pop("config", None)
    out["runs"] = runs = [_run_row(r) for r in out["runs"]]
    out["problems"] = problems
    out["recent_yield"] = sum(r["yield"] for r in runs)
    out["recent_failed_fetches"] = sum(int(r["failed"] or 0) for r in runs)
    out["state"] = _state(out, {p["kind"] for p in problems}, now, settings, judged)
    return out


# Worst first: what an operator must act on leads the page.
_STATE_ORDER = {"failing": 0, "extraction degraded": 1, "stale": 2, "quiet": 3, "not yet run": 4, "ok": 5,
                "disabled": 6}


def _state(source: dict[str, Any], kinds: set[str], now: datetime, settings: Settings, judged: bool) -> str:
    """One word an operator can scan; see ``_STATE_ORDER``."""
    if not source.get("enabled", True):
        return "disabled"
    if int(source.get("consecutive_failures") or 0) > 0 or "failing" in kinds:
        return "failing"
    if "extraction" in kinds:
        return "extraction degraded"
    if "stale" in kinds:
        return "stale"
    if source.get("last_run_at") is None:
        return "not yet run"
    last_yield = source.get("last_yield_at")
    quiet = last_yield is None or now - last_yield > timedelta(hours=settings.ui_quiet_after_hours)
    return "quiet" if quiet and not judged else "ok"


def configured_sources(settings: Settings) -> tuple[list[Source] | None, list[str]]:
    """The sources file as the pipeline reads it; (None, [why]) when it cannot be read here."""
    try:
        loaded = load_sources(settings.sources_file)
    except (OSError, ValueError) as exc:
        return None, [f"{settings.sources_file}: {type(exc).__name__}"]
    return loaded.sources, loaded.errors


def overview(engine: Engine, settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """Counts for the page header: articles new or changed in the last ``ui_recent_hours`` and
    their stories, alerts by status, failing sources."""
    since = (now or now_utc()) - timedelta(hours=settings.ui_recent_hours)
    return {**counts.recent_counts(engine, since), "alerts": alerts.alert_counts(engine),
            "recent_hours": settings.ui_recent_hours}
