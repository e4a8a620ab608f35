"""``newswatch alerts outbox`` and ``requeue``: operators see failures and decide to resend."""

from __future__ import annotations

from newswatch.alerts.run import match_and_enqueue
from newswatch.cli import main
from newswatch.store.schema import alerts
from sqlalchemy import select


def test_outbox_listing_and_requeue(engine, db_url, store, settings, make_topic, now, monkeypatch, capsys):
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    for i in range(2):
        store.publish(
            f"https://a.example/{i}",
            "a.example",
            f"Kim {i}",
            "Moscow and North Korea missile talks.",
            store.story(str(i)),
        )
    match_and_enqueue(engine, [make_topic()], now=now, settings=settings)
    with engine.begin() as conn:
        first, second = conn.execute(select(alerts.c.id).order_by(alerts.c.id)).scalars()
        conn.execute(
            alerts.update().where(alerts.c.id == first).values(status="unknown", last_error="sender died")
        )
    assert main(["alerts", "outbox", "--status", "unknown"]) == 0
    out = capsys.readouterr().out
    assert "unknown" in out and "sender died" in out and "Kim 0" in out and "Kim 1" not in out
    assert main(["alerts", "requeue", str(first), str(second)]) == 2  # the pending one cannot be
    assert "requeued 1 of 2" in capsys.readouterr().err
    with engine.connect() as conn:
        assert set(conn.execute(select(alerts.c.status)).scalars()) == {"pending"}
