"""The outbox vocabulary (keys, Message-IDs, header-safe subjects) and the one shape of an outbox
row: a topic alert, a digest and an operator notice are all due at once and sent and retried by
the same sender."""

from __future__ import annotations

from datetime import timedelta

from newswatch.alerts.digest import enqueue_digests
from newswatch.alerts.outbox import alert_key, message_id, new_row, one_line, subject
from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import backoff, send_pending
from newswatch.maintenance import HealthProblem
from newswatch.ops_notices import enqueue_notices
from newswatch.settings import Settings
from newswatch.store.schema import alerts
from sqlalchemy import select

BODY = "Moscow and North Korea discussed missiles."


def test_one_line_removes_breaks_and_controls_and_truncates() -> None:
    assert one_line("a\r\nb\tc\x00d\u2028e\u200bf", 100) == "a b c d e f"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"
    assert subject("updated", "Topic", "Line\nBcc: x@y", 200) == "[newswatch] UPDATED: Topic: Line Bcc: x@y"


def test_keys_and_message_ids_are_deterministic() -> None:
    k = alert_key("new", "Topic", "s1")
    assert k == alert_key("new", "Topic", "s1") != alert_key("new", "Topic 2", "s1")
    assert message_id(k, "n@example.org") == message_id(k, "Other <n@example.org>")
    assert message_id(k, "n@example.org").endswith("@example.org>")
    assert message_id(k, "bad\r\n@evil>x").endswith("@evilx>")


def test_a_new_row_is_pending_due_now_with_its_keys_message_id(now) -> None:
    row = new_row(
        key="k1", kind="ops", topic_name="T", recipients=("a@example.com",), subject="S",
        payload={"kind": "ops"}, mail_from="n@example.org", now=now,
    )  # fmt: skip
    assert (row["status"], row["attempts"], row["next_attempt_at"], row["created_at"]) == (
        "pending",
        0,
        now,
        now,
    )
    assert row["message_id"] == message_id("k1", "n@example.org") and row["recipients"] == ["a@example.com"]


def _with_operators(settings: Settings) -> Settings:
    from dataclasses import replace

    return replace(settings, operator_emails=("ops@example.com",))


def test_alerts_digests_and_notices_share_one_row_shape(engine, store, settings, make_topic, now) -> None:
    store.publish("https://a.example/1", "a.example", "Kim", BODY, store.story("1"))
    store.publish("https://b.example/2", "b.example", "Kim again", BODY, store.story("2"))
    immediate, hourly = make_topic("Now"), make_topic("Hourly", delivery="hourly")
    match_and_enqueue(engine, [immediate, hourly], now=now, settings=settings)
    later = now + timedelta(hours=1)
    enqueue_digests(engine, [hourly], period="hourly", now=later, settings=settings)
    problem = HealthProblem("quiet", "stale", "no new article")
    enqueue_notices(engine, [problem], settings=_with_operators(settings), now=later)
    with engine.connect() as conn:
        rows = list(conn.execute(select(alerts).order_by(alerts.c.id)).mappings())
    assert sorted({r["kind"] for r in rows}) == ["digest", "new", "ops"]
    for row in rows:
        filled = {name for name, value in row.items() if value is not None}
        assert {"next_attempt_at", "created_at", "message_id", "subject", "payload"} <= filled, row["kind"]
        assert row["next_attempt_at"] == row["created_at"] and row["status"] == "pending", row["kind"]


def test_an_operator_notice_is_retried_on_the_alert_schedule(engine, settings, now, smtp_server) -> None:
    ops = _with_operators(settings)
    assert (
        enqueue_notices(engine, [HealthProblem("broken", "failing", "3 failed runs")], settings=ops, now=now)
        == 1
    )
    smtp_server.script(["451 4.3.0 Try again later"])

    def send(at):  # type: ignore[no-untyped-def]
        return send_pending(
            engine, smtp_server.connect, now=at, worker_id="w", settings=ops
        )

    assert send(now)["retry"] == 1
    with engine.connect() as conn:
        row = conn.execute(select(alerts)).one()
    assert (row.status, row.attempts) == ("pending", 1)
    assert send(now + backoff(1, ops) - timedelta(seconds=1))["sent"] == 0  # not due yet
    assert send(now + backoff(1, ops))["sent"] == 1
    (received,) = smtp_server.received
    assert received.rcpt_tos == ["ops@example.com"] and "broken" in received.message["Subject"]
