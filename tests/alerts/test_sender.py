"""send_pending against a real SMTP server on loopback: success, 4xx then OK, 5xx, down then up,
give-up after max attempts, stale claims, partial recipient refusal."""

from __future__ import annotations

from datetime import timedelta

from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.store.schema import alerts
from sqlalchemy import select

KIM = ("Kim visits Russia", "Moscow and North Korea discussed missile supplies.")
FROM = "newswatch@example.org"


def one(engine):
    with engine.connect() as conn:
        (row,) = conn.execute(select(alerts)).all()
        return row


def queue(engine, store, settings, make_topic, now, n=1, **topic_kw):
    for i in range(n):
        store.publish(f"https://a.example/{i}", "a.example", f"{KIM[0]} {i}", KIM[1], store.story(str(i)))
    match_and_enqueue(engine, [make_topic(**topic_kw)], now=now, settings=settings)


def send(engine, smtp_server, settings, now, worker="w1", **kw):
    return send_pending(
        engine, smtp_server.connect, now=now, worker_id=worker, settings=settings, **kw
    )


def test_sends_once_with_the_stored_message_id(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now)
    assert send(engine, smtp_server, settings, now)["sent"] == 1
    assert send(engine, smtp_server, settings, now + timedelta(hours=1))["sent"] == 0
    (mail,) = smtp_server.received
    row = one(engine)
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    msg = mail.message
    assert msg["Message-ID"] == row.message_id
    assert msg["From"] == FROM and msg["To"] == "analysts@example.com"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg.get_content_type() == "multipart/alternative"
    assert {p.get_content_type() for p in msg.iter_parts()} == {"text/plain", "text/html"}
    text = msg.get_body(("plain",)).get_content()
    assert "**Moscow** and **North Korea** discussed **missile** supplies." in text
    assert "published 2026-11-27 12:00 UTC" in text
    assert "https://a.example/0" in text


def test_4xx_is_retried_later_with_backoff_then_sent(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now)
    smtp_server.script(["451 4.3.0 Mailbox busy, try later"])
    assert send(engine, smtp_server, settings, now)["retry"] == 1
    row = one(engine)
    assert row.status == "pending" and row.attempts == 1 and "451 4.3.0 Mailbox busy" in row.last_error
    assert send(engine, smtp_server, settings, now + timedelta(seconds=30))["sent"] == 0  # not due yet
    assert smtp_server.received == []
    assert send(engine, smtp_server, settings, now + timedelta(seconds=61))["sent"] == 1
    assert len(smtp_server.received) == 1 and one(engine).attempts == 2


def test_backoff_doubles(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now)
    t = now
    for expected in (60, 120, 240):
        smtp_server.script(["421 4.7.0 Try again"])
        assert send(engine, smtp_server, settings, t)["retry"] == 1
        due = one(engine).next_attempt_at.replace(tzinfo=None)
        assert due == (t + timedelta(seconds=expected)).replace(tzinfo=None)
        t = t + timedelta(seconds=expected)


def test_5xx_is_failed_with_the_server_reply(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now)
    smtp_server.script(["554 5.7.1 Message rejected as spam"])
    assert send(engine, smtp_server, settings, now)["failed"] == 1
    row = one(engine)
    assert row.status == "failed" and row.last_error == "554 5.7.1 Message rejected as spam"
    assert send(engine, smtp_server, settings, now + timedelta(days=1))["sent"] == 0
    assert smtp_server.received == []


def test_server_down_then_up(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now, n=3)
    smtp_server.stop()
    summary = send(engine, smtp_server, settings, now)
    assert summary["retry"] == 1 and summary["sent"] == 0  # stops at the first refused connection
    with engine.connect() as conn:
        statuses = sorted((r.status, r.attempts) for r in conn.execute(select(alerts)))
    assert statuses == [("pending", 0), ("pending", 0), ("pending", 1)]
    smtp_server.start()
    assert send(engine, smtp_server, settings, now + timedelta(minutes=2))["sent"] == 3
    assert len(smtp_server.received) == 3


def test_gives_up_after_max_attempts(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now)
    t = now
    for _ in range(3):
        smtp_server.script(["450 4.2.0 Busy"])
        send(engine, smtp_server, settings, t, max_attempts=3)
        t += timedelta(hours=2)
    row = one(engine)
    assert row.status == "failed" and row.attempts == 3 and "gave up after 3 attempts" in row.last_error


def test_partial_recipient_refusal_still_sends_to_the_others(
    engine, store, settings, make_topic, now, smtp_server
):
    smtp_server.handler.refuse["gone@example.com"] = "550 5.1.1 No such user"
    queue(engine, store, settings, make_topic, now, recipients=("gone@example.com", "analysts@example.com"))
    assert send(engine, smtp_server, settings, now)["sent"] == 1
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["analysts@example.com"]
    assert "gone@example.com: 550 5.1.1 No such user" in one(engine).last_error


