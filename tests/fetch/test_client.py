"""Every misbehaving endpoint of the fixture server ends in one exact outcome, and the same
fetcher then goes on to fetch a normal page: one bad URL never stops a run."""

from __future__ import annotations

import hashlib
import json
import urllib.request

import pytest
from newswatch.fetch import Fetcher, FetchResult


def log_of(base: str) -> list[dict[str, object]]:
    """Requests the fixture server has seen (read directly, not through the fetcher)."""
    with urllib.request.urlopen(base + "/__log", timeout=5) as resp:  # noqa: S310 (loopback fixture)
        return json.loads(resp.read())


def hits(base: str, path: str) -> int:
    return sum(1 for entry in log_of(base) if entry["path"] == path)


def fetch_then_continue(fetcher: Fetcher, base: str, path: str) -> FetchResult:
    result = fetcher.fetch(base + path)
    after = fetcher.fetch(base + "/page/after-" + path.strip("/").replace("/", "-").replace("?", "-"))
    assert after.ok, f"the run did not go on after {path}: {after.error_kind} {after.error_message}"
    assert "Grüße" in (after.text or "")
    return result


@pytest.mark.parametrize(
    ("path", "kind", "status"),
    [
        ("/never", "timeout", None),
        ("/drip", "timeout", 200),
        ("/drip-headers", "timeout", None),
        ("/huge-length", "too_large", 200),
        ("/endless", "too_large", 200),
        ("/gzip-bomb?mb=64", "too_large", 200),
        ("/brotli-bomb?mb=64", "too_large", 200),
        ("/gzip-chain", "decoding", 200),
        ("/corrupt-gzip", "decoding", 200),
        ("/truncated-gzip", "truncated", 200),
        ("/many-headers?n=500", "connection", None),
        ("/truncated", "truncated", 200),
        ("/reset", "truncated", 200),
        ("/status/404", "http_4xx", 404),
        ("/status/410", "http_4xx", 410),
        ("/status/500", "http_5xx", 500),
        ("/redirect-loop", "too_many_redirects", 302),
        ("/redirect-chain/9", "too_many_redirects", 302),
        ("/redirect?to=file:///etc/passwd", "bad_url", 302),
        ("/redirect?to=gopher://127.0.0.1:70/", "bad_url", 302),
        ("/meta-refresh?to=file:///etc/passwd", "bad_url", 200),
        ("/pdf-as-html", "not_html", 200),
        ("/image-as-html", "not_html", 200),
    ],
)
def test_hostile_endpoint_has_exact_outcome(
    fetcher: Fetcher, base: str, path: str, kind: str, status
) -> None:
    result = fetch_then_continue(fetcher, base, path)
    assert not result.ok
    assert (result.error_kind, result.status) == (kind, status), result.error_message
    assert result.body == b""
    assert result.text is None


def test_ok_page_is_decoded_hashed_and_robots_checked(fetcher: Fetcher, base: str) -> None:
    result = fetcher.fetch(base + "/page/hello")
    assert result.ok and result.status == 200 and result.error_kind is None
    assert (
        result.text is not None and "<title>hello</title>" in result.text and "Grüße aus Köln" in result.text
    )
    assert result.body_hash == hashlib.sha256(result.body).hexdigest()
    assert result.encoding == "utf-8"
    assert result.robots_allowed is True  # robots.txt is 404 here: everything allowed
    seen = [e for e in log_of(base) if e["path"] == "/page/hello"][-1]
    assert seen["headers"]["User-Agent"] == fetcher.settings.user_agent


@pytest.mark.parametrize("path", ["/gzip-page", "/brotli-page", "/deflate-page"])
def test_compressed_pages_are_decoded(fetcher: Fetcher, base: str, path: str) -> None:
    result = fetch_then_continue(fetcher, base, path)
    assert result.ok, result.error_message
    assert "Grüße aus Köln" in (result.text or "")
    assert result.wire_bytes < len(result.body)


def test_not_found_is_final_not_retried(fetcher: Fetcher, base: str) -> None:
    path = "/status/404?once=1"
    fetcher.fetch(base + path)
    assert hits(base, path) == 1


