"""The outbox table's statements on both databases: insert once, claim once, change state only
from the expected state and owner, requeue only what may be requeued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.store import outbox
from newswatch.store.schema import alerts
from sqlalchemy import Engine, select

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _row(key: str, *, due: datetime | None = NOW, story_key: str | None = None) -> dict[str, object]:
    return {
        "alert_key": key, "topic_name": "T", "story_id": None, "story_key": story_key, "kind": "new",
        "status": "pending", "recipients": ["a@example.com"], "subject": f"S {key}",
        "message_id": f"<{key}@example.org>", "payload": {"kind": "new"}, "attempts": 0,
        "next_attempt_at": due, "created_at": NOW,
    }  # fmt: skip


def _add(engine: Engine, key: str, **kw: object) -> int:
    with engine.begin() as conn:
        assert outbox.insert_if_absent(conn, _row(key, **kw))  # type: ignore[arg-type]
        return int(conn.execute(select(alerts.c.id).where(alerts.c.alert_key == key)).scalar_one())


def _status(engine: Engine, alert_id: int) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(alerts.c.status).where(alerts.c.id == alert_id)).scalar_one())


def test_an_alert_key_is_inserted_once(engine: Engine) -> None:
    _add(engine, "k")
    with engine.begin() as conn:
        assert outbox.insert_if_absent(conn, {**_row("k"), "subject": "other"}) is False
        assert conn.execute(select(alerts.c.subject)).scalars().all() == ["S k"]


def test_due_ids_leave_out_future_attempts_and_other_states(engine: Engine) -> None:
    now_id, never_id = _add(engine, "now"), _add(engine, "unset", due=None)
    _add(engine, "later", due=NOW + timedelta(minutes=1))
    with engine.connect() as conn:
        assert outbox.due_ids(conn, NOW, 10) == [now_id, never_id]
        assert outbox.due_ids(conn, NOW, 1) == [now_id]


def test_one_claim_wins_and_only_the_owner_moves_the_row_on(engine: Engine) -> None:
    alert_id = _add(engine, "k")
    with engine.begin() as conn:
        row = outbox.claim(conn, alert_id, "w1", NOW)
        assert row is not None and row.claimed_by == "w1" and row.status == "claimed"
        assert outbox.claim(conn, alert_id, "w2", NOW) is None
        assert outbox.update_pending(conn, alert_id, {"subject": "late"}) is False
        assert outbox.transition(conn, alert_id, "w2", "claimed", {"status": "sending"}) is False
        assert outbox.transition(conn, alert_id, "w1", "pending", {"status": "sending"}) is False
        assert outbox.transition(conn, alert_id, "w1", "claimed", {"status": "sending"}) is True
    assert _status(engine, alert_id) == "sending"


def test_stale_claims_are_released_and_stale_sends_flagged_unknown(engine: Engine) -> None:
    old_claim, new_claim, old_send = _add(engine, "a"), _add(engine, "b"), _add(engine, "c")
    with engine.begin() as conn:
        for alert_id, at in (
            (old_claim, NOW - timedelta(hours=1)),
            (new_claim, NOW),
            (old_send, NOW - timedelta(hours=1)),
        ):
            outbox.claim(conn, alert_id, "w", at)
        outbox.transition(conn, old_send, "w", "claimed", {"status": "sending"})
        assert outbox.release_claims_before(conn, NOW - timedelta(minutes=5)) == 1
        assert outbox.mark_sending_unknown_before(conn, NOW - timedelta(minutes=5), "died") == 1
    assert [_status(engine, i) for i in (old_claim, new_claim, old_send)] == ["pending", "claimed", "unknown"]


def test_requeue_only_from_the_given_states_and_listing_newest_first(engine: Engine) -> None:
    failed, pending = _add(engine, "f"), _add(engine, "p")
    with engine.begin() as conn:
        outbox.claim(conn, failed, "w", NOW)
        outbox.transition(conn, failed, "w", "claimed", {"status": "failed", "next_attempt_at": NOW})
        assert outbox.requeue(conn, [failed, pending], ["failed", "unknown"]) == 1
        row = conn.execute(select(alerts).where(alerts.c.id == failed)).one()
        assert (row.status, row.claimed_by, row.next_attempt_at) == ("pending", None, None)
        assert [r.id for r in outbox.newest(conn, status=None, limit=10)] == [pending, failed]
        assert [r.id for r in outbox.newest(conn, status="pending", limit=1)] == [pending]
        assert outbox.newest(conn, status="sent", limit=10) == []


def test_story_alerts_are_one_topics_alerts_about_one_story_oldest_first(engine: Engine) -> None:
    first, second = _add(engine, "a", story_key="s1"), _add(engine, "b", story_key="s1")
    _add(engine, "c", story_key="s2")
    with engine.connect() as conn:
        assert [r.id for r in outbox.story_alerts(conn, "T", "s1")] == [first, second]
        assert outbox.story_alerts(conn, "Other", "s1") == []


def test_concurrent_inserts_of_one_alert_create_it_once_without_an_error(db_url: str, engine: Engine) -> None:
    """Racing writers of the same alert (a rerun beside a retried task) may meet first on the
    Message-ID index rather than the key's; PostgreSQL then raised a unique violation instead of
    doing nothing. Many short rounds make the writers' inserts land together."""
    import threading

    from newswatch.store.dialect import begin_write
    from newswatch.store.engine import make_engine

    writers, rounds = 4, 200
    engines = [make_engine(db_url) for _ in range(writers)]
    barrier = threading.Barrier(writers)
    created: list[list[bool]] = [[] for _ in range(writers)]
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            with engines[i].connect() as conn:
                for n in range(rounds):
                    barrier.wait()
                    begin_write(conn)
                    created[i].append(outbox.insert_if_absent(conn, _row(f"race-{n}")))
                    conn.commit()
        except BaseException as exc:  # surfaced below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for own in engines:
        own.dispose()
    assert errors == []
    assert [sum(column) for column in zip(*created, strict=True)] == [1] * rounds
    with engine.connect() as conn:
        assert len(conn.execute(select(alerts.c.alert_key)).scalars().all()) == rounds
