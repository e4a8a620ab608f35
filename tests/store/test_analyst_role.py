"""The read-only analyst role of deploy/postgres-init can read every view and table, write nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from newswatch.models import Article
from newswatch.store.engine import make_engine
from newswatch.store.fulltext import parse_query
from newswatch.store.migrate import upgrade
from newswatch.store.reads.hits import search
from seed import Seeder
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.postgres
INIT_SQL = Path(__file__).resolve().parents[2] / "deploy" / "postgres-init" / "01-newswatch.sql"
VIEWS = (
    "v_article_latest",
    "v_version_history",
    "v_story_members",
    "v_stories",
    "v_topic_hits_daily",
    "v_source_health",
)


def database_statements(owner: str, analyst: str) -> list[str]:
    """The statements the init script runs inside the article database, with test role names."""
    script = INIT_SQL.read_text(encoding="utf-8").split("\\connect newswatch", 1)[1]
    script = re.sub(r"--[^\n]*", "", script)
    script = re.sub(r"\bnewswatch\b", owner, re.sub(r"\banalyst\b", analyst, script))
    return [s.strip() for s in script.split(";") if s.strip()]


@pytest.fixture
def urls(postgres_server: str) -> Iterator[tuple[str, str]]:
    suffix = uuid.uuid4().hex[:8]
    owner, analyst, db = f"nw_owner_{suffix}", f"nw_analyst_{suffix}", f"nw_roles_{suffix}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{analyst}" LOGIN'))
        conn.execute(text(f'CREATE DATABASE "{db}" OWNER "{owner}"'))
    base = make_url(postgres_server).set(database=db)
    as_admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with as_admin.connect() as conn:
        for statement in database_statements(owner, analyst):
            conn.execute(text(statement))
    as_admin.dispose()
    try:
        yield (
            base.set(username=owner).render_as_string(hide_password=False),
            base.set(username=analyst).render_as_string(hide_password=False),
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{analyst}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
        admin.dispose()


def test_analyst_reads_views_and_search_but_cannot_write(urls: tuple[str, str]) -> None:
    owner_url, analyst_url = urls
    upgrade(owner_url)
    owner = make_engine(owner_url)
    Seeder(owner).store_article(
        Article(headline="Kim inspects drones", body="Kim Jong Un inspected drones.", language="en"),
        url="https://one.test/kim",
        final_url=None,
        source_name="s",
        fetched_at=datetime.now(UTC),
        page_id=None,
    )
    owner.dispose()
    analyst = make_engine(analyst_url)
    try:
        with analyst.connect() as conn:
            for view in VIEWS:
                conn.execute(text(f"SELECT * FROM {view} LIMIT 5")).all()  # noqa: S608 - fixed names
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == 1
        assert [h.outlet for h in search(analyst, parse_query("drone"), limit=20)] == ["one.test"]
        with pytest.raises(DBAPIError, match=r"read-only|permission denied"), analyst.connect() as conn:
            conn.execute(text("UPDATE articles SET outlet = 'x'"))
        with pytest.raises(DBAPIError, match=r"read-only|permission denied"), analyst.connect() as conn:
            conn.execute(text("CREATE TABLE mine (x int)"))
    finally:
        analyst.dispose()
