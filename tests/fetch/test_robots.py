"""robots.txt policy: disallow, errors (500, timeout) under both policies, crawl-delay, caching."""

from __future__ import annotations

import itertools
import json
import urllib.request

import pytest
from newswatch.demo.cluster import free_port
from newswatch.fetch import Fetcher


def log_of(base: str) -> list[dict[str, object]]:
    with urllib.request.urlopen(base + "/__log", timeout=5) as resp:  # noqa: S310 (loopback fixture)
        return json.loads(resp.read())


def test_disallowed_page_is_not_requested(fetcher: Fetcher, servers, base: str) -> None:
    base = servers.get("--robots", "disallow-private")
    denied = fetcher.fetch(base + "/private/secret")
    assert (denied.ok, denied.error_kind, denied.robots_allowed) == (False, "robots_disallowed", False)
    allowed = fetcher.fetch(base + "/page/public")
    assert allowed.ok and allowed.robots_allowed is True
    paths = [e["path"] for e in log_of(base)]
    assert "/private/secret" not in paths
    assert paths.count("/robots.txt") == 1  # fetched once per origin, then cached
    assert [r.url for r in denied.robots_fetches] == [base + "/robots.txt"]
    assert allowed.robots_fetches == ()
    assert fetcher.fetch(base + "/page/other-site").ok


def test_disallow_all(fetcher: Fetcher, servers, base: str) -> None:
    denied = servers.get("--robots", "disallow")
    assert fetcher.fetch(denied + "/page/x").error_kind == "robots_disallowed"
    assert fetcher.fetch(base + "/page/after-disallow").ok


@pytest.mark.parametrize("mode", ["500", "timeout"])
def test_unreadable_robots_disallows_by_default(fetcher: Fetcher, servers, mode: str) -> None:
    base = servers.get("--robots", mode)
    result = fetcher.fetch(base + "/page/x")
    assert fetcher.fetch(servers.get() + "/page/after-robots-" + mode).ok  # the run goes on
    assert (result.error_kind, result.robots_allowed) == ("robots_unavailable", False)
    (robots,) = result.robots_fetches
    assert robots.error_kind == ("http_5xx" if mode == "500" else "timeout")
    assert "/page/x" not in [e["path"] for e in log_of(base)]


@pytest.mark.parametrize("mode", ["500", "timeout"])
def test_unreadable_robots_allows_when_configured(make_settings, servers, mode: str) -> None:
    base = servers.get("--robots", mode)
    with Fetcher(make_settings(robots_on_error="allow")) as fetcher:
        result = fetcher.fetch(base + "/page/allowed-" + mode)
    assert result.ok and result.robots_allowed is True


def test_missing_robots_allows_everything(fetcher: Fetcher, base: str) -> None:
    result = fetcher.fetch(base + "/page/x")
    assert result.ok and result.robots_allowed is True


def test_crawl_delay_spaces_requests_to_the_domain(fetcher: Fetcher, servers) -> None:
    base = servers.get("--robots", "crawl-delay=1")
    for n in range(3):
        assert fetcher.fetch(base + f"/page/cd{n}").ok
    starts = [e["at"] for e in log_of(base) if str(e["path"]).startswith("/page/cd")]
    assert len(starts) == 3
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.95, gaps  # the server's clock: scheduling jitter of a few ms only


def test_crawl_delay_is_capped(make_settings, servers) -> None:
    base = servers.get("--robots", "crawl-delay=3600")
    with Fetcher(make_settings(max_crawl_delay="0.5")) as fetcher:
        assert fetcher.fetch(base + "/page/a").ok
        assert fetcher.fetch(base + "/page/b").ok  # would wait an hour without the cap
    starts = [e["at"] for e in log_of(base) if e["path"] in ("/page/a", "/page/b")]
    assert starts[1] - starts[0] >= 0.45


def test_a_host_that_is_down_is_reported_as_connection(fetcher: Fetcher) -> None:
    """robots.txt is asked first and cannot be fetched either; the page says the host is down,
    and the message keeps where it was found out."""
    result = fetcher.fetch(f"http://127.0.0.1:{free_port()}/page/x")
    assert (result.ok, result.error_kind, result.robots_allowed) == (False, "connection", False)
    assert result.error_message is not None
    assert result.error_message.startswith("robots.txt could not be fetched: ")
    (robots,) = result.robots_fetches
    assert robots.error_kind == "connection"
