"""The newswatch page in headless Chromium: log in through Airflow's own login form, open every
page, assert on what a person would see, and keep full-page screenshots in test-artifacts/ui/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import ui_seed
from cdp import Browser, find_chromium

pytestmark = pytest.mark.airflow

WIDTH, HEIGHT = 1400, 900


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); browser tests need it")
    return found


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    instance = Browser(chromium, width=WIDTH, height=HEIGHT)
    try:
        yield instance
    finally:
        instance.close()


def text(browser: Browser, selector: str = "body") -> str:
    return str(browser.evaluate(f"document.querySelector({json.dumps(selector)}).innerText"))


def texts(browser: Browser, selector: str) -> list[str]:
    return list(browser.evaluate(f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
                                 ".map(e => e.innerText)"))


def count(browser: Browser, selector: str) -> int:
    return int(browser.evaluate(f"document.querySelectorAll({json.dumps(selector)}).length"))


def no_injected_markup(browser: Browser) -> None:
    """Hostile headlines arrive as text: no script or image element exists on our pages."""
    assert count(browser, "script") == 0
    assert count(browser, "img") == 0


@pytest.fixture(scope="module")
def logged_in(browser: Browser, airflow_ui, artifacts: Path) -> Browser:  # type: ignore[no-untyped-def]
    """Open the page anonymously, get sent to Airflow's login form, and sign in with it."""
    browser.goto(f"{airflow_ui.base_url}/newswatch/sources")
    browser.wait_for("document.querySelector('input[name=password]')")
    assert "/auth/login" in browser.url()
    assert "broken-gazette" not in text(browser)
    browser.screenshot(artifacts / "00-login.png")
    browser.type_into("input[name=username]", "admin")
    browser.type_into("input[name=password]", airflow_ui.passwords["admin"])
    browser.evaluate("document.querySelector('button[type=submit]').click()")
    browser.wait_for("location.pathname === '/newswatch/sources' && document.readyState === 'complete'")
    return browser


def test_login_lands_on_requested_page(logged_in: Browser, artifacts: Path) -> None:
    assert "Source health" in text(logged_in, "h1")
    logged_in.screenshot(artifacts / "01-after-login-sources.png")


