"""Task retries: a run that dies half-way leaves nothing half-done, and the retry converges to
exactly one alert and at most one e-mail per story."""

from __future__ import annotations

from datetime import timedelta

import pytest
from newswatch.alerts import run as run_module
from newswatch.alerts import sender as sender_module
from newswatch.alerts.run import match_and_enqueue, prune_evaluations
from newswatch.alerts.sender import send_pending
from newswatch.store.schema import alerts, topic_evaluations, topic_matches
from sqlalchemy import func, select


class Boom(RuntimeError):
    pass


def counts(engine):
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (topic_evaluations, topic_matches, alerts)
        )


def test_matching_run_dying_mid_batch_is_rolled_back_and_retried(
    engine, store, settings, make_topic, now, monkeypatch
):
    for i in range(4):
        story = store.story(str(i))
        for outlet in ("a", "b"):
            store.publish(
                f"https://{outlet}.example/{i}",
                f"{outlet}.example",
                f"Kim {i}",
                "Moscow and North Korea discussed missiles.",
                story,
            )
    real = run_module.record
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise Boom("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(run_module, "record", dying)
    with pytest.raises(Boom):
        match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    assert counts(engine) == (0, 0, 0)  # one transaction: all or nothing
    monkeypatch.setattr(run_module, "record", real)
    summary = match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    assert (summary["new"], summary["copy"]) == (4, 4)
    assert counts(engine) == (8, 8, 4)


def test_sender_dying_after_smtp_accepted_never_resends(
    engine, store, settings, make_topic, now, smtp_server, monkeypatch
):
    store.publish(
        "https://a.example/1",
        "a.example",
        "Kim",
        "Moscow and North Korea discussed missiles.",
        store.story("1"),
    )
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    real = sender_module._transition

    def dies_before_marking_sent(engine_, alert_id, worker_id, from_status, **values):
        if values.get("status") == "sent":
            raise Boom("worker killed after the server accepted the message")
        return real(engine_, alert_id, worker_id, from_status, **values)

    monkeypatch.setattr(sender_module, "_transition", dies_before_marking_sent)
    with pytest.raises(Boom):
        send_pending(
            engine, smtp_server.connect, now=now, worker_id="w1", settings=settings
        )
    monkeypatch.setattr(sender_module, "_transition", real)
    assert len(smtp_server.received) == 1
    # the task retry comes at once, then again after the lease: neither sends it again
    for later in (timedelta(seconds=5), timedelta(seconds=settings.alert_claim_lease_seconds + 5)):
        send_pending(
            engine,
            smtp_server.connect,
            now=now + later,
            worker_id="w2",
            settings=settings,
        )
    assert len(smtp_server.received) == 1
    with engine.connect() as conn:
        assert conn.execute(select(alerts.c.status)).scalar_one() == "unknown"


def test_sender_dying_before_smtp_resends_once_after_the_lease(
    engine, store, settings, make_topic, now, smtp_server, monkeypatch
):
    store.publish(
        "https://a.example/1",
        "a.example",
        "Kim",
        "Moscow and North Korea discussed missiles.",
        store.story("1"),
    )
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)

    def dead_connect():
        raise Boom("worker killed while connecting")

    monkeypatch.setattr(
        sender_module, "_retry_or_fail", lambda *a, **k: (_ for _ in ()).throw(Boom("killed"))
    )
    with pytest.raises(Boom):
        send_pending(
            engine, dead_connect, now=now, worker_id="w1", settings=settings
        )
    monkeypatch.undo()
    assert (
        send_pending(
            engine,
            smtp_server.connect,
            now=now + timedelta(seconds=5),
            worker_id="w2",
            settings=settings,
        )["sent"]
        == 0
    )  # still claimed by w1
    later = now + timedelta(seconds=settings.alert_claim_lease_seconds + 5)
    summary = send_pending(
        engine, smtp_server.connect, now=later, worker_id="w2", settings=settings
    )
    assert (summary["released"], summary["sent"]) == (1, 1)
    assert len(smtp_server.received) == 1


def test_prune_keeps_the_window(engine, store, settings, make_topic, now):
    store.publish(
        "https://a.example/1",
        "a.example",
        "Kim",
        "Moscow and North Korea discussed missiles.",
        store.story("1"),
    )
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    assert prune_evaluations(engine, now=now + timedelta(hours=1), settings=settings) == 0
    assert (
        prune_evaluations(
            engine, now=now + timedelta(hours=settings.alert_lookback_hours + 1), settings=settings
        )
        == 0
    )
    later = now + timedelta(hours=2 * settings.alert_lookback_hours + 1)
    assert prune_evaluations(engine, now=later, settings=settings) == 1
    # the version is outside the lookback window by then, so it is not evaluated again
    assert match_and_enqueue(engine, [make_topic()], now=later, settings=settings)["versions"] == 0
