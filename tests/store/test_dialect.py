"""The SQL that differs between the databases, run on both: idempotent inserts, upserts, write locks."""

from __future__ import annotations

from newswatch.store import dialect
from newswatch.store.schema import sources
from sqlalchemy import Engine, select


def _sources(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(sources.c.name, sources.c.consecutive_failures).order_by(sources.c.name)
            )
        ]


def test_insert_ignore_keeps_the_first_row(engine: Engine) -> None:
    with engine.begin() as conn:
        for failures in (1, 2):
            row = {"name": "a", "enabled": True, "consecutive_failures": failures}
            conn.execute(dialect.insert_ignore(conn, sources, row, ["name"]))
        dialect.insert_ignore_many(
            conn,
            sources,
            [{"name": n, "enabled": True, "consecutive_failures": 7} for n in ("a", "b", "b")],
            ["name"],
        )
        dialect.insert_ignore_many(conn, sources, [], ["name"])  # nothing to insert is no statement
    assert _sources(engine) == [("a", 1), ("b", 7)]


def test_upsert_inserts_then_updates_only_the_named_columns(engine: Engine) -> None:
    with engine.begin() as conn:
        for enabled, failures in ((True, 1), (False, 5)):
            row = {"name": "a", "enabled": enabled, "consecutive_failures": failures}
            conn.execute(dialect.upsert(conn, sources, row, ["name"], ["consecutive_failures"]))
    with engine.connect() as conn:
        enabled, failures = conn.execute(select(sources.c.enabled, sources.c.consecutive_failures)).one()
    assert (enabled, failures) == (True, 5)


def test_write_transactions_and_band_locks_run_on_both(engine: Engine) -> None:
    with engine.connect() as conn:
        dialect.begin_write(conn)
        dialect.lock_bands(conn, ["k2", "k1", "k2"])
        dialect.lock_bands(conn, [])
        conn.execute(
            dialect.insert_ignore(
                conn, sources, {"name": "x", "enabled": True, "consecutive_failures": 0}, ["name"]
            )
        )
        conn.commit()
    assert _sources(engine) == [("x", 0)]
