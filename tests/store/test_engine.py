"""Engines as the pipeline needs them: SQLite in WAL mode with a busy timeout, its folder created."""

from __future__ import annotations

from pathlib import Path

from newswatch.store.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine


def test_a_sqlite_file_gets_its_folder_wal_mode_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "news.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
    finally:
        engine.dispose()
    assert path.exists()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": SQLITE_BUSY_TIMEOUT_MS, "foreign_keys": 1}