def test_articles_page(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/")
    rows = texts(logged_in, "#articles tbody tr")
    assert len(rows) == 3
    assert rows[0].startswith("Pyongyang confirms Kim trip") and "good-wire" in rows[1]  # source names
    assert ui_seed.HOSTILE in rows[2]  # shown literally, as text
    no_injected_markup(logged_in)
    logged_in.screenshot(artifacts / "02-articles.png")


def test_search_with_evidence(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/")
    logged_in.type_into("input[name=q]", 'russia NEAR/20 "north korea"')
    logged_in.evaluate("document.querySelector('form.search').submit()")
    logged_in.wait_for("location.search.includes('q=') && document.readyState === 'complete'")
    assert count(logged_in, "#articles tbody tr") == 1
    assert texts(logged_in, "mark") == ["Russia", "North Korea"]
    assert "1 matching article" in text(logged_in, "#search-summary")
    logged_in.screenshot(artifacts / "03-search.png")
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/?q=russia+AND+%28")
    assert "Query error at position" in text(logged_in, "#query-error")


def test_article_versions_and_diff(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/")
    logged_in.evaluate("Array.from(document.querySelectorAll('#articles a'))"
                       ".find(a => a.innerText.startsWith('Kim arrives')).click()")
    logged_in.wait_for("location.pathname.startsWith('/newswatch/articles/')"
                       " && document.readyState === 'complete'")
    assert text(logged_in, "#headline") == "Kim arrives in Russia for arms talks"
    assert count(logged_in, ".version") == 2
    assert texts(logged_in, "#version-2 del") == ["five"]
    assert texts(logged_in, "#version-2 ins") == ["for arms talks", "six", "in Moscow"]
    assert ui_seed.TOPIC in text(logged_in)
    logged_in.screenshot(artifacts / "04-article.png")


def test_stories_page(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/stories")
    assert texts(logged_in, "#stories .outlets span") == ["good-wire", "daily-news"]
    # headed by its earliest copy (as the alert e-mail is), whatever the stored story headline says
    assert text(logged_in, "#stories > tbody > tr b").startswith("Kim arrives in Russia for arms talks")
    logged_in.screenshot(artifacts / "05-stories.png")


def test_alerts_page(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/alerts")
    sent = text(logged_in, f"#alert-{airflow_ui.seeded['alert_sent']}")
    assert "Why it fired" in sent and "analysts@example.com" in sent and "sent" in sent
    failed = text(logged_in, f"#alert-{airflow_ui.seeded['alert_failed']}")
    assert "failed" in failed and "SMTP 550 mailbox unavailable" in failed
    logged_in.screenshot(artifacts / "06-alerts.png")


def test_topics_chart(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/topics")
    assert ui_seed.TOPIC in text(logged_in, "#topic-1")
    bars = logged_in.evaluate("Array.from(document.querySelectorAll('#topic-1 svg rect'))"
                              ".map(r => [r.getAttribute('class'), r.getBBox().height])")
    assert len(bars) == 30
    assert sum(1 for cls, height in bars if cls == "bar" and height > 10) == 2
    logged_in.screenshot(artifacts / "07-topics.png")


def test_source_health_shows_failure_first(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/sources")
    first = logged_in.evaluate("document.querySelector('#sources > tbody > tr').innerText")
    assert first.startswith("broken-gazette") and "failing" in first and "http_503" in first
    assert "503 Service Unavailable from https://gazette.example/feed.xml" in first
    states = texts(logged_in, "#sources > tbody > tr .badge")
    assert states == ["failing", "stale", "not yet run", "ok"]
    assert "no new or updated article since" in text(logged_in, "#source-sleepy-times")
    badge = logged_in.evaluate("getComputedStyle(document.querySelector('#sources .badge.failing')).color")
    assert badge == "rgb(186, 37, 37)"  # the page's red
    logged_in.screenshot(artifacts / "08-sources.png")


def _news_db(airflow_ui):  # type: ignore[no-untyped-def]
    from newswatch.store.engine import make_engine

    return make_engine(airflow_ui.news_db_url)


def test_source_health_lists_a_new_source_and_keeps_its_columns_on_screen(
    logged_in: Browser, airflow_ui, artifacts: Path  # type: ignore[no-untyped-def]
) -> None:
    from newswatch.store.schema import sources
    from sqlalchemy import update

    long_error = "connection: " + "GuardedHTTPPool(host='127.0.0.1', port=9): Max retries exceeded " * 12
    engine = _news_db(airflow_ui)
    with engine.begin() as conn:
        conn.execute(update(sources).where(sources.c.name == "broken-gazette")
                     .values(last_error_message=long_error))
    engine.dispose()
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/sources")
    assert "not yet run" in text(logged_in, "#source-brand-new")
    message = "document.querySelector('#source-broken-gazette .errmsg')"
    assert logged_in.evaluate(f"{message}.title") == long_error  # the full text on hover
    assert logged_in.evaluate(f"{message}.getBoundingClientRect().height") < 60  # three lines at most
    failures = "document.querySelector('#sources > thead th:nth-child(6)').getBoundingClientRect().right"
    assert logged_in.evaluate(failures) <= WIDTH, "the failures column is pushed off screen"
    logged_in.screenshot(artifacts / "10-sources-long-error.png")


def test_search_example_works_and_hits_stay_short(
    logged_in: Browser, airflow_ui, artifacts: Path  # type: ignore[no-untyped-def]
) -> None:
    from newswatch.topics.query import parse_query

    logged_in.goto(f"{airflow_ui.base_url}/newswatch/")
    example = logged_in.evaluate("document.querySelector('input[name=q]').placeholder").split("e.g. ", 1)[1]
    assert "NOT sport" in example and " -" not in example
    parse_query(example)  # the example is valid in the query language
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/?q=source%3Agood-wire+OR+source%3Adaily-news")
    rows = texts(logged_in, "#articles > tbody > tr")
    assert len(rows) == 1, rows  # the wire copy is grouped under the story's first hit
    assert "Also in this story" in rows[0] and "daily-news" in rows[0]
    logged_in.screenshot(artifacts / "11-search-grouped.png")


def test_article_page_puts_versions_above_labelled_matches(
    logged_in: Browser, airflow_ui, artifacts: Path  # type: ignore[no-untyped-def]
) -> None:
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/articles/{airflow_ui.seeded['main']}")
    order = logged_in.evaluate("Array.from(document.querySelectorAll('h2')).map(h => h.innerText)")
    assert order == ["Versions", "Topic matches"]
    assert "version 2" in text(logged_in, "#matches tbody tr")
    logged_in.screenshot(artifacts / "12-article-order.png")


def test_unknown_alerts_are_counted_filtered_and_say_how_to_requeue(
    logged_in: Browser, airflow_ui, artifacts: Path  # type: ignore[no-untyped-def]
) -> None:
    from newswatch.store.schema import alerts

    engine = _news_db(airflow_ui)
    with engine.begin() as conn:
        unknown = conn.execute(alerts.insert().values(
            alert_key="new:s9:t", topic_name=ui_seed.TOPIC, kind="new", status="unknown",
            recipients=["desk@example.com"], subject="[newswatch] maybe delivered",
            message_id="<a9@newswatch.test>", payload={}, attempts=1, created_at=airflow_ui.seeded["now"],
            last_error="connection dropped during DATA; not resent automatically",
        )).inserted_primary_key[0]
    engine.dispose()
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/alerts")
    assert "1 unknown, 1 failed" in text(logged_in, "#needs-person")
    assert "newswatch alerts requeue ID" in text(logged_in, "#needs-person")
    logged_in.evaluate("Array.from(document.querySelectorAll('.filters a'))"
                       ".find(a => a.innerText.startsWith('unknown')).click()")
    logged_in.wait_for("location.search.includes('status=unknown') && document.readyState === 'complete'")
    rows = texts(logged_in, "#alerts > tbody > tr")
    assert len(rows) == 1 and f"newswatch alerts requeue {unknown}" in rows[0]
    assert "created " in rows[0] and "not sent" in rows[0]  # labelled times
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/")
    assert text(logged_in, "#alerts-stuck b") == "2"
    logged_in.screenshot(artifacts / "13-alerts-unknown.png")


def test_page_inside_airflow_ui(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/plugin/newswatch")
    logged_in.wait_for("document.querySelector('iframe') && document.querySelector('iframe').contentDocument"
                       " && document.querySelector('iframe').contentDocument.querySelector('#articles')", 30)
    inner = logged_in.evaluate("document.querySelector('iframe').contentDocument.body.innerText")
    assert "Kim arrives in Russia for arms talks" in inner
    logged_in.screenshot(artifacts / "09-inside-airflow.png")


def test_logout_hides_the_page_again(logged_in: Browser, airflow_ui, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    logged_in.goto(f"{airflow_ui.base_url}/api/v2/auth/logout")
    logged_in.goto(f"{airflow_ui.base_url}/newswatch/sources")
    logged_in.wait_for("document.querySelector('input[name=password]')")
    assert "broken-gazette" not in text(logged_in)
