"""robots.txt: fetch once per origin, parse with protego, and apply an explicit error policy.

Policy (RFC 9309 where it speaks): 2xx → the rules apply; 4xx (including 404) → everything is
allowed; a robots.txt on (or redirecting to) a blocked network → the page is ``blocked_network``;
anything else (5xx, timeout, refused connection, oversize) → ``settings.robots_on_error``:
"allow" fetches the page; "disallow" (default) refuses it with ``robots_unavailable``, or with
the robots.txt request's own kind when the host itself failed (``connection``, ``tls``): a host
that is down is reported as down, which is what an operator asks first.
A Crawl-delay raises the domain's interval, capped at ``max_crawl_delay``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from newswatch.fetch.result import BLOCKED_NETWORK, CONNECTION, ROBOTS_UNAVAILABLE, TLS, FetchResult
from newswatch.settings import Settings

# robots.txt failures that say the host itself cannot be reached; the page keeps their kind.
_HOST_FAILURES = (CONNECTION, TLS)


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says, or why it could not be read."""

    parser: Protego | None = None
    unavailable: str | None = None  # reason robots.txt could not be read, when that matters
    # The error kind the page gets when robots.txt is unavailable (blocked_network stays itself).
    unavailable_kind: str = ROBOTS_UNAVAILABLE

    def allows(self, url: str, user_agent: str) -> bool:
        if self.unavailable is not None:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def rules_from(result: FetchResult, settings: Settings) -> RobotsRules:
    """Apply the error policy to the robots.txt fetch outcome."""
    if result.ok and result.status is not None and 200 <= result.status < 300:
        text = result.body.decode("utf-8", "replace")
        return RobotsRules(parser=Protego.parse(text))
    if result.status is not None and 400 <= result.status < 500:
        return RobotsRules()
    if result.error_kind == BLOCKED_NETWORK:  # the site itself is off limits, whatever robots say
        return RobotsRules(
            unavailable=f"robots.txt: {result.error_message}", unavailable_kind=BLOCKED_NETWORK
        )
    if settings.robots_on_error == "allow":
        return RobotsRules()
    if result.error_kind in _HOST_FAILURES:
        reason = f"robots.txt could not be fetched: {result.error_message}"
        return RobotsRules(unavailable=reason, unavailable_kind=result.error_kind)
    reason = f"robots.txt unreadable ({result.error_kind}: {result.error_message}); policy is disallow"
    return RobotsRules(unavailable=reason)


class RobotsCache:
    """Rules per origin for ``robots_cache_ttl`` seconds; one robots.txt request per origin at once."""

    def __init__(self, settings: Settings, fetch: Callable[[str], FetchResult]) -> None:
        self._settings = settings
        self._fetch = fetch
        self._lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, tuple[float, RobotsRules]] = {}

    def _cached(self, origin: str) -> RobotsRules | None:
        entry = self._rules.get(origin)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def rules(self, url: str) -> tuple[RobotsRules, FetchResult | None]:
        """The rules for ``url``'s origin and the robots.txt fetch made for them (if one was)."""
        origin = origin_of(url)
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            cached = self._cached(origin)
            if cached is not None:
                return cached, None
            result = self._fetch(origin + "/robots.txt")
            rules = rules_from(result, self._settings)
            self._rules[origin] = (time.monotonic() + self._settings.robots_cache_ttl, rules)
            return rules, result
