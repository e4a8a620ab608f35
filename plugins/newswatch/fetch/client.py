"""The one HTTP client the pipeline uses: safe, polite, cheap, and never raising for the network.

Each request passes, in order: URL check → pre-flight address check → robots.txt → per-domain
slot → guarded connect → status handling (redirects followed by hand and re-checked, 304,
429/503 with Retry-After, final 4xx/5xx) → capped, decompressed body → content sniffing → text
decoding. Each step can stop the fetch with one error kind from ``result.ERROR_KINDS``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from w3lib.html import get_meta_refresh

from newswatch.errors import NewswatchError
from newswatch.fetch import result as kinds
from newswatch.fetch.body import LAYER_SLACK, CappedDecoder, parse_encodings, read_capped
from newswatch.fetch.decode import decode_body
from newswatch.fetch.errors import FetchError, body_error, request_error
from newswatch.fetch.guard import Lookup, NetworkGuard, parse_networks, system_lookup
from newswatch.fetch.leases import InProcessLeases, LeaseStore
from newswatch.fetch.limiter import DomainLimiter
from newswatch.fetch.result import Exchange, FetchResult, Validators
from newswatch.fetch.robots import RobotsCache, RobotsRules
from newswatch.fetch.sniff import is_binary, is_textual_type
from newswatch.fetch.transport import Deadline, deadline_scope, guarded_adapter, tls_context
from newswatch.settings import Settings, SettingsError

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 503)
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_HEADER_CAP = 1024  # longest validator we keep; a hostile header must not bloat the fetch log
_META_SNIFF_CHARS = 8192


@dataclass
class _Request:
    """Options for one logical fetch, plus what it has learned so far."""

    url: str
    max_bytes: int
    user_agent: str
    validators: Validators | None
    min_interval: float
    check_robots: bool
    listing: bool
    chain: list[str] = field(default_factory=list)
    robots_allowed: bool | None = None
    robots_fetches: list[FetchResult] = field(default_factory=list)
    earlier: list[Exchange] = field(default_factory=list)
    requested_at: datetime | None = None  # the current exchange's claimed slot
    exchange_t0: float = 0.0  # monotonic start of the current exchange
    wire_bytes: int = 0
    attempts: int = 0
    retry_after: float | None = None
    current: str = ""  # the URL of the hop in progress
    status: int | None = None  # the last HTTP status received


class _Retry(NewswatchError):
    """The server asked us to come back; the limiter already holds the domain back (never escapes
    ``Fetcher.fetch``: the next attempt, or the final result, follows)."""

    kind = "retry"


class Fetcher:
    """A context manager owning one guarded connection pool; ``fetch`` is thread-safe.

    Requests go straight to the transport adapter, not through a ``requests.Session``: no
    cookie jar, no proxy/netrc environment, no redirect bookkeeping (a session parses even the
    redirects it does not follow, and chokes on hostile Location headers).

    ``leases`` keeps per-domain politeness: in memory by default (one process), or
    ``newswatch.store.leases.DatabaseLeases`` so it holds across every task sharing the database.
    ``lookup`` resolves host names (the system resolver by default); whatever it answers still
    passes the network guard.
    """

    def __init__(
        self, settings: Settings, *, leases: LeaseStore | None = None, lookup: Lookup | None = None
    ) -> None:
        self.settings = settings
        try:
            allowed = parse_networks(settings.allowed_networks)
        except ValueError as exc:
            raise SettingsError(f"NEWSWATCH_ALLOWED_NETWORKS: {exc}") from None
        self.guard = NetworkGuard(allowed, settings.max_url_length, lookup or system_lookup)
        self._tls = tls_context(settings.ca_bundle)  # an unreadable CA bundle is a SettingsError here
        self.limiter = DomainLimiter(settings, leases if leases is not None else InProcessLeases())
        self._adapter: HTTPAdapter | None = None
        self._robots = RobotsCache(settings, self._fetch_robots)

    def __enter__(self) -> Fetcher:
        self._open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _open(self) -> HTTPAdapter:
        if self._adapter is None:
            self._adapter = guarded_adapter(self.guard, pool_size=self.settings.http_pool_size, tls=self._tls)
        return self._adapter

    def close(self) -> None:
        if self._adapter is not None:
            self._adapter.close()
            self._adapter = None

    # ----------------------------------------------------------------- public
    def fetch(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        max_bytes: int | None = None,
        user_agent: str | None = None,
        min_interval: float | None = None,
        listing: bool = False,
    ) -> FetchResult:
        """Fetch ``url``. Never raises for network, HTTP or content problems: see ``error_kind``.

        ``listing`` marks feeds and sitemaps (bigger cap, gzip files allowed); ``min_interval``
        is a source's per-domain delay override.
        """
        cap = max_bytes or (self.settings.max_listing_bytes if listing else self.settings.max_page_bytes)
        req = _Request(
            url=url,
            max_bytes=cap,
            user_agent=user_agent or self.settings.user_agent,
            validators=validators,
            min_interval=self.settings.per_domain_delay if min_interval is None else min_interval,
            check_robots=True,
            listing=listing,
        )
        return self._run(req)

    # ----------------------------------------------------------------- internals
    def _fetch_robots(self, url: str) -> FetchResult:
        req = _Request(
            url=url,
            max_bytes=self.settings.max_robots_bytes,
            user_agent=self.settings.user_agent,
            validators=None,
            min_interval=self.settings.per_domain_delay,
            check_robots=False,
            listing=True,
        )
        return self._run(req)

    def _run(self, req: _Request) -> FetchResult:
        started = time.monotonic()
        try:
            result = self._follow(req, started)
        except FetchError as exc:
            result = self._error(req, started, exc.kind, exc.message, exc.status)
        except Exception as exc:  # a bug or an exotic library error must not kill a source's run
            result = self._error(req, started, kinds.CONNECTION, f"unexpected {type(exc).__name__}: {exc}")
        return result

    def _follow(self, req: _Request, started: float) -> FetchResult:
        req.current = req.url
        while True:
            req.current = self.guard.normalize(req.current)
            try:
                outcome = self._one_request(req, req.current, started)
            except _Retry:
                continue
            if isinstance(outcome, FetchResult):
                return outcome
            req.chain.append(req.current)
            if len(req.chain) > self.settings.max_redirects:
                raise FetchError(
                    kinds.TOO_MANY_REDIRECTS, f"more than {self.settings.max_redirects} redirects"
                )
            if outcome in req.chain:
                raise FetchError(kinds.TOO_MANY_REDIRECTS, f"redirect loop back to {outcome}")
            req.current = outcome

    def _interval(self, rules: RobotsRules | None, req: _Request) -> float:
        interval = req.min_interval
        if rules is not None:
            delay = rules.crawl_delay(req.user_agent)
            if delay is not None:
                interval = max(interval, min(delay, self.settings.max_crawl_delay))
        return interval

    def _check(self, req: _Request, url: str) -> tuple[str, RobotsRules | None]:
        host = self.guard.check_url(url)
        parts = urlsplit(url)
        self.guard.resolve(host, parts.port or (443 if parts.scheme.lower() == "https" else 80))
        if not req.check_robots:
            return host.lower(), None
        rules, robots_fetch = self._robots.rules(url)
        if robots_fetch is not None:
            req.robots_fetches.append(robots_fetch)
        if rules.unavailable is not None:
            req.robots_allowed = False
            raise FetchError(rules.unavailable_kind, rules.unavailable)
        req.robots_allowed = rules.allows(url, req.user_agent)
        if not req.robots_allowed:
            raise FetchError(kinds.ROBOTS_DISALLOWED, f"robots.txt disallows {url}")
        return host.lower(), rules

    def _headers(self, req: _Request, url: str) -> dict[str, str]:
        headers = {"User-Agent": req.user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate, br"}
        if req.validators is not None and url == req.url:  # validators belong to the URL asked for
            headers.update(req.validators.headers())
        return headers

    def _one_request(self, req: _Request, url: str, started: float) -> FetchResult | str:
        """One HTTP exchange: a finished result, or the next URL of a redirect."""
        req.requested_at = None  # set when this exchange's slot is claimed; refusals have none
        domain, rules = self._check(req, url)
        adapter = self._open()
        settings = self.settings
        with (
            self.limiter.slot(domain, self._interval(rules, req)) as claimed_at,
            deadline_scope(settings.total_deadline) as dl,
        ):
            # the log's request time: the instant the slot was claimed
            req.requested_at = datetime.fromtimestamp(claimed_at, UTC)
            req.exchange_t0 = time.monotonic()
            try:
                prepared = requests.Request("GET", url, headers=self._headers(req, url)).prepare()
                read_timeout = min(settings.read_timeout, max(dl.remaining(), 0.001))
                resp = adapter.send(prepared, stream=True, timeout=(settings.connect_timeout, read_timeout))
            except Exception as exc:
                raise request_error(exc, dl.expired) from None
            try:
                return self._handle(req, url, resp, dl, started, domain)
            finally:
                resp.close()

    def _handle(
        self, req: _Request, url: str, resp: requests.Response, dl: Deadline, started: float, domain: str
    ) -> FetchResult | str:
        status = req.status = resp.status_code
        if status in REDIRECT_STATUSES:
            location = resp.headers.get("Location")
            if not location:
                raise FetchError(kinds.BAD_URL, f"HTTP {status} redirect without a Location header")
            target = urljoin(url, location.strip())
            self._note_exchange(req, url, status, None, f"redirect to {target}"[:_HEADER_CAP])
            return target
        if status == 304:
            return self._finish(req, url, resp, started, b"", not_modified=True)
        if status in RETRY_STATUSES:
            self._maybe_retry(req, resp, domain)
        if status >= 500:
            raise FetchError(kinds.HTTP_5XX, f"HTTP {status} {resp.reason or ''}".strip())
        if status >= 400 or status < 200:
            raise FetchError(kinds.HTTP_4XX, f"HTTP {status} {resp.reason or ''}".strip())
        body = self._read_body(req, resp, dl)
        target = self._meta_refresh(req, url, resp, body)
        if target is not None:
            self._note_exchange(req, url, status, None, f"meta refresh to {target}"[:_HEADER_CAP])
            return target
        return self._finish(req, url, resp, started, body)

    def _maybe_retry(self, req: _Request, resp: requests.Response, domain: str) -> None:
        attempt = req.attempts
        requested = parse_retry_after(resp.headers.get("Retry-After"))
        cap = self.settings.retry_after_cap
        wait = requested if requested is not None else self.settings.retry_backoff * (2**attempt)
        self.limiter.defer(domain, min(wait, cap))
        req.retry_after = min(wait, cap)
        if attempt >= self.settings.max_retries or wait > cap:
            return  # give up: waiting longer than the cap would stall the whole source
        req.attempts = attempt + 1
        kind = kinds.HTTP_4XX if resp.status_code < 500 else kinds.HTTP_5XX
        self._note_exchange(req, req.current, resp.status_code, kind, f"retried after {min(wait, cap):g} s")
        raise _Retry

    def _note_exchange(self, req: _Request, url: str, status: int, kind: str | None, note: str) -> None:
        """Keep an exchange that is not the final one, for the fetch log."""
        if req.requested_at is None:
            return
        elapsed = int((time.monotonic() - req.exchange_t0) * 1000)
        req.earlier.append(Exchange(url, req.requested_at, status, elapsed, kind, note))

    def _read_body(self, req: _Request, resp: requests.Response, dl: Deadline) -> bytes:
        declared = resp.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > req.max_bytes:
            raise FetchError(kinds.TOO_LARGE, f"Content-Length {declared} exceeds {req.max_bytes} bytes")
        encodings = parse_encodings(resp.headers.get("Content-Encoding"), self.settings.max_content_encodings)
        decoder = CappedDecoder(encodings, req.max_bytes)
        try:
            chunks = resp.raw.stream(self.settings.fetch_chunk_bytes, decode_content=False)
            read_capped(chunks, decoder, req.max_bytes + LAYER_SLACK)
        except FetchError:
            raise
        except Exception as exc:
            raise body_error(exc, dl.expired, decoder.wire) from None
        finally:
            req.wire_bytes += decoder.wire
        if dl.expired:
            raise FetchError(kinds.TIMEOUT, f"total deadline of {self.settings.total_deadline}s passed")
        return decoder.finish()

    def _meta_refresh(self, req: _Request, url: str, resp: requests.Response, body: bytes) -> str | None:
        if req.listing or "html" not in resp.headers.get("Content-Type", "text/html").lower():
            return None
        head = body[:_META_SNIFF_CHARS].decode("latin-1")
        try:
            delay, target = get_meta_refresh(head, baseurl=url)
        except Exception:
            return None
        if target is None or delay is None or delay > self.settings.meta_refresh_max_delay:
            return None
        target = target.strip()
        return target if target and target != url else None

    def _finish(
        self,
        req: _Request,
        url: str,
        resp: requests.Response,
        started: float,
        body: bytes,
        not_modified: bool = False,
    ) -> FetchResult:
        content_type = resp.headers.get("Content-Type")
        text, encoding = None, None
        if not not_modified:
            if is_binary(body, req.listing) or not is_textual_type(content_type, req.listing):
                raise FetchError(kinds.NOT_HTML, f"not a text page (Content-Type {content_type!r})")
            text, encoding = decode_body(body, content_type)
        return FetchResult(
            url=req.url,
            final_url=url,
            status=resp.status_code,
            ok=True,
            not_modified=not_modified,
            body=body,
            text=text,
            encoding=encoding,
            content_type=content_type,
            etag=_header(resp, "ETag"),
            last_modified=_header(resp, "Last-Modified"),
            body_hash=None if not_modified else hashlib.sha256(body).hexdigest(),
            elapsed_ms=_elapsed_ms(started),
            redirect_chain=list(req.chain),
            robots_allowed=req.robots_allowed,
            wire_bytes=req.wire_bytes,
            robots_fetches=tuple(req.robots_fetches),
            earlier=tuple(req.earlier),
            requested_at=req.requested_at,
        )

    def _error(
        self, req: _Request, started: float, kind: str, message: str, status: int | None = None
    ) -> FetchResult:
        return FetchResult(
            url=req.url,
            final_url=req.current,
            status=status if status is not None else req.status,
            ok=False,
            elapsed_ms=_elapsed_ms(started),
            error_kind=kind,
            error_message=message,
            redirect_chain=list(req.chain),
            robots_allowed=req.robots_allowed,
            retry_after=req.retry_after,
            wire_bytes=req.wire_bytes,
            robots_fetches=tuple(req.robots_fetches),
            earlier=tuple(req.earlier),
            requested_at=req.requested_at,
        )


def _header(resp: requests.Response, name: str) -> str | None:
    value = resp.headers.get(name)
    return value[:_HEADER_CAP] if value else None


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


__all__ = ["FetchResult", "Fetcher", "Validators", "parse_retry_after"]
