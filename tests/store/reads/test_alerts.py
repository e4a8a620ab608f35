"""Alert and topic-activity reads on both databases, against known rows (see tests/ui/ui_seed)."""

from __future__ import annotations

from datetime import timedelta

import ui_seed
from newswatch.store.reads import alerts
from sqlalchemy import Engine


def test_recent_alerts_newest_first_with_filters(engine: Engine) -> None:
    ids = ui_seed.seed(engine)
    listed = alerts.recent_alerts(engine, status=None, topic=None, limit=10)
    assert [a["id"] for a in listed] == [ids["alert_sent"], ids["alert_failed"]]
    assert listed[0]["payload"]["items"][0]["article_id"] == ids["main"]
    assert listed[0]["sent_at"].tzinfo is not None
    assert [a["id"] for a in alerts.recent_alerts(engine, status="failed", topic=None, limit=10)] == [
        ids["alert_failed"]
    ]
    assert alerts.recent_alerts(engine, status=None, topic="no such topic", limit=10) == []
    assert len(alerts.recent_alerts(engine, status="", topic=ui_seed.TOPIC, limit=1)) == 1


def test_alert_counts_per_status(engine: Engine) -> None:
    ui_seed.seed(engine)
    assert alerts.alert_counts(engine) == {"sent": 1, "failed": 1}


def test_topic_activity_reads_only_the_window(engine: Engine) -> None:
    ids = ui_seed.seed(engine)
    activity = alerts.topic_activity(engine, ids["now"] - timedelta(days=1))
    assert activity.queries == {ui_seed.TOPIC: ui_seed.TOPIC_QUERY}
    # the match 2 hours ago is read; the one 2 days ago is outside the window
    assert activity.matched_at == [(ui_seed.TOPIC, ids["now"] - timedelta(hours=2))]
    assert activity.total_matches == {ui_seed.TOPIC: 2} and activity.alerts_sent == {ui_seed.TOPIC: 1}
