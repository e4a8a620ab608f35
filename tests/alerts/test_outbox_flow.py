"""End to end on both databases: stored articles → matches → outbox → real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.store.schema import alerts, topic_matches
from newswatch.topics.config import load_topics
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "topics" / "data"
TOPIC = "Russia–North Korea military ties"


def _text(name: str) -> tuple[str, str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return text.splitlines()[2], text


def _topics():
    loaded = load_topics(ROOT / "config" / "topics.yaml")
    assert loaded.errors == []
    return loaded.topics


def test_sample_and_wire_copy_make_one_email_listing_both_outlets(engine, store, settings, smtp_server, now):
    story = store.story("Kim leaves Russia")
    headline, body = _text("sample-kim-russia-trip.txt")
    store.publish("https://straitstimes.example/kim", "straitstimes.example", headline, body, story)
    headline, body = _text("wire-copy-kim-russia-trip.txt")
    store.publish("https://wire.example/kim", "wire.example", headline, body, story)
    for name in ("near-miss-sport.txt", "near-miss-weather.txt", "near-miss-south-korea.txt"):
        h, b = _text(name)
        store.publish(f"https://other.example/{name}", "other.example", h, b, store.story(h))

    summary = match_and_enqueue(engine, _topics(), now=now, settings=settings)
    assert summary["versions"] == 5
    assert summary["new"] == 1 and summary["copy"] == 1
    again = match_and_enqueue(engine, _topics(), now=now + timedelta(minutes=5), settings=settings)
    assert again["versions"] == 0

    sent = send_pending(
        engine,
        smtp_server.connect,
        now=now,
        worker_id="w1",
        settings=settings,
    )
    assert sent["sent"] == 1
    assert (
        send_pending(
            engine,
            smtp_server.connect,
            now=now,
            worker_id="w2",
            settings=settings,
        )["sent"]
        == 0
    )
    (mail,) = smtp_server.received
    msg = mail.message
    assert mail.rcpt_tos == ["analysts@example.com"]
    assert msg["Subject"].startswith(f"[newswatch] {TOPIC}: North Korea")
    body_text = msg.get_body(("plain",)).get_content()
    assert "straitstimes.example" in body_text and "wire.example" in body_text
    assert "**" in body_text
    html = msg.get_body(("html",)).get_content()
    assert "<mark" in html and 'href="https://wire.example/kim"' in html
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(alerts)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(topic_matches)).scalar_one() == 2


def test_an_update_with_new_evidence_arrives_as_a_threaded_updated_email(
    engine, store, settings, smtp_server, now
):
    headline, body = _text("sample-kim-russia-trip.txt")
    article, _ = store.publish(
        "https://straitstimes.example/kim", "straitstimes.example", headline, body, store.story("Kim")
    )
    match_and_enqueue(engine, _topics(), now=now, settings=settings)
    send_pending(
        engine,
        smtp_server.connect,
        now=now,
        worker_id="w",
        settings=settings,
    )
    added = (
        "On Monday the Kremlin said Moscow would consider supplying Pyongyang with satellite "
        "technology and would expand military drills with North Korea."
    )
    store.version(
        article,
        headline,
        body.replace("The Kremlin has said no agreement", added + "\n\nThe Kremlin has said no agreement"),
        version_no=2,
        fetched_at=now + timedelta(hours=1),
    )
    later = now + timedelta(hours=1, minutes=5)
    assert match_and_enqueue(engine, _topics(), now=later, settings=settings)["updated"] == 1
    send_pending(
        engine,
        smtp_server.connect,
        now=later,
        worker_id="w",
        settings=settings,
    )
    first, second = (m.message for m in smtp_server.received)
    assert second["Subject"].startswith(f"[newswatch] UPDATED: {TOPIC}: ")
    assert second["In-Reply-To"] == first["Message-ID"] == second["References"]
    text = second.get_body(("plain",)).get_content()
    assert "What changed in the matched passages" in text
    assert "**satellite**" in text and "**Pyongyang**" in text
