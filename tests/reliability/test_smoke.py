"""The reference: one clean cycle over the demo newsroom, and what repeating it changes (nothing)."""

from __future__ import annotations

from pathlib import Path

import cycle


def test_clean_cycle_then_two_repeats_change_nothing(db_url: str, sources_file: Path, topics_file: Path,
                                                     sink: cycle.MailSink) -> None:
    settings = cycle.settings_from(cycle.environment(db_url, sources_file, topics_file))
    summaries = cycle.ingest(settings)
    assert all(s.ok for s in summaries), summaries
    result = cycle.alerts(settings, sink.port)
    first = cycle.snapshot(db_url)
    assert first["counts"]["articles"] == 7
    assert result["sent"]["sent"] == len(first["alerts"]) >= 4
    mail = sink.message_ids()
    for _ in range(2):
        cycle.ingest(settings)
        cycle.alerts(settings, sink.port)
    assert cycle.snapshot(db_url) == first
    assert sink.message_ids() == mail
