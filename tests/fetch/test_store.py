"""The fetch log and the URL-state memory on both databases."""

from __future__ import annotations

import uuid

from newswatch.fetch import Fetcher, FetchResult, Validators
from newswatch.store.fetch_log import fetch_rows, record_fetch
from newswatch.store.url_state import UrlStateStore


def _ok(url: str, body: bytes = b"<p>x</p>", etag: str | None = '"e1"') -> FetchResult:
    import hashlib

    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        ok=True,
        body=body,
        text=body.decode(),
        etag=etag,
        last_modified="Wed, 01 Jan 2025 00:00:00 GMT",
        body_hash=hashlib.sha256(body).hexdigest(),
    )


def test_record_fetch_writes_one_row_per_request(engine, fetcher: Fetcher, base: str) -> None:
    ok = fetcher.fetch(base + "/page/logged")
    bad = fetcher.fetch(base + "/status/404")
    record_fetch(engine, ok, source_name="src", run_id="r1")
    record_fetch(engine, bad, source_name="src", run_id="r1")
    rows = fetch_rows(engine, run_id="r1")
    kinds = [(r["url"].rsplit("/", 1)[-1], r["status"], r["error_kind"]) for r in rows]
    # the first fetch of the origin also asked for robots.txt: logged as its own row
    assert kinds == [("robots.txt", 404, "http_4xx"), ("logged", 200, None), ("404", 404, "http_4xx")]
    assert rows[1]["bytes"] == len(ok.body) and rows[1]["source_name"] == "src"
    assert rows[2]["error_message"] == "HTTP 404 Not Found"


def test_url_state_roundtrip(engine) -> None:
    store = UrlStateStore(engine)
    url = "http://example.test/a"
    assert store.get(url) is None and store.validators(url) is None
    first = _ok(url)
    assert not store.unchanged(first)
    store.record_fetch_result(first, "src")
    assert store.validators(url) == Validators('"e1"', "Wed, 01 Jan 2025 00:00:00 GMT")
    assert store.unchanged(_ok(url))  # same body hash
    assert not store.unchanged(_ok(url, body=b"<p>changed</p>"))
    state = store.get(url)
    assert state is not None and state.listing_marker is None and state.last_status == 200
    store.remember_listing(url, "src", "2025-01-01T00:00:00+00:00")
    assert store.get(url).listing_marker == "2025-01-01T00:00:00+00:00"  # type: ignore[union-attr]
    # a failure keeps the validators of the last good fetch
    failed = FetchResult(url=url, final_url=url, status=503, ok=False, error_kind="http_5xx")
    store.record_fetch_result(failed, "src")
    state = store.get(url)
    assert state is not None and state.last_status == 503 and state.etag == '"e1"'
    assert state.listing_marker == "2025-01-01T00:00:00+00:00"
    not_modified = FetchResult(url=url, final_url=url, status=304, ok=True, not_modified=True, etag='"e2"')
    assert store.unchanged(not_modified)
    store.record_fetch_result(not_modified, "src")
    assert store.validators(url).etag == '"e2"'  # type: ignore[union-attr]


def test_get_many_batches(engine) -> None:
    store = UrlStateStore(engine)
    urls = [f"http://example.test/{n}" for n in range(1200)]
    for url in urls[::100]:
        store.remember_listing(url, "src", "seen")
    found = store.get_many(urls)
    assert sorted(found) == sorted(urls[::100])


def test_every_request_of_a_fetch_is_a_row(engine, fetcher: Fetcher, base: str) -> None:
    """robots.txt, each redirect hop and each retried 429 are requests too: one row each."""
    chained = fetcher.fetch(base + "/redirect-chain/2")
    flaky = f"/flaky/429?times=1&retry_after=0&key={uuid.uuid4().hex}"
    retried = fetcher.fetch(base + flaky)
    refused = fetcher.fetch(base + "/redirect?to=file:///etc/passwd")
    for result in (chained, retried, refused):
        record_fetch(engine, result, source_name="src", run_id="rows")
    rows = [
        (r["url"].removeprefix(base), r["status"], r["error_kind"]) for r in fetch_rows(engine, run_id="rows")
    ]
    assert rows == [
        ("/robots.txt", 404, "http_4xx"),
        ("/redirect-chain/2", 302, None),
        ("/redirect-chain/1", 302, None),
        ("/redirect-chain/2", 200, None),  # the final row: requested URL, final status
        (flaky, 429, "http_4xx"),
        (flaky, 200, None),
        ("/redirect?to=file:///etc/passwd", 302, None),
        ("/redirect?to=file:///etc/passwd", 302, "bad_url"),
    ]
    assert chained.requests == 4 and retried.requests == 2 and refused.requests == 1
