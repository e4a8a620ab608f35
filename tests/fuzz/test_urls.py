"""Fuzz the URL canonicaliser: identity keys must be stable, and a page's canonical hint —
whatever a hostile page writes into ``<link rel=canonical>`` — must never break storing it.

Contract: ``canonicalize_url`` returns an ``https://`` key (``ValueError`` for a string
``urlsplit`` cannot read), idempotent for every http(s) URL with a host; ``choose_canonical`` never raises
for a URL that was actually fetched, whatever the hint.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fuzzing import budget, tried
from hypothesis import assume, example, given
from hypothesis import strategies as st
from newswatch.identify.urls import canonicalize_url, choose_canonical, outlet_of, site_of

HOSTS = st.sampled_from(
    [
        "example.com", "www.example.com", "m.example.com", "amp.news.example.co.uk", "EXAMPLE.COM",
        "xn--bcher-kva.example", "bücher.example", "127.0.0.1", "[::1]", "[::ffff:127.0.0.1]",
        "2130706433", "0x7f.1", "a..b", "", "exa mple.com", "example.com.", "-bad-.example",
    ]
)
PORTS = st.sampled_from(["", ":80", ":443", ":8080", ":0", ":65535", ":65536", ":99999", ":-1", ":abc", ":"])
_CHARS = list("abcAZ09-._~%/?#&=+;:@!$'()*,[] \\\t\n\x00é日")
PIECE = st.lists(
    st.sampled_from([*_CHARS, "%2F", "%zz", "%00", "utm_source="]),
    max_size=40,
).map("".join)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "ftp", "javascript", ""]))
    userinfo = draw(st.sampled_from(["", "user@", "user:pass@", "@"]))
    return f"{scheme}://{userinfo}{draw(HOSTS)}{draw(PORTS)}/{draw(PIECE)}"


FETCHED = st.sampled_from(
    ["https://www.example.com/world/2024/story", "http://news.example.co.uk:8080/a?b=1", "https://example.com/"]
)


@budget(600)
@given(url=urls() | st.text(max_size=120))
@example(url="http://example.com:99999/x")
@example(url="http://[::1/x")
@example(url="https://www.example.com/world/2024/;/")  # a trailing ";" once needed two passes
def test_canonical_key_is_https_and_idempotent(url: str) -> None:
    try:
        key = tried("identify.canonicalize_url", lambda: canonicalize_url(url))
    except ValueError:
        return  # the documented error for a string urlsplit cannot read
    assert key.startswith("https://")
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.hostname:  # a URL that can be fetched
        assert canonicalize_url(key) == key


@budget(600)
@given(fetched=FETCHED, hint=urls() | st.text(max_size=120))
@example(fetched="https://www.example.com/a", hint="http://example.com:99999/x")  # port out of range
@example(fetched="https://www.example.com/a", hint="http://example.com:abc/x")
@example(fetched="https://www.example.com/a", hint="http://[::1/x")  # unclosed IPv6 bracket
@example(fetched="https://www.example.com/world/2024/story", hint=";/")
def test_any_canonical_hint_is_survivable(fetched: str, hint: str) -> None:
    key = tried("identify.choose_canonical", lambda: choose_canonical(fetched, None, hint))
    assert key.startswith("https://")
    assert canonicalize_url(key) == key


@budget(300)
@given(url=urls())
def test_site_and_outlet_never_raise(url: str) -> None:
    assume(urlsplit(url) is not None)
    tried("identify.site_and_outlet", lambda: (site_of(url), outlet_of(url)))
