"""Property tests: identity keys are stable, and noise or whitespace never makes a new version."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from newswatch.identify.normalize import normalise
from newswatch.identify.urls import canonicalize_url

segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.~%", min_size=1, max_size=12)
param = st.tuples(
    st.sampled_from(["id", "page", "utm_source", "fbclid", "q", "amp", "ref", "x"]),
    st.text(alphabet="abc123", max_size=5),
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    host = draw(st.sampled_from(["example.com", "www.example.com", "m.news.example.co.uk", "amp.site.test"]))
    path = "/".join(draw(st.lists(segment, max_size=5)))
    query = "&".join(f"{k}={v}" for k, v in draw(st.lists(param, max_size=4)))
    tail = draw(st.sampled_from(["", "/", "/amp", "#frag", "/amp/"]))
    return f"{scheme}://{host}/{path}{tail}" + (f"?{query}" if query else "")


@settings(max_examples=300, deadline=None)
@given(urls())
def test_canonicalisation_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
    assert once.startswith("https://") and "#" not in once and "utm_" not in once


words = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=8), min_size=1, max_size=40)
noise = st.sampled_from(
    [
        "Updated 5 minutes ago",
        "Advertisement",
        "1.2k shares",
        "Share | Tweet | Email",
        "Posted 3 hours ago",
        "Read more",
        "Story continues below advertisement",
    ]
)


@settings(max_examples=200, deadline=None)
# Spacing within a line; a line break is structure (a lone word on its own line, such as "ad",
# may be an advert marker and is meant to go).
@given(words, words, st.lists(noise, max_size=3), st.sampled_from([" ", "  ", "\t", " \t  "]))
def test_noise_lines_and_spacing_never_change_the_hash(
    head: list[str], body: list[str], extra: list[str], gap: str
) -> None:
    plain = normalise(" ".join(head), "\n".join(" ".join(body[i : i + 8]) for i in range(0, len(body), 8)))
    noisy_body = (
        "\n".join(extra) + "\n" + "\n".join(gap.join(body[i : i + 8]) for i in range(0, len(body), 8))
    )
    noisy = normalise(gap + gap.join(head) + gap, noisy_body + "\n" + "\n".join(extra))
    assert noisy.content_hash == plain.content_hash


@settings(max_examples=200, deadline=None)
@given(words, st.integers(min_value=0, max_value=39), st.text(alphabet="klmnop", min_size=1, max_size=6))
def test_changing_a_word_changes_the_hash(body: list[str], index: int, replacement: str) -> None:
    index %= len(body)
    edited = [*body[:index], replacement, *body[index + 1 :]]
    assert normalise("h", " ".join(edited)).content_hash != normalise("h", " ".join(body)).content_hash
