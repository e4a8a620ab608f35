"""Engine creation with the per-dialect settings the pipeline relies on.

Parallel task instances write one SQLite file at once: WAL mode and a busy timeout turn
"database is locked" into a short wait. PostgreSQL gets a pre-ping so a restarted server
is noticed instead of failing the first query after it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Alembic's batch mode rebuilds a table by create-copy-drop-rename; without the legacy rename,
    # SQLite >= 3.26 refuses that rename while a view (sql/views) names the dropped table.
    cursor.execute("PRAGMA legacy_alter_table=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; for SQLite, create the file's folder and set WAL mode."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
