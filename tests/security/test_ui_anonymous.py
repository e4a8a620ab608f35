"""The UI plugin's app refuses anonymous and forged callers on every route it registers — including
routes added later — and never reaches the database for them (issue 8; the UI engineer's tests
in tests/ui run the same against a real api-server)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.airflow


def test_every_registered_route_refuses_anonymous_and_forged_callers(db_url: str) -> None:
    from airflow.api_fastapi import app as airflow_app
    from newswatch.airflow.ui.app import create_app
    from newswatch.settings import load_settings

    reached: list[str] = []

    def settings():  # type: ignore[no-untyped-def]
        reached.append("settings")
        return load_settings(environ={"NEWSWATCH_DATABASE_URL": db_url})

    before = airflow_app._AuthManagerState.instance
    airflow_app.init_auth_manager()  # as the api-server does at start-up (the login URL comes from it)
    try:
        _refuses_everyone(create_app(settings_loader=settings), reached)
    finally:
        airflow_app._AuthManagerState.instance = before  # leave no global state to other tests


def _refuses_everyone(app, reached: list[str]) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient
    from starlette.routing import Route

    paths = [r.path.replace("{article_id}", "1") for r in app.routes if isinstance(r, Route)]
    assert len(paths) >= 5, paths
    client = TestClient(app, raise_server_exceptions=False)
    forged = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiJ9."  # alg=none, sub=admin
    tried = 0
    for path in paths:
        for headers in ({}, {"Accept": "text/html"}, {"Authorization": f"Bearer {forged}"},
                        {"Authorization": "Bearer not-a-token"}, {"Cookie": f"_token={forged}"}):
            response = client.get(path, headers=headers, follow_redirects=False)
            tried += 1
            assert response.status_code in (401, 303, 403), (path, headers, response.status_code)
            assert "analysts@example.com" not in response.text
    assert reached == [], "an unauthenticated request reached the database settings"
    print({"ui_requests_refused": tried})