def test_all_recipients_refused_permanently_fails(engine, store, settings, make_topic, now, smtp_server):
    smtp_server.handler.refuse["gone@example.com"] = "550 5.1.1 No such user"
    queue(engine, store, settings, make_topic, now, recipients=("gone@example.com",))
    assert send(engine, smtp_server, settings, now)["failed"] == 1
    assert "550 5.1.1 No such user" in one(engine).last_error


def test_stale_claim_is_resent_but_interrupted_send_is_not(
    engine, store, settings, make_topic, now, smtp_server
):
    queue(engine, store, settings, make_topic, now, n=2)
    old = now - timedelta(seconds=settings.alert_claim_lease_seconds + 1)
    with engine.begin() as conn:
        ids = [r.id for r in conn.execute(select(alerts.c.id).order_by(alerts.c.id))]
        conn.execute(
            alerts.update()
            .where(alerts.c.id == ids[0])
            .values(status="claimed", claimed_by="dead", claimed_at=old)
        )
        conn.execute(
            alerts.update()
            .where(alerts.c.id == ids[1])
            .values(status="sending", claimed_by="dead", claimed_at=old)
        )
    summary = send(engine, smtp_server, settings, now)
    assert (summary["released"], summary["unknown"], summary["sent"]) == (1, 1, 1)
    with engine.connect() as conn:
        states = dict(conn.execute(select(alerts.c.id, alerts.c.status)).all())
    assert states == {ids[0]: "sent", ids[1]: "unknown"}
    assert len(smtp_server.received) == 1


def test_fresh_claims_of_another_sender_are_left_alone(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now)
    with engine.begin() as conn:
        conn.execute(alerts.update().values(status="claimed", claimed_by="other", claimed_at=now))
    assert send(engine, smtp_server, settings, now + timedelta(seconds=5))["sent"] == 0
    assert one(engine).status == "claimed"


def test_connection_lost_after_the_message_is_never_resent(
    engine, store, settings, make_topic, now, smtp_server
):
    queue(engine, store, settings, make_topic, now, n=2)
    smtp_server.script(["DROP"])
    summary = send(engine, smtp_server, settings, now)
    assert summary["unknown"] == 1 and summary["sent"] == 0  # stops: the server is in trouble
    assert len(smtp_server.received) == 1  # the server did get it
    later = send(engine, smtp_server, settings, now + timedelta(hours=2))
    assert later["sent"] == 1  # the other alert; the ambiguous one stays put
    with engine.connect() as conn:
        statuses = sorted(conn.execute(select(alerts.c.status)).scalars())
    assert statuses == ["sent", "unknown"]
    assert len(smtp_server.received) == 2


def test_connection_lost_before_the_message_is_retried(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now)
    smtp_server.handler.refuse["analysts@example.com"] = "421 4.7.0 Closing"
    assert send(engine, smtp_server, settings, now)["retry"] == 1
    smtp_server.handler.refuse.clear()
    assert send(engine, smtp_server, settings, now + timedelta(minutes=5))["sent"] == 1
    assert len(smtp_server.received) == 1


def test_an_alert_that_cannot_be_composed_fails_alone(engine, store, settings, make_topic, now, smtp_server):
    queue(engine, store, settings, make_topic, now, n=2)
    with engine.begin() as conn:
        first = conn.execute(select(alerts.c.id).order_by(alerts.c.id)).scalars().first()
        conn.execute(alerts.update().where(alerts.c.id == first).values(recipients=["not an address"]))
    summary = send(engine, smtp_server, settings, now)
    assert (summary["failed"], summary["sent"]) == (1, 1)
    with engine.connect() as conn:
        failed = conn.execute(select(alerts).where(alerts.c.id == first)).one()
    assert failed.status == "failed" and "cannot compose" in failed.last_error


def test_a_bad_time_zone_fails_the_run_not_the_alerts(
    engine, db_url, store, settings, make_topic, now, smtp_server
):
    import pytest
    from newswatch.settings import SettingsError, load_settings

    queue(engine, store, settings, make_topic, now)
    bad = load_settings(
        environ={"NEWSWATCH_DATABASE_URL": db_url, "NEWSWATCH_ALERT_TIMEZONE": "Mars/Olympus"}
    )
    with pytest.raises(SettingsError, match="Mars/Olympus"):
        send(engine, smtp_server, bad, now)
    assert one(engine).status == "pending" and smtp_server.received == []