def test_503_with_retry_after_is_retried_then_reported(fetcher: Fetcher, base: str) -> None:
    path = "/status/503?retry_after=1&t=a"
    result = fetch_then_continue(fetcher, base, path)
    assert (result.error_kind, result.status, result.retry_after) == ("http_5xx", 503, 1.0)
    assert hits(base, path) == 1 + fetcher.settings.max_retries


def test_429_then_success_after_retry_after(fetcher: Fetcher, base: str) -> None:
    path = "/flaky/429?times=1&retry_after=1&key=t429"
    result = fetch_then_continue(fetcher, base, path)
    assert result.ok and "recovered" in (result.text or "")
    log = [e for e in log_of(base) if e["path"] == path]
    assert len(log) == 2
    assert log[1]["at"] - log[0]["at"] >= 1.0  # Retry-After honoured


def test_retry_after_beyond_cap_is_not_waited_for(fetcher: Fetcher, base: str) -> None:
    path = "/status/429?retry_after=3600&t=cap"
    result = fetch_then_continue(fetcher, base, path)
    assert (result.error_kind, result.status) == ("http_4xx", 429)
    assert result.retry_after == fetcher.settings.retry_after_cap
    assert hits(base, path) == 1


def test_redirect_chain_within_limit_is_followed(fetcher: Fetcher, base: str) -> None:
    result = fetcher.fetch(base + "/redirect-chain/3")
    assert result.ok
    assert result.redirect_chain == [base + f"/redirect-chain/{n}" for n in (3, 2, 1)]
    assert result.final_url == base + "/redirect-chain/0"


def test_meta_refresh_is_followed_as_a_redirect(fetcher: Fetcher, base: str) -> None:
    result = fetcher.fetch(base + "/meta-refresh?to=/page/refreshed")
    assert result.ok and "<title>refreshed</title>" in (result.text or "")
    assert result.redirect_chain == [base + "/meta-refresh?to=/page/refreshed"]


@pytest.mark.parametrize(
    ("case", "expected", "encoding"),
    [
        ("utf8-no-charset", "Grüße, naïve café — ½ €", "utf-8"),
        ("latin1-header-utf8-body", "Grüße, naïve café — ½ €", "utf-8"),
        ("utf8-header-cp1252-body", "Grüße, naïve café — ½ €", "cp1252"),
        ("utf16-bom", "Grüße, naïve café — ½ €", "utf-16-le"),
        ("gb18030", "新闻报道：中国经济增长", "gb18030"),
        ("gb2312-meta", "新闻报道：中国经济增长", "gb18030"),
        ("meta-cp1251", "Новости дня", "cp1251"),
        ("nul-controls", "<p>abcd</p>", "utf-8"),
    ],
)
def test_charsets_never_come_out_as_mojibake(
    fetcher: Fetcher, base: str, case: str, expected: str, encoding: str
) -> None:
    result = fetch_then_continue(fetcher, base, f"/charset/{case}")
    assert result.ok
    assert expected in (result.text or "")
    assert result.encoding == encoding
    assert "\x00" not in (result.text or "") and "\ufffd" not in (result.text or "")


def test_conditional_get_returns_not_modified(fetcher: Fetcher, servers, tmp_path) -> None:
    (tmp_path / "story.html").write_text("<html><body><p>story</p></body></html>")
    url = servers.get("--root", str(tmp_path)) + "/files/story.html"
    first = fetcher.fetch(url)
    assert first.ok and first.etag and first.last_modified
    from newswatch.fetch import Validators

    second = fetcher.fetch(url, validators=Validators(first.etag, first.last_modified))
    assert second.ok and second.not_modified and second.status == 304
    assert second.body == b"" and second.wire_bytes == 0
    (tmp_path / "story.html").write_text("<html><body><p>story, updated</p></body></html>")
    third = fetcher.fetch(url, validators=Validators(first.etag, None))
    assert third.ok and not third.not_modified and "updated" in (third.text or "")


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://127.0.0.1/file",
        "javascript:alert(1)",
        "http://user:pass@127.0.0.1/",
        "http:///no-host",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1/a\tb",
        "http://127.0.0.1/\r\nX-Injected: 1",
        "http://127.0.0.1/" + "a" * 3000,
    ],
)
def test_parser_confusing_and_non_http_urls_are_refused(fetcher: Fetcher, base: str, url: str) -> None:
    result = fetcher.fetch(url)
    assert (result.ok, result.error_kind) == (False, "bad_url"), result.error_message
    assert fetcher.fetch(base + "/page/after-bad-url").ok


