"""Hostile configuration: each broken entry is a clear error naming the problem (and its line),
and every other source and topic keeps working in a real cycle.

Source URLs naming private addresses are exercised in ``ssrf_cases.py`` (loopback-only netns).
"""

from __future__ import annotations

from pathlib import Path

import cycle
import pytest
from newswatch.sources.config import SourcesFileError, load_sources
from newswatch.topics.config import load_topics

BAD_SOURCES = """\
  - name: with-credentials
    feed: http://bob:Hunter2-secret@127.0.0.1:9/feed.xml
  - name: unknown-key
    feed: http://127.0.0.1:9/feed.xml
    colour: blue
  - name: not-a-url
    feed: javascript:alert(1)
  - name: bad-pattern
    section:
      url: http://127.0.0.1:9/
      link_pattern: '(unclosed'
  - feed: http://127.0.0.1:9/no-name.xml
  - name: straits-daily
    feed: http://127.0.0.1:9/duplicate-name.xml
"""

BAD_TOPICS = f"""\
  - name: "Syntax error"
    query: '(russia AND'
    recipients: [a@example.com]
  - name: "Unknown key"
    query: 'korea'
    recipients: [a@example.com]
    colour: blue
  - name: "Header injection"
    query: 'korea'
    recipients: ["a@example.com\\r\\nBcc: victim@evil.example"]
  - name: "Too deep"
    query: '{"(" * 60}x{")" * 60}'
    recipients: [a@example.com]
"""


def test_broken_sources_are_named_and_the_rest_are_ingested(db_url: str, tmp_path: Path, newsroom,  # type: ignore[no-untyped-def]
                                                            topics_file: Path) -> None:
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls, BAD_SOURCES)
    loaded = load_sources(sources)
    assert [s.name for s in loaded.sources] == ["straits-daily", "pacific-wire-review", "harbour-city-herald"]
    errors = "\n".join(loaded.errors)
    assert len(loaded.errors) == 6, errors
    for expected in ("'with-credentials'", "credentials", "'unknown-key'", "colour", "'not-a-url'",
                     "'bad-pattern'", "link_pattern", "entry 8", "duplicate", "line "):
        assert expected in errors, (expected, errors)
    assert "Hunter2-secret" not in errors  # the error names the problem, never the password
    summaries = cycle.ingest(cycle.settings_from(cycle.environment(db_url, sources, topics_file)))
    assert all(s.ok for s in summaries) and cycle.article_count(db_url) == 7


def test_broken_topics_are_named_and_the_rest_still_alert(db_url: str, tmp_path: Path, newsroom,  # type: ignore[no-untyped-def]
                                                          sink: cycle.MailSink) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text(cycle.TOPICS_YAML + BAD_TOPICS)
    loaded = load_topics(topics)
    assert sorted(t.name for t in loaded.topics) == ["Korea", "Russia–North Korea military ties", "Transport",
                                                     "Weather"]
    errors = "\n".join(loaded.errors)
    for expected in ("Syntax error", "position", "Unknown key", "colour", "Header injection", "Too deep",
                     "nested"):
        assert expected in errors, (expected, errors)
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    settings = cycle.settings_from(cycle.environment(db_url, sources, topics))
    cycle.ingest(settings)
    from newswatch.alerts.run import match_and_enqueue
    from newswatch.store.engine import make_engine

    engine = make_engine(db_url)
    try:
        summary = match_and_enqueue(engine, loaded.topics, now=cycle_now(), settings=settings)
    finally:
        engine.dispose()
    assert summary["new"] >= 4


def cycle_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: [\n  - name: x\n", "not valid YAML"),
        ("sources:\n  - name: x\n    feed: http://a.example/\n  bad indent: [", "line"),
        ("just a string", "expected a mapping"),
        ("!!python/object/apply:os.system ['true']", "YAML"),
    ],
)
def test_malformed_sources_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(SourcesFileError, match=message) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["topics: [\n  - name: x\n", "!!python/object/apply:os.system ['true']", "topics: 5", "- just\n- a list"],
)
def test_malformed_topics_file_is_an_error_not_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(text)
    loaded = load_topics(path)
    assert loaded.topics == [] and loaded.errors and str(path) in loaded.errors[0]
