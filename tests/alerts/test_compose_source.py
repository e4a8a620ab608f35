"""Each outlet's line in an alert names the source as the operator configured it, not its host."""

from __future__ import annotations

from newswatch.alerts.compose import render
from newswatch.settings import load_settings


def _payload(item: dict) -> dict:  # type: ignore[type-arg]
    return {
        "kind": "new",
        "topic": "Harbour",
        "headline": "Terminal opens",
        "score": 1.0,
        "evidence": [],
        "items": [
            {"url": "https://127.0.0.1:8701/a", "headline": "Terminal opens", "language": "en", **item}
        ],
    }


def test_the_source_name_is_shown_where_there_is_one() -> None:
    settings = load_settings(environ={})
    plain, html = render(_payload({"outlet": "127.0.0.1:8701", "source": "straits-daily"}), settings)
    assert "straits-daily" in plain and "straits-daily" in html
    assert "- 127.0.0.1:8701" not in plain and "<strong>127.0.0.1:8701" not in html


def test_the_host_is_shown_for_items_stored_without_a_source_name() -> None:
    plain, html = render(_payload({"outlet": "127.0.0.1:8701"}), load_settings(environ={}))
    assert "127.0.0.1:8701" in plain and "<strong>127.0.0.1:8701" in html
