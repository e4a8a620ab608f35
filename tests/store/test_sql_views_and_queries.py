"""The analyst views and every worked query in sql/queries/, run on both databases against known data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newswatch.models import Article
from newswatch.store.articles import StoreOutcome
from newswatch.store.schema import sources, topic_matches
from seed import Seeder
from sqlalchemy import Engine, text

QUERIES = Path(__file__).resolve().parents[2] / "sql" / "queries"
KIM = (
    "North Korean leader Kim Jong Un inspected a fleet of new attack drones on Thursday, state media said.\n"
    "The drones were shown striking targets at sea during a test that lasted several hours.\n"
    "Analysts said the unmanned aircraft appeared to be modelled on foreign designs seen last year.\n"
    "The inspection came days after a missile launch that drew condemnation from the neighbours."
)
FOOTBALL = (
    "The home side won three to nil in heavy rain.\nThe visiting coach blamed the referee for the loss."
)
KIM_ONLY = "Kim Jong Un met a delegation of farmers to discuss the harvest.\nNo weapons were mentioned."


def query_sql(name: str, dialect: str) -> str:
    specific = QUERIES / f"{name}.{dialect}.sql"
    return (specific if specific.exists() else QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def query_names() -> set[str]:
    return {p.name.split(".")[0] for p in QUERIES.glob("*.sql")}


class Known:
    """Known articles, versions, stories, runs and matches, timed relative to now."""

    def __init__(self, engine: Engine) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)
        repo = Seeder(engine)
        self.a1 = self.put(repo, "https://one.test/kim", "Kim Jong Un inspects drones", KIM, days=2)
        self.a2 = self.put(repo, "https://one.test/kim", "Kim Jong Un inspects attack drones", KIM, days=1)
        self.b1 = self.put(
            repo,
            "https://two.test/world/kim-drones",
            "Kim inspects new attack drones",
            KIM.replace("Thursday", "Friday"),
            days=1,
        )
        self.c1 = self.put(repo, "https://three.test/kim-old", "Kim and drones, old", KIM + "\nOld.", days=10)
        self.d1 = self.put(repo, "https://one.test/football", "Home win", FOOTBALL, days=1)
        self.e1 = self.put(repo, "https://two.test/harvest", "Kim meets farmers", KIM_ONLY, days=1)
        t = self.now - timedelta(days=3)
        repo.record_source_run("good", "r1", {"ok": True, "started_at": t, "finished_at": t, "new": 3})
        for i in (1, 2):
            run_at = t + timedelta(hours=i)
            repo.record_source_run(
                "bad",
                f"r{i}",
                {
                    "ok": False,
                    "started_at": run_at,
                    "finished_at": run_at,
                    "error_kind": "timeout",
                    "error_message": "read timed out",
                },
            )
        with engine.begin() as conn:
            conn.execute(sources.insert().values(name="never", enabled=True, consecutive_failures=0))
            for topic, hit, days in (
                ("korea", self.a1, 2),
                ("korea", self.a2, 1),
                ("korea", self.b1, 1),
                ("sport", self.d1, 1),
                ("korea", self.c1, 40),
            ):
                conn.execute(
                    topic_matches.insert().values(
                        topic_name=topic,
                        version_id=hit.version_id,
                        article_id=hit.article_id,
                        story_id=hit.story_id,
                        score=1.0,
                        evidence=[],
                        evidence_hash=f"{topic}{hit.version_id}",
                        matched_at=self.now - timedelta(days=days),
                    )
                )

    def put(self, repo: Seeder, url: str, headline: str, body: str, *, days: int) -> StoreOutcome:
        article = Article(headline=headline, body=body, language="en")
        return repo.store_article(
            article,
            url=url,
            final_url=None,
            source_name="good",
            fetched_at=self.now - timedelta(days=days),
            page_id=None,
        )

    def day(self, days: int) -> str:
        return (self.now - timedelta(days=days)).date().isoformat()


@pytest.fixture
def known(engine: Engine) -> Known:
    return Known(engine)


def run(engine: Engine, sql: str) -> list[dict]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql)).mappings()]


def expected_results(k: Known) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:  # type: ignore[type-arg]
    """Per query: the columns compared and the exact rows expected, in order."""
    return {
        "kim_jong_un_drones_7d": (
            ("article_id", "version_no", "headline_changed"),
            [(k.a1.article_id, 1, 0), (k.a1.article_id, 2, 1), (k.b1.article_id, 1, 0)],
        ),
        "headline_changed": (
            ("article_id", "version_no", "previous_headline", "headline"),
            [(k.a1.article_id, 2, "Kim Jong Un inspects drones", "Kim Jong Un inspects attack drones")],
        ),
        "outlets_sharing_a_wire_story": (
            ("story_id", "outlet_count", "outlets", "article_count"),
            [(k.a1.story_id, 2, "one.test, two.test", 2)],
        ),
        "failing_sources": (
            ("source_name", "status", "consecutive_failures", "last_error_kind", "last_run_id"),
            [("bad", "failing", 2, "timeout", "r2"), ("never", "never succeeded", 0, None, None)],
        ),
        "topic_hits_last_30_days": (
            ("topic_name", "day", "hits", "articles", "stories"),
            [("korea", k.day(1), 2, 2, 1), ("sport", k.day(1), 1, 1, 1), ("korea", k.day(2), 1, 1, 1)],
        ),
    }


def test_every_worked_query_has_expected_results(known: Known) -> None:
    assert query_names() == set(expected_results(known))


@pytest.mark.parametrize("name", sorted(query_names()))
def test_worked_query(name: str, known: Known, engine: Engine) -> None:
    columns, expected = expected_results(known)[name]
    rows = run(engine, query_sql(name, engine.dialect.name))
    got = [tuple(str(r[c]) if c == "day" else r[c] for c in columns) for r in rows]
    assert got == expected


def test_latest_view_has_one_row_per_article_with_its_newest_version(known: Known, engine: Engine) -> None:
    rows = {r["article_id"]: r for r in run(engine, "SELECT * FROM v_article_latest")}
    assert len(rows) == 5
    assert rows[known.a1.article_id]["version_no"] == 2
    assert rows[known.a1.article_id]["headline"] == "Kim Jong Un inspects attack drones"


def test_story_views_list_members_and_outlets(known: Known, engine: Engine) -> None:
    with engine.connect() as conn:
        members = conn.execute(
            text("SELECT article_id, outlet FROM v_story_members WHERE story_id = :s ORDER BY article_id"),
            {"s": known.a1.story_id},
        ).all()
    assert [tuple(m) for m in members] == [
        (known.a1.article_id, "one.test"),
        (known.b1.article_id, "two.test"),
    ]
    singles = run(engine, "SELECT COUNT(*) AS n FROM v_stories WHERE outlet_count = 1")
    assert singles[0]["n"] == 3  # the 10-day-old copy is outside the story window: its own story


def test_source_health_view(known: Known, engine: Engine) -> None:
    rows = {r["source_name"]: r for r in run(engine, "SELECT * FROM v_source_health")}
    assert rows["good"]["status"] == "ok" and rows["good"]["last_new"] == 3
    assert rows["bad"]["runs_recorded"] == 2
