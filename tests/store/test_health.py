"""Source health follows the source's run history on both databases, and a rerun changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.settings import load_settings
from newswatch.store.health import record_source_run
from newswatch.store.schema import source_runs, sources
from newswatch.store.values import utc
from sqlalchemy import Engine, func, select

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SETTINGS = load_settings(environ={})


def _health(engine: Engine) -> dict:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return dict(conn.execute(select(sources).where(sources.c.name == "s1")).mappings().one())


def _record(engine: Engine, run_id: str, summary: dict) -> None:  # type: ignore[type-arg]
    record_source_run(engine, SETTINGS, "s1", run_id, summary)


def test_source_health_follows_runs_and_is_idempotent(engine: Engine) -> None:
    failed = {"ok": False, "started_at": T0, "finished_at": T0, "errors": {"timeout": 3, "http_5xx": 1}}
    _record(engine, "r1", failed)
    _record(engine, "r1", failed)  # a retried task records the same run again
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(source_runs)).scalar_one() == 1
    health = _health(engine)
    assert health["consecutive_failures"] == 1 and health["last_error_kind"] == "timeout"
    later = T0 + timedelta(minutes=15)
    _record(
        engine,
        "r2",
        {
            **failed,
            "started_at": later,
            "finished_at": later,
            "error_kind": "dns",
            "error_message": "no such host",
        },
    )
    health = _health(engine)
    assert health["consecutive_failures"] == 2
    assert (health["last_error_kind"], health["last_error_message"]) == ("dns", "no such host")
    assert health["last_success_at"] is None
    done = T0 + timedelta(minutes=31)
    _record(
        engine,
        "r3",
        {
            "ok": True,
            "started_at": T0 + timedelta(minutes=30),
            "finished_at": done,
            "fetched": 5,
            "new": 2,
            "updated": 1,
        },
    )
    health = _health(engine)
    assert health["consecutive_failures"] == 0 and health["last_error_kind"] is None
    assert utc(health["last_success_at"]) == done
    assert utc(health["last_yield_at"]) == done


def test_the_stored_error_is_the_short_one_line_reason(engine: Engine) -> None:
    detail = (
        "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded " + "x" * 400 + "\nTraceback ..."
    )
    _record(
        engine,
        "r1",
        {
            "ok": False,
            "started_at": T0,
            "finished_at": T0,
            "error_kind": "connection",
            "error_message": detail,
        },
    )
    message = _health(engine)["last_error_message"]
    assert message.startswith("HTTPConnectionPool(host='127.0.0.1'") and "\n" not in message
    assert len(message) <= 160 and message.endswith("…")
