"""The analyst role (deploy/postgres-init) cannot write, even when it tries to switch its
read-only default off: the guard is the privileges, not ``default_transaction_read_only``.

Roles and a database of this test's own are created on the local server and dropped after.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import cycle
import pytest
from newswatch.store.engine import make_engine
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.postgres
INIT_SQL = Path(__file__).resolve().parents[2] / "deploy" / "postgres-init" / "01-newswatch.sql"
TABLES = ("articles", "article_versions", "article_aliases", "stories", "alerts", "topic_matches", "sources",
          "fetches", "pages", "url_state")
DENIED = r"permission denied|must be|read-only|not allowed"
ESCAPES = [
    "SET default_transaction_read_only = off",
    "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
]
ATTEMPTS = [
    "DROP VIEW v_article_latest",
    "ALTER TABLE articles ADD COLUMN pwned int",
    "CREATE TABLE pwned (x int)",
    "CREATE FUNCTION pwned() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "CREATE SCHEMA pwned",
    "SELECT nextval(pg_get_serial_sequence('articles', 'id'))",
    "SELECT pg_read_file('/etc/passwd')",
    "COPY articles TO '/tmp/newswatch-pwned.csv'",
]


def _writes(table: str, column: str) -> list[str]:
    """Every way to change a table's rows (names come from the schema, not from input)."""
    return [
        f"INSERT INTO {table} DEFAULT VALUES",
        f"UPDATE {table} SET {column} = {column}",  # noqa: S608
        f"DELETE FROM {table}",  # noqa: S608
        f"TRUNCATE {table}",
    ]


def _statements(owner: str, analyst: str) -> list[str]:
    script = INIT_SQL.read_text(encoding="utf-8").split("\\connect newswatch", 1)[1]
    script = re.sub(r"--[^\n]*", "", script)
    script = re.sub(r"\bnewswatch\b", owner, re.sub(r"\banalyst\b", analyst, script))
    return [s.strip() for s in script.split(";") if s.strip()]


@pytest.fixture
def roles(postgres_server: str) -> Iterator[tuple[str, str, str]]:
    suffix = uuid.uuid4().hex[:8]
    owner, analyst, db = f"nw_sec_owner_{suffix}", f"nw_sec_analyst_{suffix}", f"nw_sec_{suffix}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{analyst}" LOGIN'))
        conn.execute(text(f'CREATE DATABASE "{db}" OWNER "{owner}"'))
    base = make_url(postgres_server).set(database=db)
    setup = create_engine(base, isolation_level="AUTOCOMMIT")
    with setup.connect() as conn:
        for statement in _statements(owner, analyst):
            conn.execute(text(statement))
    setup.dispose()
    try:
        yield (base.set(username=owner).render_as_string(hide_password=False),
               base.set(username=analyst).render_as_string(hide_password=False), owner)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{analyst}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
        admin.dispose()


def test_analyst_cannot_write_even_after_turning_read_only_off(
    roles: tuple[str, str, str], tmp_path: Path, newsroom, topics_file: Path  # type: ignore[no-untyped-def]
) -> None:
    from newswatch.store.migrate import upgrade

    owner_url, analyst_url, owner = roles
    upgrade(owner_url)
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    cycle.ingest(cycle.settings_from(cycle.environment(owner_url, sources, topics_file)))
    before = cycle.snapshot(owner_url)
    assert before["counts"]["articles"] == 7

    owner_engine = make_engine(owner_url)
    columns = {t: inspect(owner_engine).get_columns(t)[0]["name"] for t in TABLES}
    owner_engine.dispose()
    attempts = [*(w for t in TABLES for w in _writes(t, columns[t])), *ATTEMPTS, f'SET ROLE "{owner}"']
    analyst = make_engine(analyst_url)
    refused = []
    try:
        for attempt in attempts:
            with analyst.connect() as conn:
                for escape in ESCAPES:
                    conn.execute(text(escape))
                conn.commit()  # the next transaction starts read-write: only privileges stand in the way
                assert conn.execute(text("SHOW transaction_read_only")).scalar_one() == "off"
                with pytest.raises(DBAPIError, match=DENIED) as caught:
                    conn.execute(text(attempt))
                refused.append(str(caught.value.orig).splitlines()[0])
        with analyst.connect() as conn:  # reading still works
            assert conn.execute(text("SELECT count(*) FROM v_article_latest")).scalar_one() == 7
    finally:
        analyst.dispose()
    assert len(refused) == len(attempts) == 4 * len(TABLES) + len(ATTEMPTS) + 1
    assert not [r for r in refused if "read-only" in r], [r for r in refused if "read-only" in r]
    assert cycle.snapshot(owner_url) == before
