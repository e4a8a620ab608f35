"""The plugin's routes against a real Airflow api-server: nobody without Airflow's login sees data."""

from __future__ import annotations

import time

import jwt
import pytest
import requests
import ui_seed

pytestmark = pytest.mark.airflow

ROUTES = ["/newswatch/", "/newswatch/?q=russia", "/newswatch/articles/1", "/newswatch/stories",
          "/newswatch/alerts", "/newswatch/topics", "/newswatch/sources", "/newswatch/articles/999999"]
# Strings that only appear in the seeded data: none may reach an unauthenticated caller.
SECRETS = ["Kim arrives", "wire.example", "broken-gazette", "analysts@example.com", "artillery"]


def _get(airflow_ui, path: str, **kw) -> requests.Response:  # type: ignore[no-untyped-def]
    return requests.get(airflow_ui.base_url + path, timeout=30, allow_redirects=False, **kw)


def _assert_refused(response: requests.Response) -> None:
    assert response.status_code in (401, 303), (response.status_code, response.text[:300])
    for secret in SECRETS:
        assert secret not in response.text


@pytest.mark.parametrize("path", ROUTES)
def test_anonymous_api_caller_gets_401(airflow_ui, path: str) -> None:  # type: ignore[no-untyped-def]
    response = _get(airflow_ui, path)
    _assert_refused(response)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ROUTES)
def test_anonymous_browser_is_sent_to_airflow_login(airflow_ui, path: str) -> None:  # type: ignore[no-untyped-def]
    response = _get(airflow_ui, path, headers={"Accept": "text/html"})
    _assert_refused(response)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/auth/login?next=%2Fnewswatch")


def _forged(airflow_ui, **changes) -> str:  # type: ignore[no-untyped-def]
    """A token shaped like Airflow's, with the real claims of an admin token and ``changes``."""
    claims = jwt.decode(airflow_ui.token(), options={"verify_signature": False})
    secret = changes.pop("_secret", airflow_ui.jwt_secret)
    claims.update(changes)
    return jwt.encode(claims, secret, algorithm="HS512")


@pytest.mark.parametrize("kind", ["wrong-secret", "expired", "none-alg", "garbage", "wrong-audience"])
@pytest.mark.parametrize("where", ["bearer", "cookie"])
def test_bad_tokens_are_refused(airflow_ui, kind: str, where: str) -> None:  # type: ignore[no-untyped-def]
    now = int(time.time())
    token = {
        "wrong-secret": lambda: _forged(airflow_ui, _secret="not-the-secret-" * 5),
        "expired": lambda: _forged(airflow_ui, exp=now - 60, iat=now - 3600, nbf=now - 3600),
        "none-alg": lambda: jwt.encode(
            jwt.decode(airflow_ui.token(), options={"verify_signature": False}), None, algorithm="none"),
        "garbage": lambda: "not.a.token",
        "wrong-audience": lambda: _forged(airflow_ui, aud="someone-else"),
    }[kind]()
    for path in ROUTES:
        if where == "bearer":
            response = _get(airflow_ui, path, headers={"Authorization": f"Bearer {token}"})
        else:
            response = _get(airflow_ui, path, cookies={"_token": token})
        _assert_refused(response)


def test_real_token_is_accepted_as_bearer_and_cookie(airflow_ui) -> None:  # type: ignore[no-untyped-def]
    token = airflow_ui.token("admin")
    for path in ROUTES[:-1]:
        for kw in ({"headers": {"Authorization": f"Bearer {token}"}}, {"cookies": {"_token": token}}):
            response = _get(airflow_ui, path, **kw)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
            assert response.headers["Cache-Control"] == "no-store"
    missing = _get(airflow_ui, ROUTES[-1], headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404


def test_viewer_role_may_read(airflow_ui) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {airflow_ui.token('viewer')}"}
    response = _get(airflow_ui, "/newswatch/sources", headers=headers)
    assert response.status_code == 200
    assert "broken-gazette" in response.text and "http_503" in response.text


def test_revoked_token_is_refused(airflow_ui) -> None:  # type: ignore[no-untyped-def]
    token = airflow_ui.token()
    assert _get(airflow_ui, "/newswatch/", cookies={"_token": token}).status_code == 200
    logout = _get(airflow_ui, "/api/v2/auth/logout", cookies={"_token": token})
    assert logout.status_code in (302, 303, 307)
    _assert_refused(_get(airflow_ui, "/newswatch/", cookies={"_token": token}))


def test_pages_show_seeded_content_escaped(airflow_ui) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {airflow_ui.token()}"}
    ids = airflow_ui.seeded
    home = _get(airflow_ui, "/newswatch/", headers=headers).text
    assert "Kim arrives in Russia for arms talks" in home
    assert "<script>" not in home and "&lt;script&gt;" in home
    query = {"q": 'russia NEAR/20 "north korea"'}
    search = _get(airflow_ui, "/newswatch/", headers=headers, params=query).text
    assert "<mark>Russia</mark>" in search and "Pyongyang confirms" not in search
    bad = _get(airflow_ui, "/newswatch/", headers=headers, params={"q": "russia AND ("}).text
    assert 'id="query-error"' in bad
    article = _get(airflow_ui, f"/newswatch/articles/{ids['main']}", headers=headers).text
    assert "<del>five</del>" in article and '<ins class="diff">six</ins>' in article
    assert "Version 2" in article and "Version 1" in article
    stories = _get(airflow_ui, "/newswatch/stories", headers=headers).text
    assert "daily-news" in stories and "good-wire" in stories
    alerts = _get(airflow_ui, "/newswatch/alerts", headers=headers).text
    assert "Why it fired" in alerts and "SMTP 550 mailbox unavailable" in alerts
    topics = _get(airflow_ui, "/newswatch/topics", headers=headers).text
    assert ui_seed.TOPIC in topics and "<svg" in topics and "<rect" in topics
    sources = _get(airflow_ui, "/newswatch/sources", headers=headers).text
    assert sources.index("broken-gazette") < sources.index("good-wire")
    assert "503 Service Unavailable from https://gazette.example/feed.xml" in sources


def test_plugin_is_registered_with_airflow(airflow_ui) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {airflow_ui.token()}"}
    plugins = requests.get(f"{airflow_ui.base_url}/api/v2/plugins", headers=headers, timeout=30).json()
    (ours,) = [p for p in plugins["plugins"] if p["name"] == "newswatch"]
    assert ours["fastapi_apps"][0]["url_prefix"] == "/newswatch"
    assert ours["external_views"][0]["url_route"] == "newswatch"
