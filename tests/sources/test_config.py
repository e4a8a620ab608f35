"""sources.yaml validation: good entries load, each bad one is one clear message, YAML errors raise."""

from __future__ import annotations

from pathlib import Path

import pytest
from newswatch.errors import NewswatchError
from newswatch.sources.config import DiscoveryMethod, SourcesFileError, load_sources

GOOD = """\
sources:
  - name: demo-wire
    sitemap: http://127.0.0.1:8900/sitemap.xml
    feed: http://127.0.0.1:8900/feed.xml
    section:
      url: http://127.0.0.1:8900/world/
      link_pattern: '/world/\\d{4}/'
    poll_interval: 5m
    allow_patterns: ['^http://127\\.0\\.0\\.1:8900/']
    delay: 2
    user_agent: "newswatch-demo/1.0 (+https://example.org/bot)"
    extract: {headline: h1.title, body: div.story, published: "time[itemprop=datePublished]"}
  - name: minimal
    feeds: [http://127.0.0.1:8900/a.xml, http://127.0.0.1:8900/b.xml]
    enabled: false
  - name: explicit
    discovery:
      - {kind: section, url: http://127.0.0.1:8900/, link_pattern: /news/}
      - {kind: feed, url: http://127.0.0.1:8900/feed.xml}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return path


def test_good_file_loads_every_option(tmp_path: Path) -> None:
    loaded = load_sources(write(tmp_path, GOOD))
    assert loaded.errors == []
    wire, minimal, explicit = loaded.sources
    assert [m.kind for m in wire.methods] == ["sitemap", "feed", "section"]  # key order = fallback order
    assert wire.methods[2] == DiscoveryMethod("section", "http://127.0.0.1:8900/world/", "/world/\\d{4}/")
    assert (wire.poll_interval, wire.delay, wire.enabled) == (300.0, 2.0, True)
    assert wire.user_agent == "newswatch-demo/1.0 (+https://example.org/bot)"
    assert dict(wire.extract) == {
        "headline": "h1.title",
        "body": "div.story",
        "published": "time[itemprop=datePublished]",
    }
    assert wire.allows("http://127.0.0.1:8900/x") and not wire.allows("http://other.test/x")
    assert [m.url for m in minimal.methods] == ["http://127.0.0.1:8900/a.xml", "http://127.0.0.1:8900/b.xml"]
    assert minimal.enabled is False and minimal.poll_interval == 0.0
    assert [m.kind for m in explicit.methods] == ["section", "feed"]


@pytest.mark.parametrize(
    ("entry", "field", "fragment"),
    [
        ("{feed: http://x.test/f}", "name", "required"),
        ("{name: 'bad name!', feed: http://x.test/f}", "name", "letters"),
        ("{name: a}", "feed", "at least one"),
        ("{name: a, feed: 'ftp://x.test/f'}", "feed", "http(s)"),
        ("{name: a, feed: http://x.test/f, poll_interval: soon}", "poll_interval", "seconds"),
        ("{name: a, feed: http://x.test/f, delay: -1}", "delay", "negative"),
        ("{name: a, section: {url: http://x.test/}}", "section.link_pattern", "required"),
        ("{name: a, section: {url: http://x.test/, link_pattern: '(['}}", "section.link_pattern", "regular"),
        ("{name: a, feed: http://x.test/f, allow_patterns: ['*x']}", "allow_patterns[0]", "regular"),
        ("{name: a, feed: http://x.test/f, extract: {title: h1}}", "extract.title", "unknown"),
        ("{name: a, feed: http://x.test/f, extract: {body: 'div[[['}}", "extract.body", "CSS"),
        ("{name: a, feed: http://x.test/f, colour: red}", "colour", "unknown"),
        ("{name: a, feed: http://x.test/f, enabled: maybe}", "enabled", "true or false"),
        ('{name: a, feed: http://x.test/f, user_agent: "a\\nb"}', "user_agent", "one-line"),
        ("[1, 2]", "(entry)", "mapping"),
    ],
)
def test_bad_entry_names_file_entry_and_field_and_others_still_load(
    tmp_path: Path, entry: str, field: str, fragment: str
) -> None:
    text = f"sources:\n  - name: before\n    feed: http://x.test/1\n  - {entry}\n  - name: after\n    feed: http://x.test/2\n"
    path = write(tmp_path, text)
    loaded = load_sources(path)
    assert [s.name for s in loaded.sources] == ["before", "after"]
    assert len(loaded.errors) == 1
    message = loaded.errors[0]
    assert message.startswith(f"{path}: entry 2")
    assert "(line 4)" in message
    assert f"field {field!r}" in message and fragment in message


def test_duplicate_names_are_reported(tmp_path: Path) -> None:
    loaded = load_sources(
        write(
            tmp_path, "sources:\n  - {name: a, feed: http://x.test/1}\n  - {name: a, feed: http://x.test/2}\n"
        )
    )
    assert len(loaded.sources) == 1 and "duplicate" in loaded.errors[0] and "entry 2 'a'" in loaded.errors[0]


def test_not_yaml_raises_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sources:\n  - name: a\n    feed: [unclosed\n  - name: b\n")
    with pytest.raises(SourcesFileError) as caught:
        load_sources(path)
    assert str(path) in str(caught.value) and "line " in str(caught.value)


def test_wrong_top_level_shape_raises(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="sources"):
        load_sources(write(tmp_path, "- just a list\n"))


def test_empty_file_has_no_sources(tmp_path: Path) -> None:
    loaded = load_sources(write(tmp_path, ""))
    assert loaded.sources == [] and loaded.errors == []


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="cannot read"):
        load_sources(tmp_path / "nope.yaml")


def test_a_bad_file_is_a_newswatch_error_of_kind_bad_config(tmp_path: Path) -> None:
    """Entry points catch NewswatchError and report its kind; old callers still catch ValueError."""
    with pytest.raises(NewswatchError) as caught:
        load_sources(write(tmp_path, "- just a list\n"))
    assert caught.value.kind == "bad_config" and isinstance(caught.value, ValueError)


def test_is_due_follows_poll_interval_and_enabled(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    wire, minimal, _ = load_sources(write(tmp_path, GOOD)).sources
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert wire.is_due(None, now)
    assert not wire.is_due(now - timedelta(minutes=4), now)  # poll_interval is 5m
    assert wire.is_due(now - timedelta(minutes=5), now)
    assert wire.is_due(now - timedelta(minutes=4, seconds=50), now, slack=timedelta(seconds=30))
    assert not minimal.is_due(None, now)  # disabled


def test_revisit_schedule_per_source_off_or_custom_and_bad_ones_named(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - {name: quiet, feed: 'https://a.test/rss', revisit: off}\n"
        "  - {name: busy, feed: 'https://b.test/rss', revisit: '6h=0, 2d=2h'}\n"
        "  - {name: plain, feed: 'https://c.test/rss'}\n"
        "  - {name: broken, feed: 'https://d.test/rss', revisit: 'soon'}\n"
    )
    loaded = load_sources(path)
    by_name = {s.name: s for s in loaded.sources}
    assert by_name["quiet"].revisit is not None and by_name["quiet"].revisit.steps == ()
    assert by_name["busy"].revisit is not None and by_name["busy"].revisit.horizon.days == 2
    assert by_name["plain"].revisit is None
    assert "broken" not in by_name
    assert any("revisit" in error for error in loaded.errors)
