"""The page over data the real pipeline wrote: the demo newsroom ingested and alerted by the real
DAGs (``dag.test()``), then one more source pointing at a closed port run through the same
``ingest_source`` (outside the DAG, so task retries do not stretch the test), then every page
rendered and screenshotted. Catches drift between what the pipeline writes and the page reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Browser, find_chromium
from fastapi.testclient import TestClient
from markupsafe import escape
from newswatch.airflow.ui.app import create_app
from newswatch.demo import mailcatcher
from newswatch.demo.cluster import free_port
from newswatch.demo.environment import smtp_connection_json
from newswatch.demo.site import Newsroom
from newswatch.settings import load_settings

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_HEADLINE = "North Korea's leader wraps up Russia trip with drones gift"
TOPIC = "Russia–North Korea military ties"


@pytest.fixture(scope="module")
def dags() -> dict:  # type: ignore[type-arg]
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    db.resetdb()
    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
    assert bag.import_errors == {}
    return bag.dags


@pytest.fixture
def cycle_db(tmp_path: Path, empty_db_url: str, dags: dict, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:  # type: ignore[type-arg]
    """Two real cycles (the sample article is updated in between) into a fresh database."""
    phase_file = tmp_path / "phase"
    phase_file.write_text("1")
    newsroom = Newsroom([0, 0, 0], phase_file)
    smtp = mailcatcher.start(tmp_path / "mail")
    urls = newsroom.base_urls
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: straits-daily\n    feed: {urls['straits']}/rss.xml\n"
        f"  - name: pacific-wire-review\n    sitemap: {urls['pacific']}/news-sitemap.xml\n"
        f"  - name: harbour-city-herald\n    section:\n      url: {urls['harbour']}/\n"
        "      link_pattern: '/\\d{4}/\\d{2}/\\d{2}/'\n"
    )
    for name, value in {
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(PROJECT_ROOT / "config" / "topics.yaml"),
        "NEWSWATCH_DATABASE_URL": empty_db_url,
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.1/32",
        "NEWSWATCH_PER_DOMAIN_DELAY": "0",
        "NEWSWATCH_MAX_RETRIES": "0",
        "AIRFLOW_CONN_SMTP_DEFAULT": smtp_connection_json(smtp.port),
    }.items():
        monkeypatch.setenv(name, value)
    try:
        for phase in ("1", "2"):
            phase_file.write_text(phase)
            for dag_id in ("newswatch_ingest", "newswatch_alerts"):
                run = dags[dag_id].test()
                assert str(run.state).endswith("success"), f"{dag_id}: {run.state}"
        _ingest_broken_source(tmp_path, empty_db_url)
        yield empty_db_url
    finally:
        smtp.stop()
        newsroom.close()


def _ingest_broken_source(tmp_path: Path, db_url: str) -> None:
    """Run a source whose server is down through the real ingest code; its health is recorded."""
    from newswatch.fetch import Fetcher
    from newswatch.pipeline import ingest_source
    from newswatch.sources.config import load_sources
    from newswatch.store.engine import make_engine

    broken = tmp_path / "broken.yaml"
    broken.write_text(f"sources:\n  - name: closed-port-gazette\n    feed: http://127.0.0.1:{free_port()}/rss.xml\n")
    settings = load_settings()
    (source,) = load_sources(broken).sources
    engine = make_engine(db_url)
    try:
        with Fetcher(settings) as fetcher:
            for run in ("manual-1", "manual-2"):
                summary = ingest_source(source, settings=settings, engine=engine, fetcher=fetcher, run_id=run)
                assert not summary.ok
    finally:
        engine.dispose()


def _allow() -> None:
    return None


def test_pages_over_real_pipeline_data(cycle_db: str, tmp_path: Path) -> None:
    app = create_app(lambda: load_settings({"NEWSWATCH_DATABASE_URL": cycle_db}), authenticate=_allow)
    client = TestClient(app)
    pages = {path: client.get(path) for path in ["/", "/stories", "/alerts", "/topics", "/sources"]}
    assert all(r.status_code == 200 for r in pages.values()), {p: r.status_code for p, r in pages.items()}

    assert str(escape(SAMPLE_HEADLINE)) in pages["/"].text  # as Jinja escapes it
    assert TOPIC in pages["/topics"].text and 'class="bar"' in pages["/topics"].text
    alerts = pages["/alerts"].text
    assert "Why it fired" in alerts and "<mark>" in alerts and 'class="badge sent"' in alerts
    subjects = re.findall(r"<td><b>(.*?)</b>", alerts)
    assert any("UPDATED:" in subject for subject in subjects), subjects  # the phase-2 update
    assert "What changed since the last alert" in alerts or 'id="unchanged-' in alerts

    sources = pages["/sources"].text
    failing = sources.index('id="source-closed-port-gazette"')
    assert failing < sources.index('id="source-straits-daily"')  # the failure is listed first
    row = sources[failing:sources.index("</tr>", sources.index("</table>", failing))]
    assert 'class="badge failing"' in row and 'class="error"' in row
    assert ">2</span>" in row  # two failed runs in a row

    stories = pages["/stories"].text
    kim = next(block for block in stories.split("<tr id=")[1:] if "Kim" in block or "Russia" in block)
    outlets = re.findall(r'<td class="outlets">(.*?)</td>', kim)[0]
    named = re.findall(r"<span>([a-z-]+)</span>", outlets)
    assert len(named) >= 2 and "straits-daily" in named, outlets  # several outlets, by source name

    article_links = re.findall(r'href="/articles/(\d+)"', pages["/"].text)
    updated = [client.get(f"/articles/{i}").text for i in set(article_links)]
    assert any('id="version-2"' in page and ("<del>" in page or '<ins class="diff">' in page)
               for page in updated), "the phase-2 update shows as a second version with a word diff"

    search = client.get("/", params={"q": 'russia* NEAR/30 ("north korea" OR pyongyang)'}).text
    assert "<mark>" in search and "matching article" in search
    by_name = client.get("/", params={"q": "source:straits-daily"}).text  # the configured name
    assert "href=\"/articles/" in by_name and "<td title=\"127.0.0.1:" in by_name  # found, host on hover
    _screenshots(pages, client, tmp_path)


def _screenshots(pages: dict, client: TestClient, tmp_path: Path) -> None:  # type: ignore[type-arg]
    """Static copies of the rendered pages, screenshotted from file:// (no server, no network)."""
    chromium = find_chromium()
    if chromium is None:
        return
    artifacts = PROJECT_ROOT / "test-artifacts" / "ui"
    artifacts.mkdir(parents=True, exist_ok=True)
    browser = Browser(chromium, width=1400, height=900)
    try:
        for name, path in (("real-sources", "/sources"), ("real-alerts", "/alerts"), ("real-articles", "/")):
            html = tmp_path / f"{name}.html"
            html.write_text(pages[path].text)
            browser.goto(html.as_uri())
            browser.screenshot(artifacts / f"10-{name}.png")
    finally:
        browser.close()
