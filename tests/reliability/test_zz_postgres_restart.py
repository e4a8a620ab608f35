"""PostgreSQL stopped in the middle of an ingest run and started again (issue 8).

It stops the shared local cluster, so it disturbs every other test using that server: it runs
only when asked (``NEWSWATCH_RELIABILITY_PG_RESTART=1``), alone, and last (file name), and always
starts the cluster again. The everyday variant, which cuts only this test's own connections,
is ``test_faults.py::test_postgres_connections_killed_mid_ingest_then_retry_converges``.

Run: ``NEWSWATCH_RELIABILITY_PG_RESTART=1 .venv/bin/pytest tests/reliability/test_zz_postgres_restart.py``
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cycle
import pytest
from sqlalchemy import create_engine, text

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("NEWSWATCH_RELIABILITY_PG_RESTART") != "1",
                       reason="stops the shared PostgreSQL cluster; set NEWSWATCH_RELIABILITY_PG_RESTART=1"),
]
CLUSTER = os.environ.get("NEWSWATCH_PG_CLUSTER", "15 main").split()
WORKER = Path(__file__).resolve().parent / "worker.py"


def pg_ctl(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, action, *(
        ["-m", "fast"] if action == "stop" else [])], check=True, timeout=120)


def reachable(url: str) -> bool:
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture
def slow_newsroom() -> Iterator[cycle.SlowNewsroom]:
    room = cycle.SlowNewsroom(delay=0.0)
    yield room
    room.close()


def test_postgres_stopped_mid_ingest_then_started_converges(
    db_url: str, tmp_path: Path, topics_file: Path, slow_newsroom: cycle.SlowNewsroom
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("stops the PostgreSQL server")
    sources = cycle.write_sources(tmp_path / "sources.yaml", slow_newsroom.base_urls)
    with cycle.sibling_database(db_url) as reference_url:
        cycle.ingest(cycle.settings_from(cycle.environment(reference_url, sources, topics_file)))
        expected = cycle.snapshot(reference_url)

    env = cycle.environment(db_url, sources, topics_file)
    slow_newsroom.delay = 0.3
    proc = subprocess.Popen([sys.executable, str(WORKER), "ingest"], env={**os.environ, **env}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert cycle.wait_for(lambda: cycle.article_count(db_url) >= 2, 60)
        pg_ctl("stop")
        time.sleep(2)
    finally:
        pg_ctl("start")
        assert cycle.wait_for(lambda: reachable(db_url), 60)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode != 0, "the task must fail while its database is down"
    assert "password" not in err.lower()
    slow_newsroom.delay = 0.0
    cycle.ingest(cycle.settings_from(env))  # the task retry
    got = cycle.snapshot(db_url)
    urls = [v[0] for v in got["versions"]]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    assert set(got["versions"]) <= set(expected["versions"])
    assert cycle.unaccounted_fetches(db_url) == []
