"""The app's wiring in-process: pages render, errors are pages, the core never imports Airflow.

Authentication is tested against a real Airflow api-server in test_auth.py; here a stand-in
dependency lets the request through so the rest of the wiring can be exercised quickly.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import ui_seed
from fastapi.testclient import TestClient
from newswatch.airflow.ui.app import create_app
from newswatch.airflow.ui.auth import NotAuthenticated
from newswatch.settings import load_settings
from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade


def _allow() -> None:
    return None


def _refuse() -> None:
    raise NotAuthenticated("test")


@pytest.fixture
def client(tmp_path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'news.db'}"
    upgrade(url)
    engine = make_engine(url)
    ui_seed.seed(engine)
    engine.dispose()
    app = create_app(lambda: load_settings({"NEWSWATCH_DATABASE_URL": url}), authenticate=_allow)
    return TestClient(app)


def test_every_page_renders(client: TestClient) -> None:
    for path in ["/", "/?q=kim", "/articles/1", "/stories", "/alerts", "/alerts?status=failed", "/topics",
                 "/sources"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert "<script" not in response.text


def test_filters_and_links(client: TestClient) -> None:
    failed = client.get("/alerts", params={"status": "failed"}).text
    assert "SMTP 550 mailbox unavailable" in failed and "Why it fired" not in failed
    assert ">sent (1)</a>" in failed and ">failed (1)</a>" in failed and ">pending (0)</a>" in failed
    topics = client.get("/topics").text
    assert "search the archive with this query" in topics and "/alerts?topic=" in topics


def test_bad_input_is_refused_without_error_pages(client: TestClient) -> None:
    assert client.get("/", params={"q": "x" * 5000}).status_code == 422
    assert client.get("/", params={"page": -1}).status_code == 422
    assert client.get("/articles/abc").status_code == 422
    missing = client.get("/articles/424242")
    assert missing.status_code == 404 and "There is no article 424242" in missing.text


def test_unreadable_database_is_a_503_page_without_its_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'never-migrated.db'}"
    app = create_app(lambda: load_settings({"NEWSWATCH_DATABASE_URL": url}), authenticate=_allow)
    response = TestClient(app).get("/sources")
    assert response.status_code == 503
    assert "cannot be read" in response.text and "OperationalError" in response.text
    assert "never-migrated" not in response.text


def test_refusal_runs_before_anything_else(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Even invalid parameters and the database are never reached by a refused caller."""
    app = create_app(lambda: pytest.fail("settings loaded for a refused caller"), authenticate=_refuse)
    client = TestClient(app)
    for path in ["/", "/articles/abc", "/?page=-5", "/sources"]:
        response = client.get(path)
        assert response.status_code == 401, path


def test_core_queries_do_not_import_airflow_or_fastapi() -> None:
    code = ("import sys, newswatch.airflow.ui.pages, newswatch.airflow.ui.render; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('airflow', 'fastapi', 'starlette')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_web_urls_become_links(client: TestClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newswatch.airflow.ui.app import web_url

    assert web_url("https://x.example/a") == "https://x.example/a"
    for bad in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example", None]:
        assert web_url(bad) == ""
    page = client.get("/articles/1").text
    assert 'href="https://wire.example/world/kim-russia"' in page


def test_forbidden_user_gets_403_without_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newswatch.airflow.ui.auth import NotAuthorized

    def forbid() -> None:
        raise NotAuthorized("website")

    app = create_app(lambda: pytest.fail("settings loaded for a forbidden caller"), authenticate=forbid)
    for path in ["/", "/sources", "/articles/1"]:
        response = TestClient(app).get(path, headers={"Accept": "text/html"})
        assert response.status_code == 403 and response.json() == {"detail": "Forbidden"}
