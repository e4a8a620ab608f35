"""One write transaction, retried when a concurrent writer won a unique-key race, on both databases."""

from __future__ import annotations

import pytest
from newswatch.store import transactions
from newswatch.store.schema import sources
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError


def test_a_lost_race_runs_the_work_again_and_commits_once(engine: Engine) -> None:
    tries = []

    def work(conn: Connection) -> int:
        tries.append(1)
        conn.execute(sources.insert().values(name=f"s{len(tries)}", enabled=True, consecutive_failures=0))
        if len(tries) == 1:  # the first try collides with a row another writer committed
            conn.execute(sources.insert().values(name="s1", enabled=True, consecutive_failures=0))
        return len(tries)

    assert transactions.write(engine, work, attempts=3) == 2
    with engine.connect() as conn:
        assert list(conn.execute(select(sources.c.name)).scalars()) == ["s2"]  # the failed try left nothing


def test_an_error_that_another_try_cannot_fix_is_raised_at_once(engine: Engine) -> None:
    tries = []

    def work(conn: Connection) -> None:
        tries.append(1)
        conn.exec_driver_sql("SELECT * FROM no_such_table")

    with pytest.raises((OperationalError, ProgrammingError)):  # SQLite / PostgreSQL
        transactions.write(engine, work, attempts=5)
    assert len(tries) == 1


def test_the_last_attempt_raises(engine: Engine) -> None:
    def work(conn: Connection) -> None:
        conn.execute(sources.insert().values(name="dup", enabled=True, consecutive_failures=0))
        conn.execute(sources.insert().values(name="dup", enabled=True, consecutive_failures=0))

    with pytest.raises(IntegrityError):
        transactions.write(engine, work, attempts=2)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sources)).scalar_one() == 0


def test_retryable_knows_races_from_bugs() -> None:
    assert transactions.retryable(IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert transactions.retryable(OperationalError("UPDATE", {}, Exception("database is locked")))
    assert transactions.retryable(OperationalError("UPDATE", {}, Exception("deadlock detected")))
    assert not transactions.retryable(OperationalError("SELECT", {}, Exception("no such table: x")))