def test_max_bytes_argument_caps_a_normal_page(fetcher: Fetcher, base: str) -> None:
    result = fetcher.fetch(base + "/page/x", max_bytes=50)
    assert result.error_kind == "too_large"


def test_listing_mode_accepts_gzip_files_and_pages_do_not(fetcher: Fetcher, servers, tmp_path) -> None:
    import gzip

    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"<urlset></urlset>"))
    url = servers.get("--root", str(tmp_path)) + "/files/sitemap.xml.gz"
    assert fetcher.fetch(url, listing=True).ok
    assert fetcher.fetch(url).error_kind == "not_html"


def test_backoff_without_retry_after(make_settings, base: str) -> None:
    settings = make_settings(retry_backoff="0.3", max_retries="2")
    path = "/flaky/503?times=2&retry_after=none&key=backoff"
    with Fetcher(settings) as fetcher:
        result = fetcher.fetch(base + path)
    assert result.ok and "recovered" in (result.text or "")
    starts = [e["at"] for e in log_of(base) if e["path"] == path]
    assert len(starts) == 3
    assert starts[1] - starts[0] >= 0.3 and starts[2] - starts[1] >= 0.6  # exponential


def test_cookies_are_not_kept(fetcher: Fetcher, base: str) -> None:
    assert fetcher.fetch(base + "/set-cookies?n=50").ok
    assert fetcher.fetch(base + "/page/after-cookies").ok
    seen = [e for e in log_of(base) if e["path"] == "/page/after-cookies"][-1]
    assert "Cookie" not in seen["headers"]


def test_redirect_to_another_origin_obeys_that_origins_robots(fetcher: Fetcher, base: str, servers) -> None:
    other = servers.get("--robots", "disallow")
    result = fetcher.fetch(base + "/redirect?to=" + other + "/page/elsewhere")
    assert (result.error_kind, result.robots_allowed) == ("robots_disallowed", False)
    assert result.redirect_chain == [base + "/redirect?to=" + other + "/page/elsewhere"]
    assert result.final_url == other + "/page/elsewhere"


def test_slow_meta_refresh_is_not_followed(fetcher: Fetcher, base: str) -> None:
    """A page that reloads itself after a while (live blogs) is a page, not a redirect."""
    result = fetcher.fetch(base + "/meta-refresh?to=/page/elsewhere&delay=300")
    assert result.ok and result.redirect_chain == [] and "moved" in (result.text or "")


def test_proxy_environment_is_ignored(fetcher: Fetcher, base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy would connect on our behalf to addresses the guard never saw: never use one."""
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert fetcher.fetch(base + "/page/no-proxy").ok


def test_validators_are_only_sent_to_the_url_they_belong_to(fetcher: Fetcher, base: str) -> None:
    from newswatch.fetch import Validators

    result = fetcher.fetch(base + "/redirect?to=/page/v-target", validators=Validators('"tag"', None))
    assert result.ok
    log = log_of(base)
    first = [e for e in log if e["path"] == "/redirect?to=/page/v-target"][-1]
    second = [e for e in log if e["path"] == "/page/v-target"][-1]
    assert first["headers"].get("If-None-Match") == '"tag"'
    assert "If-None-Match" not in second["headers"]


def test_spaces_and_non_ascii_are_percent_encoded(fetcher: Fetcher, base: str) -> None:
    result = fetcher.fetch(base + "/redirect?to=/page/a%20b%C3%BC")  # Location: /page/a bü
    assert result.ok, result.error_message
    assert result.final_url == base + "/page/a%20b%C3%BC"
    direct = fetcher.fetch(base + "/page/Köln Süd")
    assert direct.ok and direct.final_url == base + "/page/K%C3%B6ln%20S%C3%BCd"
