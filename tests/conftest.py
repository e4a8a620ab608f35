"""Shared fixtures: real databases (SQLite and PostgreSQL), with Airflow kept in a private home.

The Airflow environment is set here, before anything can import airflow, so tests never touch a
developer's ~/airflow and never load Airflow's example DAGs.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]

_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="newswatch-airflow-test-"))
os.environ.setdefault("AIRFLOW_HOME", str(_AIRFLOW_HOME))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(PROJECT_ROOT / "dags"))
os.environ.setdefault("AIRFLOW__CORE__PLUGINS_FOLDER", str(PROJECT_ROOT / "plugins"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{_AIRFLOW_HOME / 'airflow.db'}")
os.environ.setdefault("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")

POSTGRES_ADMIN_URL = os.environ.get(
    "NEWSWATCH_TEST_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)


def _postgres_available() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of the real PostgreSQL server; the suite fails loudly if it is missing."""
    if not _postgres_available():
        if os.environ.get("NEWSWATCH_ALLOW_NO_POSTGRES") == "1":
            pytest.skip("PostgreSQL not reachable and NEWSWATCH_ALLOW_NO_POSTGRES=1")
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}; start it (see README)")
    return POSTGRES_ADMIN_URL


def create_postgres_database(admin_url: str) -> tuple[str, str]:
    """Create a throw-away database; return (its URL, its name)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"newswatch_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return url, name


def drop_postgres_database(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'newswatch.db'}"
        return
    admin_url = request.getfixturevalue("postgres_server")
    url, name = create_postgres_database(admin_url)
    try:
        yield url
    finally:
        drop_postgres_database(admin_url, name)


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """A fresh database on each dialect, migrated to the newest schema."""
    from newswatch.store.migrate import upgrade

    upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    from newswatch.store.engine import make_engine

    eng = make_engine(db_url)
    yield eng
    eng.dispose()
