"""Values as both databases keep them: UTC datetimes, text without NUL, URLs that fit their keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newswatch.store.values import URL_KEY_LENGTH, aware, fit_url, json_safe, storable, utc


def test_utc_takes_naive_as_utc_and_converts_aware() -> None:
    assert utc(datetime(2026, 1, 1, 8)) == datetime(2026, 1, 1, 8, tzinfo=UTC)
    assert utc(datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=1)))) == datetime(
        2026, 1, 1, 8, tzinfo=UTC
    )
    assert utc(None) is None
    assert aware({"a": datetime(2026, 1, 1), "b": 1}) == {"a": datetime(2026, 1, 1, tzinfo=UTC), "b": 1}


def test_storable_drops_nul_controls_and_lone_surrogates_but_keeps_newlines() -> None:
    assert storable("a\x00b\x1bc\nd\ud800") == "abc\nd?"


def test_fit_url_keeps_short_urls_and_digests_long_ones_distinctly() -> None:
    short = "https://n.test/a"
    assert fit_url(short) == short
    long_a, long_b = "https://n.test/" + "a" * 5000, "https://n.test/" + "a" * 4999 + "b"
    assert len(fit_url(long_a)) == URL_KEY_LENGTH and fit_url(long_a) != fit_url(long_b)


def test_json_safe_turns_datetimes_into_text_recursively() -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    assert json_safe({"at": moment, "list": [moment, {1: (2,)}]}) == {
        "at": moment.isoformat(),
        "list": [moment.isoformat(), {"1": [2]}],
    }
