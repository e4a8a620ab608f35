"""Whole-DAG runs with ``dag.test()``: the demo newsroom in, one alert email out, never twice.

Real Airflow (in-process), a real HTTP server on 127.0.0.1, a real SMTP server on loopback, and
the article database on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
from newswatch.demo import mailcatcher
from newswatch.demo.content import articles_for_phase
from newswatch.demo.environment import smtp_connection_json
from newswatch.demo.site import Newsroom
from newswatch.store import schema
from newswatch.store.engine import make_engine
from sqlalchemy import func, select

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_HEADLINE = "North Korea's leader wraps up Russia trip with drones gift"
TOPIC = "Russia–North Korea military ties"
KOREAN_HEADLINE = "김정은, 러시아 방문 마치고 귀국"
RUSSIAN_HEADLINE = "Ким Чен Ын завершил визит в Россию"


@pytest.fixture(scope="module")
def airflow_db() -> None:
    from airflow.utils import db

    db.resetdb()


@pytest.fixture(scope="module")
def dags(airflow_db: None) -> dict:  # type: ignore[type-arg]
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
    assert bag.import_errors == {}
    return bag.dags


def write_sources(path: Path, urls: dict[str, str]) -> Path:
    """The demo's sources at the newsroom's ports, polled on every cycle (poll_interval 0)."""
    path.write_text(
        "sources:\n"
        f"  - name: straits-daily\n    poll_interval: 0\n    feed: {urls['straits']}/rss.xml\n"
        f"  - name: pacific-wire-review\n    poll_interval: 0\n"
        f"    sitemap: {urls['pacific']}/news-sitemap.xml\n"
        f"  - name: harbour-city-herald\n    poll_interval: 0\n"
        f"    section:\n      url: {urls['harbour']}/\n"
        "      link_pattern: '/\\d{4}/\\d{2}/\\d{2}/'\n"
        f"  - name: hanbando-sinmun\n    poll_interval: 0\n    feed: {urls['hanbando']}/rss.xml\n"
        f"  - name: vostochny-kuryer\n    poll_interval: 0\n"
        f"    sitemap: {urls['vostok']}/news-sitemap.xml\n"
    )
    return path


@pytest.fixture
def demo(tmp_path: Path, empty_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:  # type: ignore[type-arg]
    phase_file = tmp_path / "phase"
    phase_file.write_text("1")
    newsroom = Newsroom([0, 0, 0], phase_file)
    mail_dir = tmp_path / "mail"
    smtp = mailcatcher.start(mail_dir)
    sources_file = write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    monkeypatch.setenv("NEWSWATCH_SOURCES_FILE", str(sources_file))
    monkeypatch.setenv("NEWSWATCH_TOPICS_FILE", str(PROJECT_ROOT / "config" / "topics.yaml"))
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", empty_db_url)
    monkeypatch.setenv("NEWSWATCH_ALLOWED_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("NEWSWATCH_PER_DOMAIN_DELAY", "0")
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp_connection_json(smtp.port))
    try:
        yield {
            "mail_dir": mail_dir,
            "db_url": empty_db_url,
            "phase_file": phase_file,
            "urls": newsroom.base_urls,
        }
    finally:
        smtp.stop()
        newsroom.close()


def run_cycle(dags: dict) -> None:  # type: ignore[type-arg]
    for dag_id in ("newswatch_ingest", "newswatch_alerts"):
        run = dags[dag_id].test()
        assert str(run.state).endswith("success"), f"{dag_id}: {run.state}"


def received(mail_dir: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for p in sorted(mail_dir.glob("*.eml"))
    ]


def test_one_alert_per_language_for_the_sample_story_and_none_on_a_second_run(demo: dict, dags: dict) -> None:  # type: ignore[type-arg]
    run_cycle(dags)

    messages = received(demo["mail_dir"])
    assert len(messages) == 3, [m["Subject"] for m in messages]  # the English story, Korean, Russian
    for headline, language in ((KOREAN_HEADLINE, "Korean"), (RUSSIAN_HEADLINE, "Russian")):
        (other,) = [m for m in messages if headline in m["Subject"]]
        assert f"[{language}]" in other.get_body(("plain",)).get_content()
    (alert,) = [m for m in messages if SAMPLE_HEADLINE in m["Subject"]]
    # Headed by the earliest-published copy (the sample), whatever order the outlets were stored in.
    assert TOPIC in alert["Subject"] and SAMPLE_HEADLINE in alert["Subject"]
    assert alert["To"] == "analysts@example.com"
    text = alert.get_body(("plain",)).get_content()
    assert SAMPLE_HEADLINE in text
    assert "bulletproof vest" in text or "drones" in text  # evidence passages are quoted
    for key in ("straits", "pacific", "harbour"):  # the one email links every outlet's copy, as published
        base_url = demo["urls"][key]
        assert base_url + "/world/2023/09/18/" in text

    engine = make_engine(demo["db_url"])
    try:
        with engine.connect() as conn:
            articles = conn.execute(select(func.count()).select_from(schema.articles)).scalar_one()
            versions = schema.article_versions
            kim_stories = (
                conn.execute(
                    select(schema.articles.c.story_id).where(
                        schema.articles.c.id.in_(
                            select(versions.c.article_id).where(versions.c.body.like("%Kim Jong Un%"))
                        )
                    )
                )
                .scalars()
                .all()
            )
    finally:
        engine.dispose()
    assert articles == len(articles_for_phase(1))
    assert len(kim_stories) == 3 and len(set(kim_stories)) == 1  # sample + two wire copies: one story

    run_cycle(dags)  # same pages again: nothing new, nothing sent
    assert len(received(demo["mail_dir"])) == 3


def test_the_update_is_stored_as_a_new_version(demo: dict, dags: dict) -> None:  # type: ignore[type-arg]
    run_cycle(dags)
    demo["phase_file"].write_text("2")
    run_cycle(dags)

    engine = make_engine(demo["db_url"])
    try:
        with engine.connect() as conn:
            versions = conn.execute(
                select(schema.articles.c.canonical_url, schema.articles.c.version_count)
            ).all()
    finally:
        engine.dispose()
    counts = {url.rsplit("/", 1)[1]: n for url, n in versions}
    assert counts["north-koreas-leader-wraps-up-russia-trip-with-drones-gift"] == 2
    assert sum(counts.values()) == len(articles_for_phase(2)) + 1


def test_an_update_no_listing_announces_is_found_by_a_revisit_and_alerted_once(
    demo: dict,
    dags: dict,  # type: ignore[type-arg]
) -> None:
    run_cycle(dags)
    demo["phase_file"].write_text("2")  # the sample gains a paragraph; its feed item stays the same
    run_cycle(dags)
    engine = make_engine(demo["db_url"])
    try:
        with engine.connect() as conn:
            runs = schema.source_runs
            changed = dict(
                conn.execute(
                    select(runs.c.source_name, func.sum(runs.c.revisit_changed)).group_by(runs.c.source_name)
                ).all()
            )
            revisit_fetches = conn.execute(
                select(func.count())
                .select_from(schema.fetches)
                .where(
                    schema.fetches.c.purpose == "revisit",
                    schema.fetches.c.status == 200,
                    schema.fetches.c.url.like("%drones-gift"),
                )
            ).scalar_one()
    finally:
        engine.dispose()
    assert changed["straits-daily"] == 1 and revisit_fetches == 1
    subjects = [m["Subject"] for m in received(demo["mail_dir"])]
    updated = [s for s in subjects if "UPDATED" in s]
    assert len(subjects) == 4 and len(updated) == 1 and SAMPLE_HEADLINE in updated[0], subjects
    run_cycle(dags)  # a third cycle: revisited again, unchanged, nothing sent
    assert len(received(demo["mail_dir"])) == 4
