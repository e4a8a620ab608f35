"""Read-only queries behind the newswatch page in the Airflow UI; each returns plain dicts.

Kept apart from the FastAPI/Airflow wiring so that every query runs, and is tested, on SQLite and
PostgreSQL without Airflow. Nothing here writes. Times come back as aware UTC datetimes.

Search uses the topic query language, so an analyst can try a topic's query on the page: the
store's full-text index narrows the newest articles to candidates that contain an *anchor* word
(one every match must contain), then the topic matcher decides and supplies the evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, func, select, union_all

from newswatch.maintenance import source_problems
from newswatch.search import candidate_version_ids, matching
from newswatch.settings import Settings
from newswatch.sources.config import Source, load_sources
from newswatch.store.repository import aware, utc
from newswatch.store.schema import (
    alerts,
    article_versions,
    articles,
    source_runs,
    sources,
    stories,
    topic_matches,
    topics,
)
from newswatch.topics.query import QuerySyntaxError, parse_query
from newswatch.ui_render import bar_chart, highlight, word_diff_hunks

# Columns shown for an article in lists: identity plus its latest version's headline and dates.
_ARTICLE_COLUMNS = (
    articles.c.id.label("article_id"),
    articles.c.canonical_url,
    articles.c.url,
    articles.c.outlet,
    articles.c.source_name,
    articles.c.story_id,
    articles.c.version_count,
    articles.c.first_seen_at,
    articles.c.last_seen_at,
    article_versions.c.id.label("version_id"),
    article_versions.c.headline,
    article_versions.c.language,
    article_versions.c.published_at,
    article_versions.c.updated_at,
    article_versions.c.fetched_at,
)
# SQLite allows at most 500 terms in one compound SELECT; stay well below it.
_RUNS_LEGS_PER_QUERY = 100
_LATEST = articles.join(article_versions, article_versions.c.id == articles.c.latest_version_id)


def now_utc() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- articles and search


def _article_row(row: Any) -> dict[str, Any]:
    out = aware(row)
    out.pop("body", None)
    return out


def recent_articles(engine: Engine, settings: Settings, query: str = "", page: int = 0) -> dict[str, Any]:
    """The articles whose current version is newest, or those matching ``query`` (topic query
    language) with evidence. Ordered by the indexed version ``fetched_at``: ``articles.last_seen_at``
    is deliberately unindexed (re-seeing an unchanged article must stay a cheap update).

    ``page`` counts from 0 in pages of ``ui_page_size``; ``has_more`` says whether another follows.
    """
    query, size, page = query.strip(), settings.ui_page_size, max(page, 0)
    result: dict[str, Any] = {"query": query, "error": None, "articles": [], "scanned": 0, "page": page,
                              "has_more": False}
    if not query:
        stmt = select(*_ARTICLE_COLUMNS).select_from(_LATEST)
        stmt = stmt.order_by(article_versions.c.fetched_at.desc(), article_versions.c.id.desc())
        stmt = stmt.offset(page * size).limit(size + 1)
        with engine.connect() as conn:
            rows = [_article_row(r) for r in conn.execute(stmt).mappings()]
        result["articles"], result["has_more"] = rows[:size], len(rows) > size
        return result
    try:
        parsed = parse_query(query)
    except QuerySyntaxError as exc:
        result["error"] = {"message": exc.message, "position": exc.position}
        return result
    ids = candidate_version_ids(engine, parsed.root, settings)
    stmt = select(*_ARTICLE_COLUMNS, article_versions.c.body).select_from(_LATEST)
    if ids is not None:
        stmt = stmt.where(article_versions.c.id.in_(ids)) if ids else stmt.where(False)
    stmt = stmt.order_by(article_versions.c.fetched_at.desc(), article_versions.c.id.desc())
    stmt = stmt.limit(settings.search_candidates)
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    result["scanned"] = len(rows)
    hits = list(islice(_matching(rows, parsed, settings), page * size, (page + 1) * size + 1))
    result["articles"], result["has_more"] = hits[:size], len(hits) > size
    return result


def _matching(rows: Iterable[Any], parsed: Any, settings: Settings) -> Iterator[dict[str, Any]]:
    """Rows the topic matcher accepts, with their evidence highlighted, lazily (one page is taken)."""
    for row, found in matching(rows, parsed):
        item = _article_row(row)
        item["score"] = found.score
        item["evidence"] = [
            {"field": e.field, "segments": highlight(e.text, list(e.spans))}
            for e in found.evidence[: settings.alert_max_evidence]
        ]
        yield item


def article_detail(engine: Engine, settings: Settings, article_id: int) -> dict[str, Any] | None:
    """An article with every version, newest first, each with a word diff to the one before."""
    with engine.connect() as conn:
        head = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        if head is None:
            return None
        rows = conn.execute(
            select(article_versions)
            .where(article_versions.c.article_id == article_id)
            .order_by(article_versions.c.version_no)
        ).mappings().all()
        matches = conn.execute(
            select(topic_matches.c.topic_name, topic_matches.c.version_id, topic_matches.c.score,
                   topic_matches.c.evidence, topic_matches.c.matched_at)
            .where(topic_matches.c.article_id == article_id)
            .order_by(topic_matches.c.matched_at.desc())
        ).mappings().all()
    versions: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for row in rows:
        version = aware(row)
        version["headline_diff"] = _headline_diff(previous, version)
        context = settings.diff_context_words
        version["body_diff"] = word_diff_hunks(previous["body"], version["body"], context) if previous else []
        versions.append(version)
        previous = version
    article = aware(head)
    article["versions"] = list(reversed(versions))
    article["matches"] = [_match_row(m) for m in matches]
    return article


def _headline_diff(previous: dict[str, Any] | None, version: dict[str, Any]) -> list:
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


def _match_row(row: Any) -> dict[str, Any]:
    out = aware(row)
    out["evidence"] = _evidence(out.get("evidence"))
    return out


# ---------------------------------------------------------------- stories


def recent_stories(engine: Engine, settings: Settings) -> list[dict[str, Any]]:
    """Stories with the newest article versions, each with its outlets (one line per member).

    Found through the newest ``search_candidates`` versions (the indexed ``fetched_at``), not
    by sorting every story, so the page costs the same on a million articles.
    """
    with engine.connect() as conn:
        newest = (
            select(articles.c.story_id, article_versions.c.fetched_at)
            .select_from(article_versions.join(articles, articles.c.id == article_versions.c.article_id))
            .where(articles.c.story_id.is_not(None))
            .order_by(article_versions.c.fetched_at.desc())
            .limit(settings.search_candidates)
        )
        ids: list[int] = []
        for story_id, _ in conn.execute(newest):
            if story_id not in ids:
                ids.append(story_id)
        ids = ids[: settings.ui_page_size]
        heads = {h["id"]: h for h in conn.execute(
            select(stories.c.id, stories.c.headline, stories.c.first_seen_at, stories.c.last_seen_at,
                   stories.c.article_count).where(stories.c.id.in_(ids))
        ).mappings()} if ids else {}
        members = conn.execute(
            select(*_ARTICLE_COLUMNS).select_from(_LATEST).where(articles.c.story_id.in_(ids))
            .order_by(articles.c.first_seen_at, articles.c.id)
        ).mappings().all() if ids else []
    by_story: dict[int, list[dict[str, Any]]] = {}
    for member in members:
        by_story.setdefault(member["story_id"], []).append(_article_row(member))
    return [
        {**aware(heads[i]), "members": by_story.get(i, []),
         "outlets": sorted({m["outlet"] for m in by_story.get(i, [])})}
        for i in ids if i in heads
    ]


# ---------------------------------------------------------------- alerts


def recent_alerts(
    engine: Engine, settings: Settings, *, status: str | None = None, topic: str | None = None
) -> list[dict[str, Any]]:
    """Alerts in the outbox, newest first, with the evidence that made them fire; optional filters."""
    stmt = select(alerts.c.id, alerts.c.topic_name, alerts.c.kind, alerts.c.status, alerts.c.subject,
                  alerts.c.recipients, alerts.c.attempts, alerts.c.created_at, alerts.c.sent_at,
                  alerts.c.last_error, alerts.c.story_id, alerts.c.payload)
    if status:
        stmt = stmt.where(alerts.c.status == status)
    if topic:
        stmt = stmt.where(alerts.c.topic_name == topic)
    stmt = stmt.order_by(alerts.c.created_at.desc(), alerts.c.id.desc()).limit(settings.ui_page_size)
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return [_alert_row(r) for r in rows]


def _alert_row(row: Any) -> dict[str, Any]:
    out = aware(row)
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
    since = datetime.combine(days[0], datetime.min.time(), UTC)
    with engine.connect() as conn:
        known = conn.execute(select(topics.c.name, topics.c.query).order_by(topics.c.name)).all()
        hits = conn.execute(
            select(topic_matches.c.topic_name, topic_matches.c.matched_at)
            .where(topic_matches.c.matched_at >= since)
        ).all()
        totals = dict(conn.execute(
            select(topic_matches.c.topic_name, func.count()).group_by(topic_matches.c.topic_name)
        ).all())
        sent = dict(conn.execute(
            select(alerts.c.topic_name, func.count())
            .where(alerts.c.status == "sent")
            .group_by(alerts.c.topic_name)
        ).all())
    per_day: dict[str, Counter[str]] = {}
    for name, matched_at in hits:
        per_day.setdefault(name, Counter())[utc(matched_at).date().isoformat()] += 1
    queries = {name: query for name, query in known}
    names = sorted(set(queries) | set(totals))
    return [
        {
            "name": name,
            "query": queries.get(name),
            "total_matches": int(totals.get(name, 0)),
            "alerts_sent": int(sent.get(name, 0)),
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
    with engine.connect() as conn:
        rows = conn.execute(select(sources).order_by(sources.c.name)).mappings().all()
        runs = _recent_runs(conn, [r["name"] for r in rows], settings.ui_source_runs_shown)
    recent: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        recent.setdefault(run["source_name"], []).append(_run_row(run))
    judged = configured is not None
    out = [
        _source_row(row, recent.get(row["name"], []), problems.get(row["name"], []), current, settings,
                    judged)
        for row in rows
    ]
    return sorted(out, key=lambda s: (_STATE_ORDER[s["state"]], s["name"]))


def _recent_runs(conn: Connection, names: list[str], per_source: int) -> list[Any]:
    """The newest ``per_source`` runs of each source, newest first.

    One LIMIT-ed leg per source, UNION ALL-ed in chunks: each leg walks the (source, started_at)
    index backwards, so months of 15-minute runs are never read (a window function over all runs
    grew with the history).
    """
    rows: list[Any] = []
    for at in range(0, len(names), _RUNS_LEGS_PER_QUERY):
        legs = [
            select(source_runs)
            .where(source_runs.c.source_name == name)
            .order_by(source_runs.c.started_at.desc())
            .limit(per_source)
            .subquery()
            for name in names[at : at + _RUNS_LEGS_PER_QUERY]
        ]
        rows.extend(conn.execute(union_all(*[select(leg) for leg in legs])).mappings().all())
    return sorted(rows, key=lambda r: (r["source_name"], utc(r["started_at"]), r["id"]), reverse=True)


def _run_row(run: Any) -> dict[str, Any]:
    out = aware(run)
    out["yield"] = int(out["new"] or 0) + int(out["updated"] or 0)
    out["errors"] = out["errors"] if isinstance(out.get("errors"), dict) else {}
    out["extraction_gaps"] = out["extraction_gaps"] if isinstance(out.get("extraction_gaps"), dict) else {}
    return out


def _source_row(row: Any, runs: list[dict[str, Any]], problems: list[dict[str, str]], now: datetime,
                settings: Settings, judged: bool) -> dict[str, Any]:
    out = aware(row)
    out.pop("config", None)
    out["runs"] = runs
    out["problems"] = problems
    out["recent_yield"] = sum(r["yield"] for r in runs)
    out["recent_failed_fetches"] = sum(int(r["failed"] or 0) for r in runs)
    out["state"] = _state(out, {p["kind"] for p in problems}, now, settings, judged)
    return out


# Worst first: what an operator must act on leads the page.
_STATE_ORDER = {"failing": 0, "extraction degraded": 1, "stale": 2, "quiet": 3, "never run": 4, "ok": 5,
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
        return "never run"
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
    their stories, alerts by status, failing sources. Index ranges (version ``fetched_at``) and
    small tables only, never a full count."""
    since = (now or now_utc()) - timedelta(hours=settings.ui_recent_hours)
    recent = article_versions.c.fetched_at >= since
    versions_to_articles = article_versions.join(articles, articles.c.id == article_versions.c.article_id)
    with engine.connect() as conn:
        count = {
            "articles": conn.execute(
                select(func.count(func.distinct(article_versions.c.article_id))).where(recent)
            ).scalar_one(),
            "stories": conn.execute(
                select(func.count(func.distinct(articles.c.story_id))).select_from(versions_to_articles)
                .where(recent)
            ).scalar_one(),
            "failing_sources": conn.execute(
                select(func.count()).select_from(sources).where(sources.c.consecutive_failures > 0)
            ).scalar_one(),
        }
        by_status = dict(conn.execute(select(alerts.c.status, func.count()).group_by(alerts.c.status)).all())
    return {**{k: int(v) for k, v in count.items()}, "alerts": {str(k): int(v) for k, v in by_status.items()},
            "recent_hours": settings.ui_recent_hours}
