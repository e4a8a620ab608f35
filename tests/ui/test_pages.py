"""Each screen's data on both databases, against rows with known content (see ui_seed)."""

from __future__ import annotations

import dataclasses

import pytest
import ui_seed
from newswatch.airflow.ui import pages
from newswatch.airflow.ui.render import Segment
from newswatch.settings import load_settings
from newswatch.store.schema import article_versions, articles
from sqlalchemy import insert, select


@pytest.fixture
def seeded(engine, db_url):  # type: ignore[no-untyped-def]
    settings = load_settings({"NEWSWATCH_DATABASE_URL": db_url})
    return engine, settings, ui_seed.seed(engine)


def _marked(evidence: list[dict]) -> list[str]:
    return [s.text for e in evidence for s in e["segments"] if s.op == "ins"]


def test_recent_articles_newest_first(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    found = pages.recent_articles(engine, settings)
    assert [a["article_id"] for a in found["articles"]] == [ids["copy"], ids["main"], ids["sport"]]
    main = next(a for a in found["articles"] if a["article_id"] == ids["main"])
    assert main["headline"] == "Kim arrives in Russia for arms talks"  # the latest version's
    assert main["version_count"] == 2
    assert main["fetched_at"].tzinfo is not None


def test_search_uses_topic_language_with_evidence(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    found = pages.recent_articles(engine, settings, 'russia NEAR/20 "north korea"')
    assert found["error"] is None
    assert [a["article_id"] for a in found["articles"]] == [ids["main"]]
    assert _marked(found["articles"][0]["evidence"]) == ["Russia", "North Korea"]


def test_search_or_not_and_source_field(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    either = pages.recent_articles(engine, settings, "pyongyang OR cup")
    assert {a["article_id"] for a in either["articles"]} == {ids["copy"], ids["sport"]}
    excluded = pages.recent_articles(engine, settings, "kim NOT pyongyang")
    assert [a["article_id"] for a in excluded["articles"]] == [ids["main"]]
    # source: terms are not in the full-text index: the page falls back to scanning the newest.
    by_source = pages.recent_articles(engine, settings, "source:sleepy")
    assert [a["article_id"] for a in by_source["articles"]] == [ids["sport"]]
    prefix = pages.recent_articles(engine, settings, "artill*")
    assert [a["article_id"] for a in prefix["articles"]] == [ids["main"]]


def test_search_only_matches_latest_version(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    # "five" is only in version 1 of the main article; the page searches current text.
    assert pages.recent_articles(engine, settings, "five")["articles"] == []
    assert [a["article_id"] for a in pages.recent_articles(engine, settings, "six")["articles"]] == [
        ids["main"]
    ]


def test_search_syntax_error_is_reported_not_raised(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, _ = seeded
    found = pages.recent_articles(engine, settings, 'russia AND ("north')
    assert found["articles"] == []
    assert found["error"]["position"] == 12  # the unclosed quote, where the caret goes
    assert found["error"]["message"].startswith("unterminated phrase")


def test_search_hostile_text_is_data(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, _ = seeded
    for text in ["'; DROP TABLE articles; --", "%", "_", "cup' OR 1=1 --"]:
        pages.recent_articles(engine, settings, text)  # must not raise or inject
    assert len(pages.recent_articles(engine, settings)["articles"]) == 3


def test_search_stops_at_page_size(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(load_settings({"NEWSWATCH_DATABASE_URL": db_url}), ui_page_size=3)
    now = ui_seed.datetime.now(ui_seed.UTC)
    with engine.begin() as conn:
        for n in range(5):
            article_id = conn.execute(insert(articles).values(
                canonical_url=f"https://x.example/{n}", outlet="x.example", first_seen_at=now,
                last_seen_at=now, version_count=1)).inserted_primary_key[0]
            version_id = conn.execute(insert(article_versions).values(
                article_id=article_id, version_no=1, content_hash=str(n), headline=f"Flood {n}",
                body="River flood warning.", fetched_at=now)).inserted_primary_key[0]
            latest = articles.update().where(articles.c.id == article_id)
            conn.execute(latest.values(latest_version_id=version_id))
    assert len(pages.recent_articles(engine, settings, "flood")["articles"]) == 3
    assert len(pages.recent_articles(engine, settings)["articles"]) == 3


def test_article_detail_versions_and_word_diff(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    article = pages.article_detail(engine, settings, ids["main"])
    assert article is not None
    newest, oldest = article["versions"]
    assert (newest["version_no"], oldest["version_no"]) == (2, 1)
    assert oldest["body_diff"] == [] and oldest["headline_diff"] == []
    changes = [s for hunk in newest["body_diff"] for s in hunk if s.op != "same"]
    assert changes == [Segment("del", "five"), Segment("ins", "six"), Segment("ins", "in Moscow")]
    assert Segment("ins", "for arms talks") in newest["headline_diff"]
    assert [m["topic_name"] for m in article["matches"]] == [ui_seed.TOPIC]
    assert pages.article_detail(engine, settings, 999_999) is None


def test_stories_with_outlets(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    (story,) = pages.recent_stories(engine, settings)
    assert story["id"] == ids["story"]
    assert story["outlets"] == ["good-wire", "daily-news"]  # source names, earliest copy first
    assert [m["article_id"] for m in story["members"]] == [ids["main"], ids["copy"]]
    assert story["headline"] == "Kim arrives in Russia for arms talks"  # the earliest copy's headline


def test_alerts_with_evidence_and_bad_payload(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    sent, failed = pages.recent_alerts(engine, settings)
    assert (sent["id"], sent["status"], failed["status"]) == (ids["alert_sent"], "sent", "failed")
    assert _marked(sent["evidence"]) == ["Russia", "North Korea"]
    assert sent["articles"][0]["article_id"] == ids["main"]
    assert sent["recipients"] == ["analysts@example.com"]
    assert failed["evidence"] == [] and failed["last_error"] == "SMTP 550 mailbox unavailable"


def test_topic_hits_per_day(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    (topic,) = pages.topic_activity(engine, settings, now=ids["now"])
    assert topic["name"] == ui_seed.TOPIC and topic["query"] == ui_seed.TOPIC_QUERY
    assert len(topic["days"]) == settings.ui_chart_days
    counts = dict(topic["days"])
    now, day = ids["now"], ui_seed.timedelta(days=1)
    expected_hit_days = {(now - ui_seed.timedelta(hours=2)).date(), now.date() - 2 * day}
    assert {day for day, n in counts.items() if n} == {d.isoformat() for d in expected_hit_days}
    assert topic["total_matches"] == 2 and topic["alerts_sent"] == 1
    (charted,) = pages.with_charts([topic], width=300, height=50)
    tallest = max(charted["chart"]["bars"], key=lambda b: b["h"])
    assert tallest["h"] == 50 and tallest["value"] >= 1


def test_source_health_failing_first(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    health = pages.source_health(engine, settings, now=ids["now"])
    assert [(s["name"], s["state"]) for s in health] == [
        ("broken-gazette", "failing"), ("sleepy-times", "quiet"), ("good-wire", "ok")]
    broken = health[0]
    assert broken["last_error_kind"] == "http_503" and broken["consecutive_failures"] == 3
    assert [r["errors"] for r in broken["runs"]] == [{"http_503": 1}] * 3
    good = health[2]
    assert good["recent_yield"] == 5 and [r["yield"] for r in good["runs"]] == [1, 4]


def test_empty_database(db_url, engine) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings({"NEWSWATCH_DATABASE_URL": db_url})
    assert pages.recent_articles(engine, settings)["articles"] == []
    assert pages.recent_articles(engine, settings, "anything")["articles"] == []
    assert pages.recent_stories(engine, settings) == []
    assert pages.recent_alerts(engine, settings) == []
    assert pages.topic_activity(engine, settings) == []
    assert pages.source_health(engine, settings) == []
    assert pages.overview(engine, settings)["articles"] == 0


def _flood(engine, n: int) -> None:  # type: ignore[no-untyped-def]
    now = ui_seed.datetime.now(ui_seed.UTC)
    with engine.begin() as conn:
        for i in range(n):
            when = now - ui_seed.timedelta(minutes=i)
            article_id = conn.execute(insert(articles).values(
                canonical_url=f"https://x.example/{i}", outlet="x.example", first_seen_at=when,
                last_seen_at=when, version_count=1)).inserted_primary_key[0]
            version_id = conn.execute(insert(article_versions).values(
                article_id=article_id, version_no=1, content_hash=str(i), headline=f"Flood {i}",
                body="River flood warning.", fetched_at=when)).inserted_primary_key[0]
            latest = articles.update().where(articles.c.id == article_id)
            conn.execute(latest.values(latest_version_id=version_id))


@pytest.mark.parametrize("query", ["", "flood"])
def test_paging_walks_every_article_once(engine, db_url, query: str) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(load_settings({"NEWSWATCH_DATABASE_URL": db_url}), ui_page_size=3)
    _flood(engine, 7)
    walked = [pages.recent_articles(engine, settings, query, page) for page in range(4)]
    assert [len(p["articles"]) for p in walked] == [3, 3, 1, 0]
    assert [p["has_more"] for p in walked] == [True, True, False, False]
    seen = [a["headline"] for p in walked for a in p["articles"]]
    assert seen == [f"Flood {i}" for i in range(7)]  # newest first, no repeats


def test_alert_filters(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    failed = pages.recent_alerts(engine, settings, status="failed")
    assert [a["id"] for a in failed] == [ids["alert_failed"]]
    assert pages.recent_alerts(engine, settings, topic="no such topic") == []
    assert len(pages.recent_alerts(engine, settings, topic=ui_seed.TOPIC)) == 2


def test_updated_alert_shows_what_changed(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    added = {"field": "headline", "text": "Kim arrives in Russia for arms talks", "spans": [[26, 30]]}
    changes = {"added": [added], "removed": []}
    with engine.begin() as conn:
        conn.execute(insert(ui_seed.alerts).values(
            alert_key="updated:s1:t:x", topic_name=ui_seed.TOPIC, kind="updated", status="pending",
            recipients=["a@example.com"], subject="UPDATED", message_id="<u@t>", attempts=0,
            payload={"evidence": [], "changes": changes}, created_at=ids["now"]))
    newest = pages.recent_alerts(engine, settings)[0]
    assert newest["kind"] == "updated" and _marked(newest["added"]) == ["arms"] and newest["removed"] == []


def test_source_health_keeps_only_the_newest_runs(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(load_settings({"NEWSWATCH_DATABASE_URL": db_url}), ui_source_runs_shown=3)
    now = ui_seed.datetime.now(ui_seed.UTC)
    with engine.begin() as conn:
        for name in ("a-source", "b-source"):
            conn.execute(insert(ui_seed.sources).values(name=name, enabled=True, consecutive_failures=0,
                                                        last_run_at=now, last_yield_at=now))
            for i in range(10):
                ui_seed._run(conn, name, f"r{i}", now - ui_seed.timedelta(minutes=15 * i), True, new=i)
    health = {s["name"]: s for s in pages.source_health(engine, settings, now=now)}
    assert [r["run_id"] for r in health["a-source"]["runs"]] == ["r0", "r1", "r2"]
    assert [r["yield"] for r in health["b-source"]["runs"]] == [0, 1, 2]


def test_overview_counts_the_recent_window(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    counts = pages.overview(engine, settings, now=ids["now"])
    # main (version 2 fetched 2 h ago) and its copy (1 h) are in the 24 h window; sport (3 days) is not.
    assert (counts["articles"], counts["stories"], counts["failing_sources"]) == (2, 1, 1)
    assert counts["alerts"] == {"sent": 1, "failed": 1}
    wide = dataclasses.replace(settings, ui_recent_hours=24 * 7)
    assert pages.overview(engine, wide, now=ids["now"])["articles"] == 3


def test_stories_come_from_the_newest_articles(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(load_settings({"NEWSWATCH_DATABASE_URL": db_url}), ui_page_size=2)
    now = ui_seed.datetime.now(ui_seed.UTC)
    with engine.begin() as conn:
        for n in range(4):  # story n's only article was seen n hours ago
            when = now - ui_seed.timedelta(hours=n)
            story = conn.execute(insert(ui_seed.stories).values(
                headline=f"Story {n}", first_seen_at=when, last_seen_at=when, article_count=1
            )).inserted_primary_key[0]
            version = {"headline": f"A{n}", "body": "text", "fetched_at": when}
            ui_seed._article(conn, url=f"https://s.example/{n}", outlet="s.example", source="s",
                             story_id=story, seen=when, versions=[version])
    assert [s["headline"] for s in pages.recent_stories(engine, settings)] == ["A0", "A1"]


QUERIES = ["russia", "kim NOT pyongyang", '"north korea"', "artill*", "pyongyang OR cup", "korea's",
           "headline:kim", "body:final", "source:daily", "lang:en AND cup", "russia NEAR/3 korea",
           "(kremlin OR moscow) AND kim", "six-day OR officials", "kim NOT (cup OR final)"]


@pytest.mark.parametrize("query", QUERIES)
def test_full_text_prefilter_never_loses_a_match(seeded, query: str) -> None:  # type: ignore[no-untyped-def]
    """The page's answer equals the topic matcher run over every current version."""
    from newswatch.topics.query import Doc, match, parse_query

    engine, settings, _ = seeded
    with engine.connect() as conn:
        current = articles.join(article_versions, article_versions.c.id == articles.c.latest_version_id)
        rows = conn.execute(select(articles.c.id.label("article_id"), article_versions.c.headline,
                                   article_versions.c.body, articles.c.outlet, articles.c.source_name,
                                   article_versions.c.language)
                            .select_from(current)).all()
    parsed = parse_query(query)
    expected = {r.article_id for r in rows if match(parsed, Doc.from_parts(
        headline=r.headline, body=r.body, source=f"{r.source_name} {r.outlet}", language=r.language))}
    found = pages.recent_articles(engine, settings, query)
    assert found["error"] is None
    listed = {a["article_id"] for a in found["articles"]}
    copies = {c["article_id"] for a in found["articles"] for c in a["copies"]}  # grouped wire copies
    assert listed | copies == expected and not listed & copies


def test_source_health_uses_the_maintenance_judgement(seeded) -> None:  # type: ignore[no-untyped-def]
    """With the configured sources, the page shows what the operator e-mails say, by the same code."""
    from newswatch.sources.config import DiscoveryMethod, Source

    engine, settings, ids = seeded
    now = ids["now"]
    with engine.begin() as conn:  # good-wire's pages suddenly lack bodies: 29 of 30 in the last run
        ui_seed._run(conn, "good-wire", "r3", now - ui_seed.timedelta(minutes=5), True, discovered=10,
                     fetched=30, new=1, extraction_gaps={"body": 29})
    feed = (DiscoveryMethod("feed", "https://x.example/rss"),)
    configured = [Source(name, feed) for name in ("good-wire", "broken-gazette", "sleepy-times")]
    listed = pages.source_health(engine, settings, now=now, configured=configured)
    health = {s["name"]: s for s in listed}
    assert health["good-wire"]["state"] == "extraction degraded"
    assert "lacked a headline, date or body" in health["good-wire"]["problems"][0]["message"]
    assert health["broken-gazette"]["state"] == "failing"
    assert health["sleepy-times"]["state"] == "stale"  # 3 days without yield, judged per poll interval
    assert [s["name"] for s in listed] == ["broken-gazette", "good-wire", "sleepy-times"]


def test_configured_sources_unreadable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = dataclasses.replace(load_settings(), sources_file=tmp_path / "missing.yaml")
    configured, errors = pages.configured_sources(settings)
    assert configured is None and "missing.yaml" in errors[0]


def _wire_story(engine, copies: int, sentences: int) -> list[int]:  # type: ignore[no-untyped-def]
    """One story carried by ``copies`` outlets, each copy ``sentences`` sentences about a flood."""
    now = ui_seed.datetime.now(ui_seed.UTC)
    body = " ".join(f"The flood reached street {n} before noon." for n in range(sentences))
    with engine.begin() as conn:
        story = conn.execute(insert(ui_seed.stories).values(
            headline="Flood", first_seen_at=now, last_seen_at=now, article_count=copies
        )).inserted_primary_key[0]
        return [
            ui_seed._article(conn, url=f"https://o{n}.example/flood", outlet=f"o{n}.example",
                             source=f"outlet-{n}", story_id=story, seen=now - ui_seed.timedelta(minutes=n),
                             versions=[{"headline": f"Flood copy {n}", "body": body,
                                        "fetched_at": now - ui_seed.timedelta(minutes=n)}])[0]
            for n in range(copies)
        ]


def test_a_hit_shows_three_passages_and_its_wire_copies_grouped(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings({"NEWSWATCH_DATABASE_URL": db_url})
    ids = _wire_story(engine, copies=3, sentences=7)
    found = pages.recent_articles(engine, settings, "flood")
    (hit,) = found["articles"]  # three copies of one story: one hit
    assert hit["article_id"] == ids[0]
    assert len(hit["evidence"]) == pages.PASSAGES_SHOWN == 3
    assert len(hit["evidence"]) + len(hit["more_evidence"]) == 8  # headline + 7 sentences
    assert [c["article_id"] for c in hit["copies"]] == ids[1:]
    assert [c["source_name"] for c in hit["copies"]] == ["outlet-1", "outlet-2"]


def test_source_search_matches_the_configured_name_and_the_host(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    for query in ("source:sleepy-times", 'source:"sleepy times"', "source:sleepy.example"):
        assert [a["article_id"] for a in pages.recent_articles(engine, settings, query)["articles"]] == [
            ids["sport"]
        ], query


def test_article_matches_are_labelled_by_version(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, settings, ids = seeded
    article = pages.article_detail(engine, settings, ids["main"])
    assert article is not None and [m["version_no"] for m in article["matches"]] == [2]


def test_stories_are_headed_by_their_earliest_copy_in_time_order(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings({"NEWSWATCH_DATABASE_URL": db_url})
    now = ui_seed.datetime.now(ui_seed.UTC)
    with engine.begin() as conn:
        story = conn.execute(insert(ui_seed.stories).values(
            headline="Latest copy's headline", first_seen_at=now, last_seen_at=now, article_count=3
        )).inserted_primary_key[0]
        stored = []  # stored newest-published first, as a crawl often finds them
        for n, hours in enumerate((1, 5, 3)):
            published = now - ui_seed.timedelta(hours=hours)
            stored.append(ui_seed._article(
                conn, url=f"https://p{n}.example/a", outlet=f"p{n}.example", source=f"paper-{n}",
                story_id=story, seen=now - ui_seed.timedelta(minutes=10 - n),
                versions=[{"headline": f"published {hours} h ago", "body": "text", "published_at": published,
                           "fetched_at": now}])[0])
    (found,) = pages.recent_stories(engine, settings)
    assert found["headline"] == "published 5 h ago"
    assert [m["article_id"] for m in found["members"]] == [stored[1], stored[2], stored[0]]
    assert found["outlets"] == ["paper-1", "paper-2", "paper-0"]


def test_configured_sources_that_never_ran_are_listed(seeded) -> None:  # type: ignore[no-untyped-def]
    from newswatch.sources.config import DiscoveryMethod, Source

    engine, settings, _ = seeded
    feed = (DiscoveryMethod("feed", "https://new.example/feed.xml"),)
    configured = [Source(name, feed) for name in ("good-wire", "broken-gazette", "sleepy-times", "brand-new")]
    health = {s["name"]: s for s in pages.source_health(engine, settings, configured=configured)}
    assert health["brand-new"]["state"] == "not yet run" and health["brand-new"]["runs"] == []
    assert health["good-wire"]["state"] != "not yet run"


def test_the_search_box_reads_the_topics_files_vocabularies(seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    engine, settings, ids = seeded
    topics = tmp_path / "topics.yaml"
    topics.write_text("vocabularies:\n  capitals: [pyongyang, \"hong kong\"]\ntopics: []\n")
    found = pages.recent_articles(engine, replace(settings, topics_file=topics), "@capitals OR cup")
    assert found["error"] is None
    assert {a["article_id"] for a in found["articles"]} == {ids["copy"], ids["sport"]}
