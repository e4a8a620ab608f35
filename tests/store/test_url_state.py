"""The URL-state memory's failure count and revisit schedule, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.models import FetchResult
from newswatch.revisit.plan import due_order
from newswatch.store.schema import article_versions, articles
from newswatch.store.url_state import GONE, RevisitPlan, UrlStateStore
from seed import watch
from sqlalchemy import Engine

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _watch(engine: Engine, article_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            articles.insert().values(
                id=article_id,
                canonical_url=f"https://n.test/{article_id}",
                outlet="n.test",
                first_seen_at=T0,
                last_seen_at=T0,
                version_count=1,
            )
        )
        version_id = conn.execute(
            article_versions.insert()
            .values(article_id=article_id, version_no=1, content_hash="h", body="b", fetched_at=T0)
            .returning(article_versions.c.id)
        ).scalar_one()
    watch(engine, version_id, article_id, T0)


def _plan(store: UrlStateStore, url: str, source: str, plan: RevisitPlan) -> None:
    """A revisit recorded the way the pipeline records one (a 304 that changed nothing)."""
    result = FetchResult(url=url, final_url=url, status=304, ok=True, not_modified=True)
    store.record_visit(result, source, listing_marker=None, revisit=plan)


def test_failures_count_up_until_a_good_fetch(engine: Engine) -> None:
    store = UrlStateStore(engine)
    url = "https://n.test/a"
    assert [store.note_failure(url, "s", "http_5xx") for _ in range(3)] == [1, 2, 3]
    assert store.get(url).last_error_kind == "http_5xx"  # type: ignore[union-attr]
    store.record_fetch_result(FetchResult(url=url, final_url=url, status=200, ok=True, body=b"x"), "s")
    assert store.get(url).failed_attempts == 0  # type: ignore[union-attr]
    assert store.note_failure(url, "s", "extraction_empty") == 1


def test_due_revisits_come_watched_first_then_most_overdue_and_respect_the_limit(engine: Engine) -> None:
    store = UrlStateStore(engine)
    plans = {  # url: (article id, due at)
        "https://n.test/late": (1, T0 - timedelta(hours=2)),
        "https://n.test/early": (2, T0 - timedelta(minutes=5)),
        "https://n.test/watched": (3, T0 - timedelta(minutes=1)),
        "https://n.test/future": (4, T0 + timedelta(hours=1)),
        "https://n.test/other-source": (5, T0 - timedelta(hours=9)),
    }
    for url, (article_id, due_at) in plans.items():
        source = "other" if "other" in url else "s"
        _plan(store, url, source, RevisitPlan(article_id, T0 - timedelta(hours=3), due_at, False))
    _watch(engine, 3)
    due = store.due_revisits("s", T0, limit=10)
    assert [d.url.rsplit("/", 1)[1] for d in due] == ["watched", "late", "early"]
    assert due == sorted(due, key=due_order)  # the SQL order is the planner's order
    assert due[0].watched and not due[1].watched
    assert [d.url for d in store.due_revisits("s", T0, limit=1)] == ["https://n.test/watched"]
    store.end_revisits("https://n.test/late", "s", state=GONE, checked_at=T0)
    assert [d.url.rsplit("/", 1)[1] for d in store.due_revisits("s", T0, limit=10)] == ["watched", "early"]
    assert store.get("https://n.test/late").revisit_state == GONE  # type: ignore[union-attr]


def test_a_change_is_remembered_and_first_sight_sets_the_age(engine: Engine) -> None:
    store = UrlStateStore(engine)
    url = "https://n.test/a"
    _plan(store, url, "s", RevisitPlan(1, T0, T0, True, first_seen_at=T0))
    later = T0 + timedelta(hours=5)
    _plan(store, url, "s", RevisitPlan(1, later, later + timedelta(hours=1), False))
    state = store.get(url)
    assert state is not None
    assert (state.first_seen_at, state.last_changed_at, state.last_checked_at) == (T0, T0, later)
    assert state.next_check_at == later + timedelta(hours=1)


def test_one_write_records_a_visit_its_listing_marker_and_its_revisit_plan(engine: Engine) -> None:
    store = UrlStateStore(engine)
    url = "https://n.test/v"
    result = FetchResult(url=url, final_url=url, status=200, ok=True, body=b"x", etag='"e"', body_hash="h")
    store.record_visit(
        result, "s", listing_marker="guid:1", revisit=RevisitPlan(9, T0, T0, True, first_seen_at=T0)
    )
    state = store.get(url)
    assert state is not None
    assert (state.etag, state.body_hash, state.listing_marker, state.article_id) == ('"e"', "h", "guid:1", 9)
    assert (state.next_check_at, state.last_changed_at, state.revisit_state) == (T0, T0, "active")
    store.record_visit(result, "s", listing_marker=None, revisit=RevisitPlan(9, T0, None, False))  # a revisit
    state = store.get(url)
    assert state is not None and state.listing_marker == "guid:1" and state.next_check_at is None
